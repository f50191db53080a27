/*
 * Day arithmetic on `YYYY-MM-DD` strings in UTC, the format of every day the
 * backend sends. UTC midnight timestamps avoid daylight-saving surprises.
 */

import { PUBLISHING_LAG_DAYS } from '@copilot-usage/backstage-plugin-copilot-usage-common';

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** The UTC day of a date. */
export function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function parseDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

export function addDays(day: string, days: number): string {
  return toDay(new Date(parseDay(day) + days * MS_PER_DAY));
}

/** Days from `from` to `to`, both included. */
export function countDays(from: string, to: string): number {
  return Math.round((parseDay(to) - parseDay(from)) / MS_PER_DAY) + 1;
}

export function isIsoDay(text: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(text) &&
    !Number.isNaN(parseDay(text)) &&
    toDay(new Date(parseDay(text))) === text
  );
}

export interface Range {
  from: string;
  to: string;
}

/** The `days` days ending at the last day GitHub has published, as of `now`. */
export function lastDaysRange(days: number, now: Date = new Date()): Range {
  const to = addDays(toDay(now), -PUBLISHING_LAG_DAYS);
  return { from: addDays(to, -(days - 1)), to };
}

/** The period of equal length just before `range`, for "change vs previous period". */
export function previousRange(range: Range): Range {
  const length = countDays(range.from, range.to);
  const to = addDays(range.from, -1);
  return { from: addDays(to, -(length - 1)), to };
}

/**
 * The ISO 8601 week of a day, e.g. `2026-W47`, and the Monday it starts on.
 * ISO weeks belong to the year of their Thursday.
 */
export function isoWeek(day: string): { week: string; monday: string } {
  const time = parseDay(day);
  const weekday = (new Date(time).getUTCDay() + 6) % 7; // Monday = 0
  const monday = time - weekday * MS_PER_DAY;
  const thursday = new Date(monday + 3 * MS_PER_DAY);
  const year = thursday.getUTCFullYear();
  const firstThursdayOfYear = Date.UTC(year, 0, 4); // Jan 4 is always in week 1
  const week1Monday =
    firstThursdayOfYear -
    ((new Date(firstThursdayOfYear).getUTCDay() + 6) % 7) * MS_PER_DAY;
  const weekNumber = Math.round((monday - week1Monday) / (7 * MS_PER_DAY)) + 1;
  return {
    week: `${year}-W${String(weekNumber).padStart(2, '0')}`,
    monday: toDay(new Date(monday)),
  };
}
