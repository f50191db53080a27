import {
  BreakdownDayRow,
  BreakdownDimension,
  UserTeamDayRow,
} from '../store/types';
import { addActivity, emptyActivity } from '../lib/counters';
import { ScopeKey } from '../lib/scope';
import { BreakdownValues } from './parseRows';

/** The dimensions of a record's breakdowns, in the order their rows are written. */
const DIMENSIONS: BreakdownDimension[] = [
  'ide',
  'feature',
  'language',
  'model',
  'thirdPartyAgent',
];

type TeamSums = Record<BreakdownDimension, Map<string, BreakdownDayRow>>;

/**
 * Builds the per-team breakdown rows (subject `team:<slug>`) of one scope+day while the
 * user rows stream by: each user's breakdown values are added to every team the user
 * belonged to that day. Users are counted once per team and value, however many entries
 * (e.g. several features of one language) they had. The sums are the rows themselves
 * (no second object per row at the end of the day: at 40,000 users and 2,000 teams a
 * day has about 100,000 of them).
 */
export class TeamBreakdownAccumulator {
  readonly #scope: ScopeKey;
  readonly #day: string;
  readonly #teamsOfUser = new Map<number, string[]>();
  readonly #seenUsers = new Set<number>();
  /** team -> dimension -> key -> row */
  readonly #sums = new Map<string, TeamSums>();

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
    for (const team of teams) {
      const sums = this.#sumsOf(team);
      for (const dimension of DIMENSIONS) {
        const byKey = sums[dimension];
        for (const [key, counters] of values[dimension]) {
          let sum = byKey.get(key);
          if (!sum) {
            sum = {
              scope: this.#scope,
              day: this.#day,
              subject: `team:${team}`,
              dimension,
              key,
              ...emptyActivity(),
              users: 0,
            };
            byKey.set(key, sum);
          }
          addActivity(sum, counters);
          sum.users += 1;
        }
      }
    }
  }

  rows(): BreakdownDayRow[] {
    const rows: BreakdownDayRow[] = [];
    for (const sums of this.#sums.values()) {
      for (const dimension of DIMENSIONS) {
        for (const row of sums[dimension].values()) rows.push(row);
      }
    }
    return rows;
  }

  #sumsOf(team: string): TeamSums {
    let sums = this.#sums.get(team);
    if (!sums) {
      sums = {
        ide: new Map(),
        feature: new Map(),
        language: new Map(),
        model: new Map(),
        thirdPartyAgent: new Map(),
      };
      this.#sums.set(team, sums);
    }
    return sums;
  }
}
