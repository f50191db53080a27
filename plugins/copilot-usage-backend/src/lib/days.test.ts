import { addDays, countDays, daysBetween, isIsoDay, toIsoDay } from './days';

describe('days', () => {
  it('accepts real calendar days only', () => {
    expect(isIsoDay('2026-02-28')).toBe(true);
    expect(isIsoDay('2028-02-29')).toBe(true);
    expect(isIsoDay('2026-02-29')).toBe(false);
    expect(isIsoDay('2026-02-30')).toBe(false);
    expect(isIsoDay('2026-2-3')).toBe(false);
    expect(isIsoDay('2026-13-01')).toBe(false);
    expect(isIsoDay("2026-01-01' OR 1=1")).toBe(false);
  });

  it('does arithmetic across months, years and DST changes', () => {
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(countDays('2026-10-24', '2026-10-26')).toBe(3);
    expect(countDays('2026-10-26', '2026-10-24')).toBe(0);
    expect(daysBetween('2025-12-30', '2026-01-02')).toEqual([
      '2025-12-30',
      '2025-12-31',
      '2026-01-01',
      '2026-01-02',
    ]);
  });

  it('takes the UTC day of a timestamp', () => {
    expect(toIsoDay('2026-11-20T23:30:00-02:00')).toBe('2026-11-21');
    expect(toIsoDay('not a date')).toBeUndefined();
  });
});
