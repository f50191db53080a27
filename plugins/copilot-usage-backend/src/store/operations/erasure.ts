import { Knex } from 'knex';
import { ScopeKey } from '../../lib/scope';
import { UserErasureStore, UserRowCounts } from '../CopilotUsageStore';
import { toNumber } from '../records';
import { rebuildHistograms } from './lastDays';

/** Where one person's per-user rows are, and the sweep that removes what is left of them. */
export function userErasureStore(db: Knex): UserErasureStore {
  /** The person's user ids: from their rows by login, in every scope. */
  async function userIdsOf(login: string): Promise<number[]> {
    const lower = login.toLocaleLowerCase('en-US');
    const ids = new Set<number>();
    for (const table of ['user_day', 'user_team_day', 'seat_snapshot']) {
      const values: unknown[] = await db(table)
        .distinct('user_id')
        .whereRaw('LOWER(user_login) = ?', [lower])
        .whereNotNull('user_id')
        .pluck('user_id');
      values.forEach(value => ids.add(toNumber(value as number)));
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** Rows of the person in a per-user table: by login, or by user id (logins can change). */
  function rowsOf(table: string, login: string, userIds: number[], trx = db) {
    const lower = login.toLocaleLowerCase('en-US');
    return trx(table).where(query => {
      if (table !== 'team_active_user_day') {
        query.orWhereRaw('LOWER(user_login) = ?', [lower]);
      }
      if (userIds.length > 0) {
        query.orWhereIn('user_id', userIds);
      }
      if (table === 'team_active_user_day' && userIds.length === 0) {
        query.whereRaw('1 = 0');
      }
    });
  }

  const TABLES: Record<keyof UserRowCounts, string> = {
    userDay: 'user_day',
    userTeamDay: 'user_team_day',
    teamActiveUserDay: 'team_active_user_day',
    seatSnapshot: 'seat_snapshot',
  };

  async function count(login: string, userIds: number[]) {
    const counts = {} as UserRowCounts;
    for (const [name, table] of Object.entries(TABLES)) {
      const record = await rowsOf(table, login, userIds)
        .count({ n: '*' })
        .first();
      counts[name as keyof UserRowCounts] = toNumber(record?.n as number);
    }
    return counts;
  }

  return {
    async findUserData(login) {
      const userIds = await userIdsOf(login);
      const byScope = new Map<
        ScopeKey,
        { days: Set<string>; seatSnapshots: Set<string> }
      >();
      const of = (scope: ScopeKey) => {
        let entry = byScope.get(scope);
        if (!entry) {
          entry = { days: new Set(), seatSnapshots: new Set() };
          byScope.set(scope, entry);
        }
        return entry;
      };
      for (const table of [
        'user_day',
        'user_team_day',
        'team_active_user_day',
      ]) {
        const records = await rowsOf(table, login, userIds).distinct(
          'scope',
          'day',
        );
        records.forEach(record => of(record.scope).days.add(record.day));
      }
      const seats = await rowsOf('seat_snapshot', login, userIds).distinct(
        'scope',
        'snapshot_day',
      );
      seats.forEach(record =>
        of(record.scope).seatSnapshots.add(record.snapshot_day),
      );
      return {
        userIds,
        counts: await count(login, userIds),
        scopes: [...byScope]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([scope, entry]) => ({
            scope,
            days: [...entry.days].sort(),
            seatSnapshots: [...entry.seatSnapshots].sort(),
          })),
      };
    },

    async deleteUserRows(login, userIds) {
      return db.transaction(async trx => {
        const counts = {} as UserRowCounts;
        for (const [name, table] of Object.entries(TABLES)) {
          counts[name as keyof UserRowCounts] = await rowsOf(
            table,
            login,
            userIds,
            trx,
          ).delete();
        }
        // The scopes whose last days' histograms count the person (./lastDays).
        const scopes = new Set<ScopeKey>();
        const scopesOf = (query: Knex.QueryBuilder) =>
          query.distinct('scope').then(records => {
            for (const record of records) scopes.add(record.scope as ScopeKey);
          });
        await scopesOf(rowsOf('user_client_latest', login, userIds, trx));
        if (userIds.length > 0) {
          for (const table of ['user_last_active', 'team_user_last']) {
            await scopesOf(trx(table).whereIn('user_id', userIds));
          }
        }
        // The day bits are derived from the rows above, like team_day: not counted.
        if (userIds.length > 0) {
          for (const table of [
            'team_user_year',
            'scope_user_year',
            'user_last_active',
            'team_user_last',
          ]) {
            await trx(table).whereIn('user_id', userIds).delete();
          }
        }
        // The person's client version intervals (not counted: they only repeat the
        // versions of the user rows counted above).
        await rowsOf('user_client_version', login, userIds, trx).delete();
        await rowsOf('user_client_latest', login, userIds, trx).delete();
        for (const scope of scopes) await rebuildHistograms(trx, scope);
        return counts;
      });
    },
  };
}
