import {
  BreakdownCounters,
  BreakdownDayRow,
  BreakdownDimension,
  UserTeamDayRow,
} from '../store/types';
import { addActivity, emptyActivity } from '../lib/counters';
import { ScopeKey } from '../lib/scope';
import { BreakdownValues } from './parseRows';

interface Sum extends BreakdownCounters {
  users: number;
}

/**
 * Builds the per-team breakdown rows (subject `team:<slug>`) of one scope+day while the
 * user rows stream by: each user's breakdown values are added to every team the user
 * belonged to that day. Users are counted once per team and value, however many entries
 * (e.g. several features of one language) they had.
 */
export class TeamBreakdownAccumulator {
  readonly #scope: ScopeKey;
  readonly #day: string;
  readonly #teamsOfUser = new Map<number, string[]>();
  readonly #seenUsers = new Set<number>();
  /** team -> `dimension \0 key` -> sums */
  readonly #sums = new Map<string, Map<string, Sum>>();

  constructor(scope: ScopeKey, day: string) {
    this.#scope = scope;
    this.#day = day;
  }

  addMembership(row: Pick<UserTeamDayRow, 'userId' | 'teamSlug'>): void {
    const teams = this.#teamsOfUser.get(row.userId);
    if (!teams) {
      this.#teamsOfUser.set(row.userId, [row.teamSlug]);
    } else if (!teams.includes(row.teamSlug)) {
      teams.push(row.teamSlug);
    }
  }

  addUser(userId: number, values: BreakdownValues): void {
    if (this.#seenUsers.has(userId)) {
      throw new Error(
        `user_id ${userId} appears more than once in the users report of ${this.#day}`,
      );
    }
    this.#seenUsers.add(userId);
    const teams = this.#teamsOfUser.get(userId);
    if (!teams) return;
    const sumsOfTeams = teams.map(team => this.#sumsOf(team));
    for (const dimension of Object.keys(values) as BreakdownDimension[]) {
      for (const [key, counters] of values[dimension]) {
        const id = `${dimension}\0${key}`;
        for (const sums of sumsOfTeams) {
          let sum = sums.get(id);
          if (!sum) {
            sum = { ...emptyActivity(), users: 0 };
            sums.set(id, sum);
          }
          addActivity(sum, counters);
          sum.users += 1;
        }
      }
    }
  }

  rows(): BreakdownDayRow[] {
    return [...this.#sums].flatMap(([team, sums]) =>
      [...sums].map(([id, sum]) => {
        const [dimension, key] = id.split('\0');
        return {
          scope: this.#scope,
          day: this.#day,
          subject: `team:${team}`,
          dimension: dimension as BreakdownDimension,
          key,
          ...sum,
        };
      }),
    );
  }

  #sumsOf(team: string) {
    let sums = this.#sums.get(team);
    if (!sums) {
      sums = new Map();
      this.#sums.set(team, sums);
    }
    return sums;
  }
}
