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
import { versionUsersSince } from './lastDays';

/** One day of a scope's per-user rows: the users of the newer features and their AI credits. */
export interface DailyUserFields {
  day: string;
  cloudAgentUsers: number;
  copilotAppUsers: number;
  /** Sum of `ai_credits_used`; null when no row of the day has it. */
  aiCredits: number | null;
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
   * Each user's latest known version of each client in [from, to] (of the user's
   * intervals of that client overlapping the range, the one with the latest last
   * day), counted in the database: users per version, distinct people, and the
   * people on the versions `isFlagged` names (their logins only when asked for). An
   * org page's 100,000 people are not sent a row each (measured: 160-250 ms for the
   * rows alone). An org's latest intervals and their counts follow the rollup
   * rebuild, as its other figures do.
   */
  getClientVersionSummary(
    scope: ScopeKey,
    from: string,
    to: string,
    filter: ClientVersionFilter,
    flags: {
      isFlagged: (client: string, version: string) => boolean;
      withLogins: boolean;
    },
  ): Promise<ClientVersionCounts>;
}

/** Users per client version (`getClientVersionSummary`). */
export interface ClientVersionCounts {
  /** Distinct people with a known version. */
  people: number;
  versions: Array<ClientVersionSample & { users: number }>;
  /** Distinct people on flagged versions. */
  flaggedPeople: number;
  /** Their logins, each once (empty unless asked for). */
  flaggedLogins: string[];
}

const KEY = ['scope', 'user_id', 'client', 'version', 'plugin_version'];
const clip = (value: string, length: number) => value.slice(0, length);

/**
 * The client version samples of user rows of a day as interval records, added to
 * `into` by key (one record per key: a statement may not touch a row twice on
 * PostgreSQL, and a day's batches name a person once each).
 */
export function addClientVersionRecords(
  into: Map<string, DbRecord>,
  scope: ScopeKey,
  day: string,
  rows: UserDayRow[],
): void {
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
      into.set(KEY.map(k => (record as DbRecord)[k]).join('\0'), record);
    }
  }
}

/**
 * Folds interval records of one day ({@link addClientVersionRecords}) into the version
 * intervals: a new (user, client, version, plugin version) starts at the day, a known
 * one widens to it. Idempotent, so a day fetched again (GitHub revises trailing days)
 * adds nothing.
 */
export async function upsertClientVersions(
  db: Knex,
  all: DbRecord[],
): Promise<void> {
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

/** The order that makes an interval a user's latest of a client (`user_client_latest`). */
const LATEST_FIRST =
  'v.last_day DESC, v.first_day DESC, v.version DESC, v.plugin_version DESC';
const LATEST_COLUMNS = [
  'scope',
  'user_id',
  'client',
  'user_login',
  'version',
  'plugin',
  'plugin_version',
  'first_day',
  'last_day',
];

/**
 * Sets each person's latest interval per client (user_client_latest) from the
 * intervals, after the days since `since` were folded in; the rollup rebuild calls it.
 * Intervals only widen, so a person and client whose latest interval changed have
 * one reaching `since`, and the latest is among those: only they are ranked. One
 * ranking a sync, not one a day (a day's cost on PostgreSQL: 17 ms at 2,500 users).
 */
export async function refreshLatestVersions(
  db: Knex,
  scope: ScopeKey,
  since: string,
) {
  const columns = LATEST_COLUMNS.join(', ');
  await db.raw(
    `INSERT INTO user_client_latest (${columns})
     SELECT ${columns}
     FROM (SELECT v.*, ROW_NUMBER() OVER (PARTITION BY v.user_id, v.client
         ORDER BY ${LATEST_FIRST}) AS rn
       FROM user_client_version v
       WHERE v.scope = ? AND v.last_day >= ?) ranked
     WHERE rn = 1
     ON CONFLICT (scope, user_id, client) DO UPDATE SET ${LATEST_COLUMNS.slice(
       3,
     )
       .map(column => `${column} = excluded.${column}`)
       .join(', ')}`,
    [scope, since],
  );
}

/** A person's latest version of a client, as the summary counts it. */
const SAMPLE_COLUMNS = [
  'user_id',
  'user_login',
  'client',
  'version',
  'plugin',
  'plugin_version',
];

/** Ids listed in a query at most (SQLite's oldest builds bind 999 variables). */
const MAX_LISTED_IDS = 900;

export function userFieldQueries(db: Knex): UserFieldQueries {
  /** Each user's latest interval per client overlapping [from, to]. */
  async function latest(
    scope: ScopeKey,
    from: string,
    to: string,
    filter: ClientVersionFilter = {},
  ): Promise<{ rows: Knex.QueryBuilder } | undefined> {
    // Wrapped: a query builder is a thenable, which an async function would run.
    const inner = db('user_client_version as v')
      .select([
        ...SAMPLE_COLUMNS.map(column => `v.${column}`),
        db.raw(
          `ROW_NUMBER() OVER (PARTITION BY v.user_id, v.client ORDER BY ${LATEST_FIRST}) AS rn`,
        ),
      ])
      .where('v.scope', scope)
      .where('v.first_day', '<=', to)
      .where('v.last_day', '>=', from);
    const ranked = () =>
      db.from(inner.as('latest')).where('latest.rn', 1).select(SAMPLE_COLUMNS);
    if (filter.teamSlug === undefined) {
      // Everyone's latest interval, where it overlaps the range; ranked only for the
      // people whose latest one starts after the range (none when it ends today).
      const current = db('user_client_latest')
        .select(SAMPLE_COLUMNS)
        .where({ scope })
        .where('first_day', '<=', to)
        .where('last_day', '>=', from);
      const later = await db('user_client_latest')
        .where({ scope })
        .where('first_day', '>', to)
        .first('user_id');
      if (!later) return { rows: current };
      inner.whereExists(
        db('user_client_latest as l')
          .whereRaw('l.scope = v.scope AND l.user_id = v.user_id')
          .whereRaw('l.client = v.client')
          .where('l.first_day', '>', to),
      );
      return { rows: current.unionAll(ranked()) };
    }
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
    if (!active) return undefined;
    const ids: unknown[] = await active.clone().pluck('user_id');
    inner.whereIn(
      'v.user_id',
      ids.length <= MAX_LISTED_IDS ? (ids as number[]) : active,
    );
    return { rows: ranked() };
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

    async getClientVersionSummary(scope, from, to, filter, flags) {
      const none: ClientVersionCounts = {
        people: 0,
        versions: [],
        flaggedPeople: 0,
        flaggedLogins: [],
      };
      if (filter.onlyDays && filter.onlyDays.length === 0) return none;
      // An org range that ends today: from the histograms (./lastDays).
      let counted =
        filter.teamSlug === undefined
          ? await versionUsersSince(db, scope, from, to)
          : undefined;
      let found: { rows: Knex.QueryBuilder } | undefined;
      const rows = () => db.from(found!.rows.clone().as('l'));
      if (!counted) {
        found = await latest(scope, from, to, filter);
        if (!found) return none;
        const [versionRecords, [peopleRecord]] = await Promise.all([
          rows()
            .select('client', 'version', 'plugin', 'plugin_version')
            .count({ users: '*' })
            .groupBy('client', 'version', 'plugin', 'plugin_version'),
          rows().countDistinct({ people: 'user_id' }),
        ]);
        counted = {
          people: toNumber(peopleRecord?.people),
          versions: versionRecords.map((record: DbRecord) => ({
            client: record.client as string,
            version: record.version as string,
            plugin: record.plugin as string,
            pluginVersion: record.plugin_version as string,
            users: toNumber(record.users),
          })),
        };
      }
      const { people, versions } = counted;
      const flagged = versions.filter(v =>
        flags.isFlagged(v.client, v.version),
      );
      if (!flagged.length) return { ...none, people, versions };
      if (!flags.withLogins && new Set(flagged.map(v => v.client)).size === 1) {
        // A person has one latest version a client: on one client's flagged
        // versions nobody is counted twice.
        return {
          ...none,
          people,
          versions,
          flaggedPeople: flagged.reduce((n, v) => n + v.users, 0),
        };
      }
      found ??= await latest(scope, from, to, filter);
      if (!found) return { ...none, people, versions };
      const onFlagged = () =>
        rows().where(where => {
          for (const v of new Map(
            flagged.map(f => [`${f.client}\0${f.version}`, f]),
          ).values()) {
            where.orWhere({ client: v.client, version: v.version });
          }
        });
      if (!flags.withLogins) {
        const [record] = await onFlagged().countDistinct({ people: 'user_id' });
        return {
          ...none,
          people,
          versions,
          flaggedPeople: toNumber(record?.people),
        };
      }
      // One login a person: the intervals of two clients may hold two.
      const loginRecords: DbRecord[] = await onFlagged().distinct(
        'user_id',
        'user_login',
      );
      const logins = new Map(
        loginRecords.map(record => [
          toNumber(record.user_id),
          record.user_login as string,
        ]),
      );
      return {
        people,
        versions,
        flaggedPeople: logins.size,
        flaggedLogins: [...new Set(logins.values())],
      };
    },
  };
}
