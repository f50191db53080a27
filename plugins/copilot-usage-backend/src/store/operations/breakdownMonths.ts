/*
 * breakdown_month: per subject (org, team:<slug>) and month, the sums of its
 * breakdown_day rows per dimension and key, and the busiest day's users. A team's year
 * of breakdowns is about 30 keys a day: 11,000 rows scattered over as many pages,
 * 130-180 ms cold at 100,000 users; a dozen months of them are a few hundred rows.
 *
 * Each row carries the days of the month it sums as bits (`day_mask`, bit d - 1 for
 * day d). A team page leaves out its days below the minimum team size: a month whose
 * rows sum only shown days is read from here, any other from its breakdown_day rows.
 *
 * Every write of breakdown_day goes through the day writer, and every path that
 * writes a day then rebuilds its rollups (sync, erasure, restore) or, for an import,
 * the months of its days (`rebuildBreakdownMonths` with the subjects imported).
 * Unlike the rollups of per-user rows, these months are rebuilt before the retention
 * bound too: breakdown_day is never pruned.
 */
import { Knex } from 'knex';
import { ACTIVITY_COUNTER_KEYS } from '../../lib/counters';
import { ScopeKey } from '../../lib/scope';
import { BreakdownTotal } from '../CopilotUsageStore';
import { BreakdownDimension } from '../types';
import {
  COUNTER_COLUMNS,
  DbRecord,
  breakdownTotalFromRecord,
  toNumber,
} from '../records';
import { monthEnd, monthOf, monthStart, splitRange } from './teamMonths';

const counterColumns = ACTIVITY_COUNTER_KEYS.map(key => COUNTER_COLUMNS[key]);

/** Code-unit order, as the databases' default collations sort these ASCII keys. */
function compare(a: string, b: string) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function dayOfMonthBit(db: Knex, column: string) {
  const dayOfMonth =
    db.client.dialect === 'postgresql'
      ? `CAST(substring(${column} from 9 for 2) AS integer)`
      : `CAST(substr(${column}, 9, 2) AS integer)`;
  return `(1 << (${dayOfMonth} - 1))`;
}

/**
 * Replaces the scope's breakdown_month rows of the months of `days` from breakdown_day:
 * of every subject, or only of `subjects` (an import touches a few).
 */
export async function rebuildBreakdownMonths(
  trx: Knex.Transaction,
  scope: ScopeKey,
  days: string[],
  subjects?: string[],
): Promise<void> {
  if (subjects && subjects.length === 0) return;
  for (const month of [...new Set(days.map(monthOf))].sort()) {
    const existing = trx('breakdown_month').where({ scope, month });
    if (subjects) existing.whereIn('subject', subjects);
    await existing.delete();
    const bindings: string[] = [
      month,
      scope,
      monthStart(month),
      monthEnd(month),
    ];
    if (subjects) bindings.push(...subjects);
    await trx.raw(
      `INSERT INTO breakdown_month (scope, subject, month, dimension, key, users, day_mask,
         ${counterColumns.join(', ')})
       SELECT scope, subject, ?, dimension, key, MAX(users), SUM(${dayOfMonthBit(trx, 'day')}),
         ${counterColumns.map(c => `SUM(${c})`).join(', ')}
       FROM breakdown_day WHERE scope = ? AND day >= ? AND day <= ?
         ${subjects ? `AND subject IN (${subjects.map(() => '?').join(', ')})` : ''}
       GROUP BY scope, subject, dimension, key`,
      bindings,
    );
  }
}

/** Bits of the days of `month` among `days`, as day_mask holds them. */
function maskOf(month: string, days: string[]): number {
  let mask = 0;
  for (const day of days) {
    if (monthOf(day) === month) mask |= 1 << (Number(day.slice(8, 10)) - 1);
  }
  return mask;
}

/**
 * One subject's breakdowns over [from, to], summed per dimension and key, with the
 * busiest day's users (distinct users cannot be summed across days). With `onlyDays`,
 * only those days count.
 */
export async function getBreakdownTotals(
  db: Knex,
  scope: ScopeKey,
  subject: string,
  from: string,
  to: string,
  dimension?: BreakdownDimension,
  onlyDays?: string[],
): Promise<BreakdownTotal[]> {
  if (onlyDays && onlyDays.length === 0) return [];
  const { months, partial } = splitRange(from, to);
  const monthRecords: DbRecord[] = months.length
    ? await db('breakdown_month')
        .where({ scope, subject })
        .whereIn('month', months)
        .modify(query => dimension && query.where({ dimension }))
    : [];
  // A month whose rows include a day left out is read day by day instead.
  const shown = new Map(months.map(month => [month, -1]));
  if (onlyDays) {
    for (const month of months) shown.set(month, maskOf(month, onlyDays));
  }
  const dayRanges = [...partial];
  const partialMonths = new Set<string>();
  for (const record of monthRecords) {
    const mask = toNumber(record.day_mask);
    if ((mask & ~shown.get(record.month)!) !== 0)
      partialMonths.add(record.month);
  }
  for (const month of partialMonths) {
    dayRanges.push([monthStart(month), monthEnd(month)]);
  }
  const dayRecords: DbRecord[] = dayRanges.length
    ? await db('breakdown_day')
        .where({ scope, subject })
        .where(query => {
          for (const [start, end] of dayRanges) {
            query.orWhereBetween('day', [start, end]);
          }
        })
        .modify(query => {
          if (dimension) query.where({ dimension });
          if (onlyDays) query.whereIn('day', onlyDays);
        })
    : [];
  const totals = new Map<string, BreakdownTotal>();
  const add = (record: DbRecord) => {
    const id = `${record.dimension}\0${record.key}`;
    const total = totals.get(id);
    if (!total) {
      totals.set(id, breakdownTotalFromRecord(record));
      return;
    }
    total.users = Math.max(total.users, toNumber(record.users));
    for (const key of ACTIVITY_COUNTER_KEYS) {
      total[key] += toNumber(record[COUNTER_COLUMNS[key]]);
    }
  };
  for (const record of monthRecords) {
    if (!partialMonths.has(record.month)) add(record);
  }
  dayRecords.forEach(add);
  return [...totals.values()].sort(
    (a, b) => compare(a.dimension, b.dimension) || compare(a.key, b.key),
  );
}
