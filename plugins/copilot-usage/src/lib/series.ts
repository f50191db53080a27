import {
  BreakdownItem,
  MetricsDay,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { isoWeek } from './days';

/** The document's days in date order (the chart x-axis). */
export function dailySeries(document: MetricsDocument): MetricsDay[] {
  return [...document.days].sort((a, b) => a.day.localeCompare(b.day));
}

export interface WeeklyAverage {
  /** ISO week, e.g. `2026-W47`. */
  week: string;
  /** The Monday the week starts on. */
  monday: string;
  /** Days of the week that have data in the range. */
  daysWithData: number;
  /** Mean of the daily active users over those days. */
  averageActiveUsers: number;
}

/**
 * Average daily active users per ISO week, over the days that have data (a
 * week cut by the range, or with missing days, is averaged over what is there).
 */
export function weeklyAverages(
  days: ReadonlyArray<Pick<MetricsDay, 'day' | 'activeUsers'>>,
): WeeklyAverage[] {
  const weeks = new Map<
    string,
    { monday: string; count: number; sum: number }
  >();
  for (const { day, activeUsers } of days) {
    const { week, monday } = isoWeek(day);
    const entry = weeks.get(week) ?? { monday, count: 0, sum: 0 };
    entry.count += 1;
    entry.sum += activeUsers;
    weeks.set(week, entry);
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, { monday, count, sum }]) => ({
      week,
      monday,
      daysWithData: count,
      averageActiveUsers: sum / count,
    }));
}

/** Breakdown items, most used first (by generations, then interactions). */
export function rankBreakdown(items: BreakdownItem[]): BreakdownItem[] {
  return [...items].sort(
    (a, b) =>
      b.codeGenerations - a.codeGenerations ||
      b.interactions - a.interactions ||
      a.key.localeCompare(b.key),
  );
}
