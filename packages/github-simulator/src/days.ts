/*
 * Calendar days as 'YYYY-MM-DD' strings (UTC) and as day numbers (days since
 * 1970-01-01), which are cheap to do arithmetic on and to hash.
 */

const MS_PER_DAY = 86_400_000;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD'; undefined when the string is not a real calendar day. */
export function parseDay(day: string): number | undefined {
  const match = DAY_PATTERN.exec(day);
  if (!match) {
    return undefined;
  }
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const dayNumber = ms / MS_PER_DAY;
  return formatDay(dayNumber) === day ? dayNumber : undefined;
}

export function toDayNumber(day: string): number {
  const dayNumber = parseDay(day);
  if (dayNumber === undefined) {
    throw new TypeError(`Invalid day '${day}', expected YYYY-MM-DD`);
  }
  return dayNumber;
}

export function formatDay(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return formatDay(toDayNumber(day) + days);
}

export function utcToday(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Saturday or Sunday (1970-01-01 was a Thursday). */
export function isWeekend(dayNumber: number): boolean {
  const weekday = (dayNumber + 4) % 7;
  return weekday === 0 || weekday === 6;
}

/** An ISO timestamp within the given day, `secondsIntoDay` after midnight UTC. */
export function timestampOn(dayNumber: number, secondsIntoDay: number): string {
  return new Date(dayNumber * MS_PER_DAY + secondsIntoDay * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, '.000Z');
}
