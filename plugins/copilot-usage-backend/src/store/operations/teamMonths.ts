/*
 * team_month: per team and month, the sums of its team_day rows from the reports, so
 * the comparison of every team over a year reads about a dozen rows a team instead of
 * 365 (5,000 teams: 60,000 rows, not 1.8 million). Imported rows (source 'import')
 * stay out: the importer writes them without a rollup rebuild, so reads add them from
 * team_day through the partial index `team_day_import_idx`.
 *
 * A range is read as its whole months from team_month and its partial months at both
 * ends from team_day. The days with at least `minMembers` members follow from the
 * month's smallest and largest member count, or, for a month on both sides of it, from
 * that team's team_day rows of the month.
 */
import { Knex } from 'knex';
import { MetricsCounters } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { addDays } from '../../lib/days';
import { ScopeKey } from '../../lib/scope';
import { COUNTER_COLUMNS, DbRecord, toNumber } from '../records';
import { roundedToSix } from './util';

const counterColumns = Object.values(COUNTER_COLUMNS);
const counterKeys = Object.keys(COUNTER_COLUMNS) as Array<
  keyof MetricsCounters
>;

export const monthOf = (day: string) => day.slice(0, 7);
export const monthStart = (month: string) => `${month}-01`;
export function monthEnd(month: string) {
  const [year, m] = month.split('-').map(Number);
  const next =
    m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return addDays(monthStart(next), -1);
}

/** Replaces the scope's team_month rows of the months of `days` from its team_day rows. */
export async function rebuildTeamMonths(
  trx: Knex.Transaction,
  scope: ScopeKey,
  days: string[],
): Promise<void> {
  for (const month of [...new Set(days.map(monthOf))].sort()) {
    await trx('team_month').where({ scope, month }).delete();
    await trx.raw(
      `INSERT INTO team_month (scope, team_slug, month, days, min_member_count,
         max_member_count, last_day, last_member_count, last_team_id, active_user_days,
         member_days, ai_credits, credit_days, ${counterColumns.join(', ')})
       SELECT s.scope, s.team_slug, ?, s.days, s.min_member_count, s.max_member_count,
         s.last_day, l.member_count, l.team_id, s.active_user_days, s.member_days,
         s.ai_credits, s.credit_days, ${counterColumns.map(c => `s.${c}`).join(', ')}
       FROM (SELECT scope, team_slug, COUNT(*) AS days, MIN(member_count) AS min_member_count,
           MAX(member_count) AS max_member_count, MAX(day) AS last_day,
           SUM(active_users) AS active_user_days, SUM(member_count) AS member_days,
           ${roundedToSix(trx, 'SUM(ai_credits)')} AS ai_credits, COUNT(ai_credits) AS credit_days,
           ${counterColumns.map(c => `SUM(${c}) AS ${c}`).join(', ')}
         FROM team_day WHERE scope = ? AND day >= ? AND day <= ? AND source <> 'import'
         GROUP BY scope, team_slug) s
       JOIN team_day l ON l.scope = s.scope AND l.team_slug = s.team_slug AND l.day = s.last_day`,
      [month, scope, monthStart(month), monthEnd(month)],
    );
  }
  await rebuildTeamLatestDays(trx, scope);
}

/**
 * team_latest_day of the scope: each team's last reported day and its members, from
 * the team's last month. A team list joined each team's last month itself: 41 ms of
 * PostgreSQL at 5,000 teams, every time.
 */
async function rebuildTeamLatestDays(trx: Knex.Transaction, scope: ScopeKey) {
  await trx('team_latest_day').where({ scope }).delete();
  await trx.raw(
    `INSERT INTO team_latest_day (scope, team_slug, day, team_id, member_count)
     SELECT t.scope, t.team_slug, t.last_day, t.last_team_id, t.last_member_count
     FROM team_month t
     JOIN (SELECT scope, team_slug, MAX(month) AS month FROM team_month
       WHERE scope = ? GROUP BY scope, team_slug) l
       ON l.scope = t.scope AND l.team_slug = t.team_slug AND l.month = t.month`,
    [scope],
  );
}

/** The whole months of [from, to], and the partial ranges before and after them. */
export function splitRange(from: string, to: string) {
  const first = from.endsWith('-01')
    ? monthOf(from)
    : monthOf(addDays(monthEnd(monthOf(from)), 1));
  const last =
    monthEnd(monthOf(to)) === to
      ? monthOf(to)
      : monthOf(addDays(monthStart(monthOf(to)), -1));
  if (first > last) {
    return { months: [] as string[], partial: [[from, to]] };
  }
  const months: string[] = [];
  for (let month = first; month <= last;) {
    months.push(month);
    month = monthOf(addDays(monthEnd(month), 1));
  }
  const partial: string[][] = [];
  if (from < monthStart(first)) {
    partial.push([from, addDays(monthStart(first), -1)]);
  }
  if (to > monthEnd(last)) {
    partial.push([addDays(monthEnd(last), 1), to]);
  }
  return { months, partial };
}

/** One team's sums over some of the range's days. */
export interface TeamSums extends MetricsCounters {
  days: number;
  eligibleDays: number;
  reportDays: number;
  lastDay: string;
  lastMemberCount: number;
  activeUserDays: number;
  memberDays: number;
  aiCredits: number;
  creditDays: number;
}

/** The figures of {@link TeamSums} that add up. */
const ADDED_KEYS = [
  'days',
  'eligibleDays',
  'reportDays',
  'activeUserDays',
  'memberDays',
  'aiCredits',
  'creditDays',
  ...counterKeys,
] as const;

function add(into: Map<string, TeamSums>, slug: string, sums: TeamSums) {
  const total = into.get(slug);
  if (!total) {
    into.set(slug, sums);
    return;
  }
  for (const key of ADDED_KEYS) {
    total[key] += sums[key];
  }
  if (sums.lastDay > total.lastDay) {
    total.lastDay = sums.lastDay;
    total.lastMemberCount = sums.lastMemberCount;
  }
}

/**
 * `MAX(<day>:<member count>)`: the member count of the team's last day, in the pass
 * that sums it (days have one width, so the text order is the day order).
 */
function lastMembersOf(db: Knex, day: string, members: string) {
  return db.raw(`MAX(${day} || ':' || CAST(${members} AS TEXT))`);
}
const memberCountOf = (record: DbRecord) =>
  toNumber(String(record.last_members).slice(11));

/**
 * A team's record of summed rows, as {@link TeamSums}; built in place (5,000 teams'
 * records make garbage enough).
 */
function sumsOf(record: DbRecord, moreEligibleDays = 0): TeamSums {
  const sums = {
    days: toNumber(record.days),
    eligibleDays: toNumber(record.eligible_days) + moreEligibleDays,
    reportDays: toNumber(record.report_days),
    lastDay: record.last_day as string,
    lastMemberCount: memberCountOf(record),
    activeUserDays: toNumber(record.active_user_days),
    memberDays: toNumber(record.member_days),
    aiCredits: toNumber(record.ai_credits),
    creditDays: toNumber(record.credit_days),
  } as TeamSums;
  for (const key of counterKeys) {
    sums[key] = toNumber(record[COUNTER_COLUMNS[key]]);
  }
  return sums;
}

/** Sums of team_day rows per team over [from, to], all rows or the imported ones only. */
async function teamDaySums(
  db: Knex,
  scope: ScopeKey,
  from: string,
  to: string,
  minMembers: number,
  onlyImported: boolean,
): Promise<Map<string, TeamSums>> {
  const rows = () => {
    const query = db('team_day')
      .where({ scope })
      .whereBetween('day', [from, to]);
    // A literal, so SQLite too can use the partial index.
    return onlyImported ? query.whereRaw("source = 'import'") : query;
  };
  const sums = rows()
    .select('team_slug')
    .count({ days: '*' })
    .max({ last_day: 'day' })
    .select({
      eligible_days: db.raw(
        'SUM(CASE WHEN member_count >= ? THEN 1 ELSE 0 END)',
        [minMembers],
      ),
      report_days: db.raw("SUM(CASE WHEN source = 'import' THEN 0 ELSE 1 END)"),
    })
    .sum({ active_user_days: 'active_users', member_days: 'member_count' })
    .sum({ ai_credits: 'ai_credits' })
    .count({ credit_days: 'ai_credits' })
    .groupBy('team_slug');
  for (const column of counterColumns) {
    sums.sum({ [column]: column });
  }
  sums.select({ last_members: lastMembersOf(db, 'day', 'member_count') });
  const records: DbRecord[] = await sums;
  return new Map(
    records.map(record => [record.team_slug as string, sumsOf(record)]),
  );
}

/** Sums of the team_month rows of the months per team, summed by the database. */
async function teamMonthSums(
  db: Knex,
  scope: ScopeKey,
  months: string[],
  minMembers: number,
): Promise<Map<string, TeamSums>> {
  const rows = () =>
    db('team_month')
      .where({ scope })
      .whereBetween('month', [months[0], months[months.length - 1]]);
  const sums = rows()
    .select('team_slug')
    .sum({ days: 'days', report_days: 'days' })
    .max({ last_day: 'last_day' })
    .select({
      // Months with days on both sides of minMembers are counted below.
      eligible_days: db.raw(
        'SUM(CASE WHEN min_member_count >= ? THEN days ELSE 0 END)',
        [minMembers],
      ),
    })
    .sum({
      active_user_days: 'active_user_days',
      member_days: 'member_days',
      ai_credits: 'ai_credits',
      credit_days: 'credit_days',
    })
    .groupBy('team_slug');
  for (const column of counterColumns) {
    sums.sum({ [column]: column });
  }
  sums.select({
    last_members: lastMembersOf(db, 'last_day', 'last_member_count'),
  });
  const [records, mixed] = await Promise.all([
    sums as Promise<DbRecord[]>,
    rows()
      .select('month', 'team_slug')
      .where('min_member_count', '<', minMembers)
      .where('max_member_count', '>=', minMembers) as Promise<DbRecord[]>,
  ]);
  const mixedByMonth = new Map<string, string[]>();
  for (const { month, team_slug: slug } of mixed) {
    mixedByMonth.set(month, [...(mixedByMonth.get(month) ?? []), slug]);
  }
  const eligibleOfMixed = new Map<string, number>();
  for (const [month, slugs] of mixedByMonth) {
    for (let i = 0; i < slugs.length; i += 500) {
      const counts: DbRecord[] = await db('team_day')
        .select('team_slug')
        .count({ days: '*' })
        .where({ scope })
        .whereIn('team_slug', slugs.slice(i, i + 500))
        .whereBetween('day', [monthStart(month), monthEnd(month)])
        .where('member_count', '>=', minMembers)
        .whereNot({ source: 'import' })
        .groupBy('team_slug');
      for (const count of counts) {
        const slug = count.team_slug as string;
        eligibleOfMixed.set(
          slug,
          (eligibleOfMixed.get(slug) ?? 0) + toNumber(count.days),
        );
      }
    }
  }
  return new Map(
    records.map(record => {
      const slug = record.team_slug as string;
      return [slug, sumsOf(record, eligibleOfMixed.get(slug))];
    }),
  );
}

/**
 * Every team's sums over [from, to]: whole months from team_month (plus their
 * imported rows from team_day), the partial months from team_day.
 */
export async function getTeamSums(
  db: Knex,
  scope: ScopeKey,
  from: string,
  to: string,
  minMembers: number,
): Promise<Map<string, TeamSums>> {
  const { months, partial } = splitRange(from, to);
  const parts = await Promise.all([
    ...partial.map(([a, b]) => teamDaySums(db, scope, a, b, minMembers, false)),
    ...(months.length
      ? [
          teamMonthSums(db, scope, months, minMembers),
          teamDaySums(
            db,
            scope,
            monthStart(months[0]),
            monthEnd(months[months.length - 1]),
            minMembers,
            true,
          ),
        ]
      : []),
  ]);
  const total = new Map<string, TeamSums>();
  for (const part of parts) {
    for (const [slug, sums] of part) add(total, slug, sums);
  }
  return total;
}

/** Byte order, as the databases sort these ASCII keys. */
const compare = (a: string, b: string) => {
  if (a < b) return -1;
  return a > b ? 1 : 0;
};

/** Each team's row of the last day it has one (of any scope, or of `scope`). */
export async function getLastTeamDays(
  db: Knex,
  scope?: ScopeKey,
): Promise<
  Array<{
    scope: ScopeKey;
    teamSlug: string;
    teamId: number;
    lastDay: string;
    memberCount: number;
  }>
> {
  const reportedLast = db('team_latest_day').select(
    'scope',
    'team_slug',
    'team_id',
    'day',
    'member_count',
  );
  const lastImports = db('team_day')
    .select('scope', 'team_slug')
    .max({ last_day: 'day' })
    .whereRaw("source = 'import'")
    .groupBy('scope', 'team_slug');
  if (scope) {
    reportedLast.where({ scope });
    lastImports.where({ scope });
  }
  // The imported rows are found through their partial index first: joined blind,
  // PostgreSQL hashed all of team_day for them (50 ms at 5,000 teams).
  const importedLast: DbRecord[] = await lastImports;
  const [reported, imported] = await Promise.all([
    reportedLast as Promise<DbRecord[]>,
    importedLast.length
      ? (db('team_day as t')
          .join(lastImports.as('l'), join =>
            join
              .on('t.scope', 'l.scope')
              .andOn('t.team_slug', 'l.team_slug')
              .andOn('t.day', 'l.last_day'),
          )
          .select(
            't.scope',
            't.team_slug',
            't.team_id',
            't.day',
            't.member_count',
          ) as Promise<DbRecord[]>)
      : [],
  ]);
  const last = new Map<string, DbRecord>();
  for (const record of [...reported, ...imported]) {
    const key = `${record.scope}\n${record.team_slug}`;
    const known = last.get(key);
    if (!known || record.day > known.day) last.set(key, record);
  }
  return [...last.values()]
    .sort((a, b) =>
      a.scope === b.scope
        ? compare(a.team_slug, b.team_slug)
        : compare(a.scope, b.scope),
    )
    .map(record => ({
      scope: record.scope,
      teamSlug: record.team_slug,
      teamId: toNumber(record.team_id),
      lastDay: record.day,
      memberCount: toNumber(record.member_count),
    }));
}
