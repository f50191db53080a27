import { Knex } from 'knex';
import {
  MetricsCounters,
  emptyCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { addDays } from '../../lib/days';
import { ScopeKey } from '../../lib/scope';
import { COUNTER_COLUMNS, DbRecord, toNumber } from '../records';
import { DAY_BIT_WORDS } from './dayBits';

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
  cloudAgentUsers: number;
  copilotAppUsers: number;
  /**
   * The teams' AI credits summed: each team holds 1/n of a member's credits for a person
   * in n teams that day, so a set never counts more than the person's whole credits.
   * Null when no team of the set has credits that day.
   */
  aiCredits: number | null;
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
   * Figures of several sets of teams (a department and its children) over a range, a
   * person in two teams of a set counted once, as if the per-user rows were joined
   * with the same day's membership. Counters are summed over each set's distinct
   * (org, person) rows of a day. Days with fewer than `minMembers` distinct members in
   * a set leave that set's totals (never its days: the caller decides whether to
   * show them). Three reads whatever the number of teams and days (see below).
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
const FLAGS = [
  ['chatUsers', 'used_chat'],
  ['agentUsers', 'used_agent'],
  ['cliUsers', 'used_cli'],
  ['cloudAgentUsers', 'used_cloud_agent'],
  ['copilotAppUsers', 'used_copilot_app'],
] as const;

/** A per-user row's figures as {@link userRowsOf} reads them: the counters, then the flags (0 or 1). */
const ROW_FIGURES = counterKeys.length + FLAGS.length;

/**
 * Rows given as one JSON parameter (an array of objects), as a table: no bound-variable
 * limit, whatever the number of teams.
 */
function jsonTable(db: Knex): string {
  if (db.client.dialect === 'postgresql') {
    return `SELECT x.b AS bucket, x.s AS scope, x.t AS team_slug
      FROM json_to_recordset(CAST(? AS JSON)) AS x(b INTEGER, s TEXT, t TEXT)`;
  }
  return `SELECT CAST(json_extract(value, '$.b') AS INTEGER) AS bucket,
      json_extract(value, '$.s') AS scope, json_extract(value, '$.t') AS team_slug
    FROM json_each(?)`;
}

const teamJson = (teams: DepartmentTeamInput[]) =>
  JSON.stringify(
    teams.map(team => ({ b: team.bucket, s: team.scope, t: team.teamSlug })),
  );

const MS_PER_DAY = 86_400_000;
const numberOfDay = (day: string) =>
  Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY;

/** What a true boolean column reads back as (SQLite stores booleans as 0/1). */
const TRUE: unknown[] = [true, 1, '1', 't', 'true'];

/** One person's membership of one team of a bucket: a flag per day of [since, to]. */
interface PersonRow {
  scope: ScopeKey;
  member: Uint8Array;
  active: Uint8Array;
}

/** A person's rows in a set as one: a member (active) on a day in any of them. */
function combined(rows: PersonRow[], length: number) {
  if (rows.length === 1) return rows[0];
  const member = new Uint8Array(length);
  const active = new Uint8Array(length);
  for (const row of rows) {
    for (let index = 0; index < length; index++) {
      member[index] |= row.member[index];
      active[index] |= row.active[index];
    }
  }
  return { member, active };
}

/** Reads the day bits' words as two halves each, below 2^31: exact in every driver. */
const WORD_COLUMNS = (['active', 'member'] as const).flatMap(kind =>
  Array.from({ length: DAY_BIT_WORDS }, (_, word) => ({
    kind,
    word,
    lo: `${kind}_${word}_lo`,
    hi: `${kind}_${word}_hi`,
    sql: `(y.${kind}_w${word} & 2147483647) AS ${kind}_${word}_lo, (y.${kind}_w${word} >> 31) AS ${kind}_${word}_hi`,
  })),
);

/**
 * The figures come from what the rollups already hold, so the cost follows teams and
 * people, not people × days:
 * 1. team_day of the teams, summed per set and day: right wherever nobody is in two
 *    teams of the set that day;
 * 2. the day bits of the teams (one row per person, team and year): who was a member
 *    and active on which day, hence the distinct counts over any days, the rolling
 *    windows and the person-days counted twice in step 1;
 * 3. the per-user rows of just those person-days, to take the extra counts back out.
 */
export function departmentQueries(db: Knex): DepartmentQueries {
  return {
    async getDepartmentFigures({ teams, from, to, minMembers }) {
      if (teams.length === 0) {
        return { days: [], totals: [] };
      }
      // The rolling windows of `from` reach back 27 days.
      const since = addDays(from, -(MONTH_DAYS - 1));
      const first = numberOfDay(since);
      const length = numberOfDay(to) - first + 1;
      const fromIndex = numberOfDay(from) - first;
      // With one org a person has one row a day; with several, one in each.
      const oneOrg = new Set(teams.map(team => team.scope)).size === 1;
      const json = teamJson(teams);
      // Teams in the same sets are summed together, each team read once: a
      // department's teams are its children's (a Group has one parent).
      const setsOf = new Map<string, Set<number>>();
      for (const team of teams) {
        const key = `${team.scope}/${team.teamSlug}`;
        setsOf.set(key, (setsOf.get(key) ?? new Set()).add(team.bucket));
      }
      const groupOfSets = new Map<string, number>();
      const groupTeams = [...setsOf].map(([key, sets]) => {
        const signature = [...sets].sort((a, b) => a - b).join(',');
        if (!groupOfSets.has(signature)) {
          groupOfSets.set(signature, groupOfSets.size);
        }
        const [scope, ...slug] = key.split('/');
        return {
          bucket: groupOfSets.get(signature)!,
          scope: scope as ScopeKey,
          teamSlug: slug.join('/'),
        };
      });
      const setsOfGroup = [...groupOfSets.keys()].map(signature =>
        signature.split(',').map(Number),
      );

      const [sumRecords, bitRecords] = await Promise.all([
        db.raw(
          `WITH t AS MATERIALIZED (${jsonTable(db)})
           SELECT t.bucket, d.day, SUM(d.member_count) AS members,
             SUM(d.active_users) AS active, SUM(d.chat_users) AS chat,
             SUM(d.agent_users) AS agent, SUM(d.cli_users) AS cli,
             SUM(d.cloud_agent_users) AS cloud_agent, SUM(d.copilot_app_users) AS copilot_app,
             SUM(d.ai_credits) AS ai_credits, COUNT(d.ai_credits) AS credit_rows,
             ${counterColumns.map(c => `SUM(d.${c}) AS ${c}`).join(', ')}
           FROM t CROSS JOIN team_day d
           WHERE d.scope = t.scope AND d.team_slug = t.team_slug
             AND d.day >= ? AND d.day <= ? AND COALESCE(d.source, 'report') <> 'import'
           GROUP BY t.bucket, d.day`,
          [teamJson(groupTeams), from, to],
        ),
        // Each team once, whatever the number of sets it is in.
        db.raw(
          `WITH t AS MATERIALIZED (SELECT DISTINCT scope, team_slug FROM (${jsonTable(db)}) x)
           SELECT y.scope, y.team_slug, y.user_id, y.year,
             ${WORD_COLUMNS.map(c => c.sql).join(', ')}
           FROM t CROSS JOIN team_user_year y
           WHERE y.scope = t.scope AND y.team_slug = t.team_slug
             AND y.year >= ? AND y.year <= ?`,
          [json, Number(since.slice(0, 4)), Number(to.slice(0, 4))],
        ),
      ]);
      const rowsOf = (result: any): DbRecord[] =>
        Array.isArray(result) ? result : result.rows;

      // Step 2: each set's people, a flag per day: one row per person and team (its
      // years joined), shared by every set the team is in.
      const setsOfTeam = new Map<string, number[]>();
      for (const team of teams) {
        const key = `${team.scope}/${team.teamSlug}`;
        setsOfTeam.set(key, [...(setsOfTeam.get(key) ?? []), team.bucket]);
      }
      const personRows = new Map<
        string,
        { row: PersonRow; sets: number[]; userId: number }
      >();
      for (const record of rowsOf(bitRecords)) {
        const userId = toNumber(record.user_id);
        const team = `${record.scope}/${record.team_slug}`;
        const key = `${team}/${userId}`;
        let entry = personRows.get(key);
        if (!entry) {
          entry = {
            row: {
              scope: record.scope,
              member: new Uint8Array(length),
              active: new Uint8Array(length),
            },
            sets: [...new Set(setsOfTeam.get(team) ?? [])],
            userId,
          };
          personRows.set(key, entry);
        }
        const yearStart =
          Date.UTC(toNumber(record.year), 0, 1) / MS_PER_DAY - first;
        for (const { kind, word, lo, hi } of WORD_COLUMNS) {
          const flags = entry.row[kind];
          const halves = [toNumber(record[lo]), toNumber(record[hi])];
          for (let half = 0; half < 2; half++) {
            const offset = yearStart + word * 62 + half * 31;
            for (let rest = halves[half]; rest !== 0; rest &= rest - 1) {
              const index = offset + 31 - Math.clz32(rest & -rest);
              if (index >= 0 && index < length) flags[index] = 1;
            }
          }
        }
      }
      const people = new Map<number, Map<number, PersonRow[]>>();
      for (const { row, sets, userId } of personRows.values()) {
        for (const bucket of sets) {
          let ofBucket = people.get(bucket);
          if (!ofBucket) people.set(bucket, (ofBucket = new Map()));
          const rows = ofBucket.get(userId);
          if (rows) rows.push(row);
          else ofBucket.set(userId, [row]);
        }
      }

      // Step 1: the sums, one figure row per set and day with membership.
      const dayOf = new Map<string, DepartmentDayFigures>();
      for (const record of rowsOf(sumRecords)) {
        for (const bucket of setsOfGroup[toNumber(record.bucket)]) {
          const key = `${bucket}/${record.day}`;
          let day = dayOf.get(key);
          if (!day) {
            day = {
              bucket,
              day: record.day as string,
              memberCount: 0,
              activeUsers: 0,
              weeklyActiveUsers: 0,
              monthlyActiveUsers: 0,
              chatUsers: 0,
              agentUsers: 0,
              cliUsers: 0,
              cloudAgentUsers: 0,
              copilotAppUsers: 0,
              aiCredits: null,
              ...emptyCounters(),
            };
            dayOf.set(key, day);
          }
          day.memberCount += toNumber(record.members);
          day.activeUsers += toNumber(record.active);
          day.chatUsers += toNumber(record.chat);
          day.agentUsers += toNumber(record.agent);
          day.cliUsers += toNumber(record.cli);
          day.cloudAgentUsers += toNumber(record.cloud_agent);
          day.copilotAppUsers += toNumber(record.copilot_app);
          if (toNumber(record.credit_rows) > 0) {
            day.aiCredits = (day.aiCredits ?? 0) + Number(record.ai_credits);
          }
          for (const counter of counterKeys) {
            day[counter] += toNumber(record[COUNTER_COLUMNS[counter]]);
          }
        }
      }
      const days = [...dayOf.values()];
      days.sort((a, b) => a.bucket - b.bucket || a.day.localeCompare(b.day));

      // Step 3: the person-days in several rows of a set (two teams, two orgs).
      // Thousands of people a year of days each: no allocation per person-day.
      const dayNames: string[] = [];
      for (let index = 0; index < length; index++) {
        dayNames.push(index === 0 ? since : addDays(dayNames[index - 1], 1));
      }
      const twice: Array<{
        day: DepartmentDayFigures;
        userId: number;
        rows: PersonRow[];
        index: number;
        /** Rows active that day. */
        active: number;
      }> = [];
      for (const [bucket, ofBucket] of people) {
        for (const [userId, rows] of ofBucket) {
          if (rows.length < 2) continue;
          for (let index = fromIndex; index < length; index++) {
            let members = 0;
            let active = 0;
            for (const row of rows) {
              members += row.member[index];
              active += row.member[index] & row.active[index];
            }
            if (members < 2) continue;
            const day = dayOf.get(`${bucket}/${dayNames[index]}`);
            if (!day) continue;
            twice.push({
              day,
              userId,
              rows:
                members === rows.length
                  ? rows
                  : rows.filter(row => row.member[index]),
              index,
              active,
            });
          }
        }
      }
      // In one org a person-day's per-user row matters only when it was added twice.
      const indexOfDay = new Map(dayNames.map((name, index) => [name, index]));
      const userRows = await userRowsOf(
        db,
        twice.filter(t => t.active >= (oneOrg ? 2 : 1)),
        { from, to, length, indexOfDay },
      );
      // What step 1 added too often, per day figures: the counters, then the flags.
      const corrections = new Map<DepartmentDayFigures, Float64Array>();
      const correctionOf = (day: DepartmentDayFigures) => {
        let correction = corrections.get(day);
        if (!correction) {
          correction = new Float64Array(ROW_FIGURES);
          corrections.set(day, correction);
        }
        return correction;
      };
      for (const { day, userId, rows, index, active } of twice) {
        day.memberCount -= rows.length - 1;
        day.activeUsers -= active - (active ? 1 : 0);
        const key = userId * length + index;
        if (oneOrg) {
          if (active < 2) continue;
          // Step 1 added the person's row `active` times; it counts once.
          const found = userRows.get(rows[0].scope)?.get(key);
          if (!found) continue;
          const correction = correctionOf(day);
          for (let k = 0; k < ROW_FIGURES; k++) {
            correction[k] += (active - 1) * found[k];
          }
          continue;
        }
        // What step 1 added: each row its org's figures. What counts: each org once.
        const times = new Map<ScopeKey, number>();
        for (const row of rows) {
          if (row.active[index]) {
            times.set(row.scope, (times.get(row.scope) ?? 0) + 1);
          }
        }
        const correction = correctionOf(day);
        const flagged = new Uint8Array(FLAGS.length);
        for (const [scope, n] of times) {
          const found = userRows.get(scope)?.get(key);
          if (!found) continue;
          for (let k = 0; k < counterKeys.length; k++) {
            correction[k] += (n - 1) * found[k];
          }
          for (let f = 0; f < FLAGS.length; f++) {
            if (found[counterKeys.length + f]) {
              correction[counterKeys.length + f] += n;
              flagged[f] = 1;
            }
          }
        }
        for (let f = 0; f < FLAGS.length; f++) {
          correction[counterKeys.length + f] -= flagged[f];
        }
      }
      for (const [day, correction] of corrections) {
        counterKeys.forEach((key, k) => {
          day[key] -= correction[k];
        });
        FLAGS.forEach(([key], f) => {
          day[key] -= correction[counterKeys.length + f];
        });
      }

      // The rolling windows and the totals, from each person's days.
      const totals: DepartmentBucketTotals[] = [];
      for (const [bucket, ofBucket] of people) {
        const week = new Int32Array(length + 1);
        const month = new Int32Array(length + 1);
        const bucketDays = days.filter(day => day.bucket === bucket);
        const eligible = new Uint8Array(length);
        for (const day of bucketDays) {
          if (day.memberCount >= minMembers) {
            eligible[numberOfDay(day.day) - first] = 1;
          }
        }
        let members = 0;
        let activeUsers = 0;
        for (const rows of ofBucket.values()) {
          const { member, active } = combined(rows, length);
          let wasMember = false;
          let wasActive = false;
          let weekEnd = -1;
          let monthEnd = -1;
          for (let index = 0; index < length; index++) {
            if (eligible[index]) {
              wasMember ||= member[index] === 1;
              wasActive ||= active[index] === 1;
            }
            if (!active[index]) continue;
            // Each active day covers its window; a window overlapping the last joins it.
            const weekStart = Math.max(index, weekEnd + 1);
            weekEnd = Math.min(index + WEEK_DAYS - 1, length - 1);
            if (weekStart <= weekEnd) {
              week[weekStart] += 1;
              week[weekEnd + 1] -= 1;
            }
            const monthStart = Math.max(index, monthEnd + 1);
            monthEnd = Math.min(index + MONTH_DAYS - 1, length - 1);
            if (monthStart <= monthEnd) {
              month[monthStart] += 1;
              month[monthEnd + 1] -= 1;
            }
          }
          members += Number(wasMember);
          activeUsers += Number(wasActive);
        }
        for (let index = 1; index < length; index++) {
          week[index] += week[index - 1];
          month[index] += month[index - 1];
        }
        for (const day of bucketDays) {
          const index = numberOfDay(day.day) - first;
          day.weeklyActiveUsers = week[index];
          day.monthlyActiveUsers = month[index];
        }
        if (eligible.some(Boolean)) {
          totals.push({ bucket, members, activeUsers });
        }
      }
      totals.sort((a, b) => a.bucket - b.bucket);
      return { days, totals };
    },
  };
}

/** People per `user_id IN (…)`, well below every engine's variable limit. */
const USERS_PER_READ = 500;

/**
 * The figures of the per-user rows of the person-days, by scope and then by
 * `userId * length + index` (the day's index in the range of `length` days): number
 * keys, as tens of thousands of person-days are looked up.
 */
async function userRowsOf(
  db: Knex,
  wanted: Array<{ userId: number; rows: PersonRow[]; index: number }>,
  range: {
    from: string;
    to: string;
    length: number;
    indexOfDay: Map<string, number>;
  },
): Promise<Map<ScopeKey, Map<number, Float64Array>>> {
  const found = new Map<ScopeKey, Map<number, Float64Array>>();
  const users = new Set<number>();
  const scopes = new Set<ScopeKey>();
  const keys = new Set<number>();
  for (const { userId, rows, index } of wanted) {
    users.add(userId);
    keys.add(userId * range.length + index);
    for (const row of rows) scopes.add(row.scope);
  }
  const ids = [...users];
  for (let i = 0; i < ids.length; i += USERS_PER_READ) {
    const records: DbRecord[] = await db('user_day')
      .select(
        'scope',
        'user_id',
        'day',
        ...FLAGS.map(([, column]) => column),
        ...counterColumns,
      )
      .whereIn('scope', [...scopes])
      .whereIn('user_id', ids.slice(i, i + USERS_PER_READ))
      .whereBetween('day', [range.from, range.to]);
    for (const record of records) {
      const key =
        toNumber(record.user_id) * range.length +
        range.indexOfDay.get(record.day as string)!;
      // The person's other days in the range are read too: only these are kept.
      if (!keys.has(key)) continue;
      const figures = new Float64Array(ROW_FIGURES);
      counterColumns.forEach((column, k) => {
        figures[k] = toNumber(record[column]);
      });
      FLAGS.forEach(([, column], f) => {
        figures[counterColumns.length + f] = TRUE.includes(record[column])
          ? 1
          : 0;
      });
      const scope = record.scope as ScopeKey;
      let ofScope = found.get(scope);
      if (!ofScope) found.set(scope, (ofScope = new Map()));
      ofScope.set(key, figures);
    }
  }
  return found;
}
