import { Knex } from 'knex';
import { MetricsCounters } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { addDays, daysBetween } from '../../lib/days';
import { ScopeKey } from '../../lib/scope';
import { COUNTER_COLUMNS, DbRecord, toNumber } from '../records';

/** Trailing windows of the rolling figures, the day itself included (as for a team). */
const WEEK_DAYS = 7;
const MONTH_DAYS = 28;

/**
 * One team of a department query. `bucket` names the set the team counts in: the
 * department itself and each of its child Groups are buckets of their own, so a team
 * is listed once per bucket it belongs to.
 */
export interface DepartmentTeamInput {
  bucket: number;
  scope: ScopeKey;
  teamSlug: string;
}

/** One bucket's figures of one day: distinct users over the bucket's teams. */
export interface DepartmentDayFigures extends MetricsCounters {
  bucket: number;
  day: string;
  /** Distinct people in any of the bucket's teams that day. */
  memberCount: number;
  /** Distinct members with a per-user row that day. */
  activeUsers: number;
  weeklyActiveUsers: number;
  monthlyActiveUsers: number;
  chatUsers: number;
  agentUsers: number;
  cliUsers: number;
}

/** One bucket's figures over the range's days with at least `minMembers` members. */
export interface DepartmentBucketTotals {
  bucket: number;
  /** Distinct people active on any of those days while a member. */
  activeUsers: number;
  /** Distinct people who were members on any of those days. */
  members: number;
}

export interface DepartmentFigures {
  /** Every bucket's days that have membership, by bucket then day. */
  days: DepartmentDayFigures[];
  /** One entry per bucket with at least one day of `minMembers` members. */
  totals: DepartmentBucketTotals[];
}

/** The store's department reads (`DepartmentQueries` of the store). */
export interface DepartmentQueries {
  /**
   * Figures of several sets of teams (a department and its children) over a range, in
   * one statement whatever the number of teams: per-user rows joined with the same
   * day's membership, so a person in two teams of a set counts once. Counters are
   * summed over each set's distinct (org, person) rows of a day. Days with fewer than
   * `minMembers` distinct members in a set leave that set's totals (never its days:
   * the caller decides whether to show them).
   */
  getDepartmentFigures(input: {
    teams: DepartmentTeamInput[];
    from: string;
    to: string;
    minMembers: number;
  }): Promise<DepartmentFigures>;
}

const counterKeys = Object.keys(COUNTER_COLUMNS) as Array<
  keyof MetricsCounters
>;
const counterColumns = Object.values(COUNTER_COLUMNS);

/** Days since 1970-01-01 of a `YYYY-MM-DD` column, in SQL. */
function dayNumber(db: Knex, column: string): string {
  return db.client.dialect === 'postgresql'
    ? `(CAST(${column} AS DATE) - DATE '1970-01-01')`
    : `CAST(julianday(${column}) - 2440587.5 AS INTEGER)`;
}

/** The team list as a table from one JSON parameter (no bound-variable limit). */
function teamTable(db: Knex): string {
  return db.client.dialect === 'postgresql'
    ? `SELECT x.b AS bucket, x.s AS scope, x.t AS team_slug
       FROM json_to_recordset(CAST(? AS JSON)) AS x(b INTEGER, s TEXT, t TEXT)`
    : `SELECT CAST(json_extract(value, '$.b') AS INTEGER) AS bucket,
         json_extract(value, '$.s') AS scope, json_extract(value, '$.t') AS team_slug
       FROM json_each(?)`;
}

/** The days as a table from one JSON parameter. */
function dayTable(db: Knex): string {
  return db.client.dialect === 'postgresql'
    ? `SELECT x.d AS day FROM json_to_recordset(CAST(? AS JSON)) AS x(d TEXT)`
    : `SELECT json_extract(value, '$.d') AS day FROM json_each(?)`;
}

const MS_PER_DAY = 86_400_000;
const numberOfDay = (day: string) =>
  Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY;

export function departmentQueries(db: Knex): DepartmentQueries {
  return {
    async getDepartmentFigures({ teams, from, to, minMembers }) {
      if (teams.length === 0) {
        return { days: [], totals: [] };
      }
      // The rolling windows of `from` reach back 27 days.
      const since = addDays(from, -(MONTH_DAYS - 1));
      const flag = (column: string) =>
        `COUNT(DISTINCT CASE WHEN u.${column} THEN u.active_id END)`;
      const dn = dayNumber(db, 'a.day');
      const windowStart = (days: number) =>
        `CASE WHEN w.gap IS NULL OR w.gap >= ${days} THEN w.dn ELSE w.dn + ${days} - w.gap END`;
      const nulls = (n: number) => Array(n).fill('NULL').join(', ');
      const figureCount = 5 + counterColumns.length;
      // SQLite keeps the order of a CROSS JOIN: one primary-key seek per team and day
      // (scope, day, team_slug); joining the teams to a day range instead reads the
      // whole range once per team. PostgreSQL plans it as a join of its own.
      // m: each bucket's memberships, one row per (bucket, org, day, person), with the
      // bucket's distinct people that day (a dense rank's maximum: no join needed);
      // mu: with the person's row of that day, if any. Every figure is one pass over mu.
      const sql = `
        WITH t AS MATERIALIZED (${teamTable(db)}),
        dd AS MATERIALIZED (${dayTable(db)}),
        m AS (
          SELECT DISTINCT t.bucket, ut.scope, ut.day, ut.user_id
          FROM t CROSS JOIN dd CROSS JOIN user_team_day ut
          WHERE ut.scope = t.scope AND ut.day = dd.day AND ut.team_slug = t.team_slug
        ),
        ranked AS (
          SELECT m.*, DENSE_RANK() OVER (PARTITION BY m.bucket, m.day ORDER BY m.user_id) AS person
          FROM m
        ),
        mu AS (
          SELECT r.bucket, r.day, r.user_id,
            MAX(r.person) OVER (PARTITION BY r.bucket, r.day) AS day_members,
            u.user_id AS active_id, u.used_chat, u.used_agent, u.used_cli,
            ${counterColumns.map(c => `u.${c}`).join(', ')}
          FROM ranked r LEFT JOIN user_day u
            ON u.scope = r.scope AND u.day = r.day AND u.user_id = r.user_id
        ),
        a AS (
          SELECT DISTINCT bucket, day, active_id FROM mu WHERE active_id IS NOT NULL
        ),
        w AS (
          SELECT a.bucket, ${dn} AS dn,
            ${dn} - LAG(${dn}) OVER (PARTITION BY a.bucket, a.active_id ORDER BY a.day) AS gap
          FROM a
        )
        SELECT 'day' AS kind, u.bucket, u.day, NULL AS dn,
          COUNT(DISTINCT u.user_id) AS members, COUNT(DISTINCT u.active_id) AS active,
          ${flag('used_chat')} AS chat, ${flag('used_agent')} AS agent,
          ${flag('used_cli')} AS cli,
          ${counterColumns.map(c => `COALESCE(SUM(u.${c}), 0) AS ${c}`).join(', ')}
        FROM mu u WHERE u.day >= ?
        GROUP BY u.bucket, u.day
        UNION ALL
        SELECT 'active', w.bucket, NULL, w.dn, COUNT(*), ${nulls(figureCount - 1)}
        FROM w GROUP BY w.bucket, w.dn
        UNION ALL
        SELECT 'week', w.bucket, NULL, ${windowStart(WEEK_DAYS)}, COUNT(*), ${nulls(figureCount - 1)}
        FROM w GROUP BY w.bucket, ${windowStart(WEEK_DAYS)}
        UNION ALL
        SELECT 'month', w.bucket, NULL, ${windowStart(MONTH_DAYS)}, COUNT(*), ${nulls(figureCount - 1)}
        FROM w GROUP BY w.bucket, ${windowStart(MONTH_DAYS)}
        UNION ALL
        SELECT 'total', u.bucket, NULL, NULL, COUNT(DISTINCT u.user_id),
          COUNT(DISTINCT u.active_id), ${nulls(figureCount - 2)}
        FROM mu u WHERE u.day >= ? AND u.day_members >= ?
        GROUP BY u.bucket`;
      const json = JSON.stringify(
        teams.map(team => ({
          b: team.bucket,
          s: team.scope,
          t: team.teamSlug,
        })),
      );
      const dayJson = JSON.stringify(daysBetween(since, to).map(d => ({ d })));
      const result = await db.raw(sql, [json, dayJson, from, from, minMembers]);
      const records: DbRecord[] = Array.isArray(result) ? result : result.rows;
      return assemble(records, since, from, to);
    },
  };
}

/** Turns the statement's rows into days with their rolling windows, and totals. */
function assemble(
  records: DbRecord[],
  since: string,
  from: string,
  to: string,
): DepartmentFigures {
  const first = numberOfDay(since);
  const length = numberOfDay(to) - first + 1;
  const series = new Map<
    number,
    { active: number[]; week: number[]; month: number[] }
  >();
  const seriesOf = (bucket: number) => {
    let entry = series.get(bucket);
    if (!entry) {
      const zeros = () => new Array<number>(length).fill(0);
      entry = { active: zeros(), week: zeros(), month: zeros() };
      series.set(bucket, entry);
    }
    return entry;
  };
  const days: DepartmentDayFigures[] = [];
  const totals: DepartmentBucketTotals[] = [];
  for (const record of records) {
    const bucket = toNumber(record.bucket);
    const kind = record.kind as string;
    if (kind === 'day') {
      days.push({
        bucket,
        day: record.day as string,
        memberCount: toNumber(record.members),
        activeUsers: toNumber(record.active),
        weeklyActiveUsers: 0,
        monthlyActiveUsers: 0,
        chatUsers: toNumber(record.chat),
        agentUsers: toNumber(record.agent),
        cliUsers: toNumber(record.cli),
        ...(Object.fromEntries(
          counterKeys.map(key => [key, toNumber(record[COUNTER_COLUMNS[key]])]),
        ) as unknown as MetricsCounters),
      });
    } else if (kind === 'total') {
      totals.push({
        bucket,
        members: toNumber(record.members),
        activeUsers: toNumber(record.active),
      });
    } else {
      const index = toNumber(record.dn) - first;
      if (index >= 0 && index < length) {
        const key = kind as 'active' | 'week' | 'month';
        seriesOf(bucket)[key][index] += toNumber(record.members);
      }
    }
  }
  // A person's active days each open a piece of coverage that starts where the
  // previous day's window ended (or on the day) and ends WINDOW days after the day:
  // at any day, the open pieces are the distinct people active in the window.
  const rolling = new Map<number, { week: number[]; month: number[] }>();
  for (const [bucket, { active, week, month }] of series) {
    const windowed = (starts: number[], size: number) => {
      const out = new Array<number>(length).fill(0);
      let open = 0;
      for (let i = 0; i < length; i++) {
        open += starts[i] - (i >= size ? active[i - size] : 0);
        out[i] = open;
      }
      return out;
    };
    rolling.set(bucket, {
      week: windowed(week, WEEK_DAYS),
      month: windowed(month, MONTH_DAYS),
    });
  }
  const fromIndex = numberOfDay(from) - first;
  for (const day of days) {
    const index = numberOfDay(day.day) - first;
    const windows = rolling.get(day.bucket);
    if (windows && index >= fromIndex) {
      day.weeklyActiveUsers = windows.week[index];
      day.monthlyActiveUsers = windows.month[index];
    }
  }
  days.sort((a, b) => a.bucket - b.bucket || a.day.localeCompare(b.day));
  totals.sort((a, b) => a.bucket - b.bucket);
  return { days, totals };
}
