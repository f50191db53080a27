import {
  addDays,
  countDays,
  isIsoDay,
  isoWeek,
  lastDaysRange,
  previousRange,
} from './days';

describe('days', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-10-31', 1)).toBe('2026-11-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('counts both ends of a range', () => {
    expect(countDays('2026-11-01', '2026-11-01')).toBe(1);
    expect(countDays('2026-11-01', '2026-11-28')).toBe(28);
    // across the end of daylight saving time in Europe (no 23-hour day in UTC)
    expect(countDays('2026-10-24', '2026-10-26')).toBe(3);
  });

  it('tells real calendar days from lookalikes', () => {
    expect(isIsoDay('2026-02-28')).toBe(true);
    expect(isIsoDay('2026-02-30')).toBe(false);
    expect(isIsoDay('2026-2-3')).toBe(false);
    expect(isIsoDay('')).toBe(false);
  });

  it('ends "last N days" at the last day GitHub has published (2 days back)', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    expect(lastDaysRange(7, now)).toEqual({
      from: '2026-11-13',
      to: '2026-11-19',
    });
    expect(countDays(lastDaysRange(28, now).from, '2026-11-19')).toBe(28);
  });

  it('gives the previous period of the same length, ending the day before', () => {
    expect(previousRange({ from: '2026-11-01', to: '2026-11-28' })).toEqual({
      from: '2026-10-04',
      to: '2026-10-31',
    });
    expect(previousRange({ from: '2026-03-01', to: '2026-03-01' })).toEqual({
      from: '2026-02-28',
      to: '2026-02-28',
    });
  });

  it.each([
    ['2026-11-21', '2026-W47', '2026-11-16'], // a Saturday
    ['2026-11-16', '2026-W47', '2026-11-16'], // a Monday
    ['2026-11-22', '2026-W47', '2026-11-16'], // a Sunday
    ['2027-01-01', '2026-W53', '2026-12-28'], // belongs to the previous ISO year
    ['2025-12-29', '2026-W01', '2025-12-29'], // belongs to the next ISO year
    ['2021-01-03', '2020-W53', '2020-12-28'],
  ])('puts %s in ISO week %s starting %s', (day, week, monday) => {
    expect(isoWeek(day)).toEqual({ week, monday });
  });
});
