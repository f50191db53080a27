/**
 * Day arithmetic on `YYYY-MM-DD` strings, always in UTC: days sort and compare as text
 * on SQLite and PostgreSQL alike, and no time zone can shift them.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function toMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

/** The UTC day of a date. */
export function toDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The UTC day of a date or ISO timestamp; undefined when it does not parse. */
export function toIsoDay(date: Date | string): string | undefined {
  const ms = typeof date === 'string' ? Date.parse(date) : date.getTime();
  return Number.isNaN(ms) ? undefined : toDay(new Date(ms));
}

/** Whether `day` is a real calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isIsoDay(day: string): boolean {
  return DAY_PATTERN.test(day) && toIsoDay(day) === day;
}

export function addDays(day: string, days: number): string {
  return toDay(new Date(toMs(day) + days * DAY_MS));
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function countDays(from: string, to: string): number {
  return Math.max(0, Math.round((toMs(to) - toMs(from)) / DAY_MS) + 1);
}

/** Every day from `from` to `to`, both included, ascending. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    days.push(day);
  }
  return days;
}

/** Data more days behind today than this is stale (the sync is unhealthy, admins are told). */
export const STALE_AFTER_DAYS = 4;

/**
 * How many days `lastDay` lies behind today (UTC): 2 when GitHub's latest report is
 * stored (it publishes a day two days later), null when nothing is stored.
 */
export function daysBehindToday(
  lastDay: string | null,
  now: Date = new Date(),
): number | null {
  return lastDay ? countDays(lastDay, toDay(now)) - 1 : null;
}
