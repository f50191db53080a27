import { DateTime } from 'luxon';

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(day: string): DateTime {
  return DateTime.fromISO(day, { zone: 'utc' });
}

/** Whether `day` is a real calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isIsoDay(day: string): boolean {
  return DAY_PATTERN.test(day) && parseDay(day).isValid;
}

export function addDays(day: string, days: number): string {
  return parseDay(day).plus({ days }).toISODate()!;
}

/** Days from `from` to `to`, both included (0 when `to` is before `from`). */
export function countDays(from: string, to: string): number {
  return Math.max(0, parseDay(to).diff(parseDay(from), 'days').days + 1);
}

/** The UTC day of a date or ISO timestamp. */
export function toIsoDay(date: Date | string): string | undefined {
  const parsed =
    typeof date === 'string'
      ? DateTime.fromISO(date, { zone: 'utc' })
      : DateTime.fromJSDate(date, { zone: 'utc' });
  return parsed.isValid ? parsed.toISODate()! : undefined;
}
