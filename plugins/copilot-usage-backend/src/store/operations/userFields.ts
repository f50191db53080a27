/*
 * The per-user fields of issue 13 (sections 3, 4, 6): cloud agent and Copilot app
 * users and AI credits per day of a scope, and the client version intervals.
 */
import { Knex } from 'knex';
import { ScopeKey } from '../../lib/scope';
import { DbRecord, toNumber } from '../records';
import { ClientVersionSample, UserDayRow } from '../types';
import { bulkInsert } from './bulkInsert';
import { rowsPerInsert } from './util';
import { usersInRange } from './dayBits';
import { getScopeDays } from './scopeDays';

/** One day of a scope's per-user rows: the users of the newer features and their AI credits. */
export interface DailyUserFields {
  day: string;
  cloudAgentUsers: number;
  copilotAppUsers: number;
  /** Sum of `ai_credits_used`; null when no row of the day has it. */
  aiCredits: number | null;
}

/** A user's latest known version of one client in a range. */
export interface LatestClientVersion extends ClientVersionSample {
  userId: number;
  userLogin: string;
}

/** Whose versions: the scope's users with a version interval in the range, or a team's active users. */
export interface ClientVersionFilter {
  teamSlug?: string;
  /** With `teamSlug`: only members active on these days (the privacy floor). */
  onlyDays?: string[];
}

/** The read side of the per-user fields. */
export interface UserFieldQueries {
  /** Per day with user rows in [from, to], ascending. */
  getDailyUserFields(
    scope: ScopeKey,
    from: string,
    to: string,
  ): Promise<DailyUserFields[]>;
  /**
   * Each user's latest known version of each client in [from, to]: of the user's
   * intervals of that client overlapping the range, the one with the latest last day
   * (the version of the last day in the range the user reported the client). One
   * pass over the range's intervals; the caller counts and flags.
   */
  getLatestClientVersions(
    scope: ScopeKey,
    from: string,
    to: string,
    filter?: ClientVersionFilter,
  ): Promise<LatestClientVersion[]>;
}

const KEY = ['scope', 'user_id', 'client', 'version', 'plugin_version'];
const clip = (value: string, length: number) => value.slice(0, length);

/**
 * Folds the client versions of a day's user rows into the version intervals: a new
 * (user, client, version, plugin version) starts at the day, a known one widens to
 * it. Idempotent, so a day fetched again (GitHub revises trailing days) adds nothing.
 */
export async function upsertClientVersions(
  db: Knex,
  scope: ScopeKey,
  day: string,
  rows: UserDayRow[],
): Promise<void> {
  const records = new Map<string, DbRecord>();
  for (const row of rows) {
    for (const sample of row.clientVersions ?? []) {
      const record = {
        scope,
        user_id: row.userId,
        user_login: row.userLogin,
        client: clip(sample.client, 64),
        version: clip(sample.version, 128),
        plugin: clip(sample.plugin, 128),
        plugin_version: clip(sample.pluginVersion, 128),
        first_day: day,
        last_day: day,
      };
      // One statement may not touch a row twice (PostgreSQL): one record per key.
      records.set(KEY.map(k => (record as DbRecord)[k]).join('\0'), record);
    }
  }
  const all = [...records.values()];
  if (all.length === 0) return;
  const postgres = db.client.dialect === 'postgresql';
  const [least, greatest] = postgres ? ['LEAST', 'GREATEST'] : ['MIN', 'MAX'];
  const table = 'user_client_version';
  const newer = (column: string) =>
    `CASE WHEN excluded.last_day >= ${table}.last_day THEN excluded.${column} ELSE ${table}.${column} END`;
  const merge = {
    first_day: `${least}(${table}.first_day, excluded.first_day)`,
    last_day: `${greatest}(${table}.last_day, excluded.last_day)`,
    // The login and the plugin's name of the newest day win (logins can change).
    user_login: newer('user_login'),
    plugin: newer('plugin'),
  };
  const onConflict = `ON CONFLICT (${KEY.join(', ')}) DO UPDATE SET ${Object.entries(
    merge,
  )
    .map(([column, value]) => `${column} = ${value}`)
    .join(', ')}`;
  await bulkInsert(
    db,
    table,
    all,
    async chunked => {
      const chunkSize = rowsPerInsert(db, Object.keys(chunked[0]).length);
      for (let i = 0; i < chunked.length; i += chunkSize) {
        await db(table)
          .insert(chunked.slice(i, i + chunkSize))
          .onConflict(KEY)
          .merge(
            Object.fromEntries(
              Object.entries(merge).map(([column, value]) => [
                column,
                db.raw(value),
              ]),
            ),
          );
      }
    },
    onConflict,
  );
}

/** Ids listed in a query at most (SQLite's oldest builds bind 999 variables). */
const MAX_LISTED_IDS = 900;

export function userFieldQueries(db: Knex): UserFieldQueries {
  /** Each user's latest interval per client overlapping [from, to]. */
  async function latest(
    scope: ScopeKey,
    from: string,
    to: string,
    filter: ClientVersionFilter = {},
  ) {
    const inner = db('user_client_version as v')
      .select(
        'v.user_id',
        'v.user_login',
        'v.client',
        'v.version',
        'v.plugin',
        'v.plugin_version',
        db.raw(
          'ROW_NUMBER() OVER (PARTITION BY v.user_id, v.client ORDER BY v.last_day DESC, v.first_day DESC, v.version DESC, v.plugin_version DESC) AS rn',
        ),
      )
      .where('v.scope', scope)
      .where('v.first_day', '<=', to)
      .where('v.last_day', '>=', from);
    if (filter.teamSlug !== undefined) {
      // The team's active people from its day bits (a row a person and year, not one
      // a person and day), then their intervals by key: as a subquery PostgreSQL
      // expected thousands of members and scanned every interval of the scope (28 ms
      // at 100,000 users, for a team of 21).
      const active = usersInRange(
        db,
        'team_user_year',
        'active',
        { scope, team_slug: filter.teamSlug },
        { from, to, onlyDays: filter.onlyDays },
      );
      if (!active) return [];
      const ids: unknown[] = await active.clone().pluck('user_id');
      inner.whereIn(
        'v.user_id',
        ids.length <= MAX_LISTED_IDS ? (ids as number[]) : active,
      );
    }
    const records: DbRecord[] = await db
      .from(inner.as('latest'))
      .where('latest.rn', 1)
      .select(
        'user_id',
        'user_login',
        'client',
        'version',
        'plugin',
        'plugin_version',
      );
    return records;
  }

  return {
    async getDailyUserFields(scope, from, to) {
      // Pre-aggregated by the rollup rebuild: one row a day, not the day's user rows.
      const days = await getScopeDays(db, scope, from, to);
      return days.map(
        ({ day, cloudAgentUsers, copilotAppUsers, aiCredits }) => ({
          day,
          cloudAgentUsers,
          copilotAppUsers,
          aiCredits,
        }),
      );
    },

    async getLatestClientVersions(scope, from, to, filter) {
      if (filter?.onlyDays && filter.onlyDays.length === 0) return [];
      const records = await latest(scope, from, to, filter);
      return records.map(record => ({
        userId: toNumber(record.user_id),
        userLogin: record.user_login,
        client: record.client,
        version: record.version,
        plugin: record.plugin,
        pluginVersion: record.plugin_version,
      }));
    },
  };
}
