import { isBackfilling, minutesLeft } from './syncProgress';

describe('isBackfilling', () => {
  it('is a backfill while days older than the newest stored one are missing, or nothing is stored', () => {
    const stored = new Set(['2026-11-20', '2026-11-21']);
    expect(isBackfilling(['2026-11-19', '2026-11-18'], stored)).toBe(true);
    expect(isBackfilling(['2026-11-19'], new Set())).toBe(true);
  });

  it('is no backfill for new days and days stored before (a daily run)', () => {
    const stored = new Set(['2026-11-20', '2026-11-21']);
    expect(isBackfilling(['2026-11-22', '2026-11-21'], stored)).toBe(false);
    expect(isBackfilling([], stored)).toBe(false);
    expect(isBackfilling(null, stored)).toBe(false);
  });
});

describe('minutesLeft', () => {
  it('goes by the pace of the last days', () => {
    // a day a minute, then a day every 30 s for the last 20 days
    const times = [
      ...Array.from({ length: 10 }, (_, i) => i * 60_000),
      ...Array.from({ length: 21 }, (_, i) => 600_000 + i * 30_000),
    ];
    expect(minutesLeft(10, times)).toBe(5);
    expect(minutesLeft(0, times)).toBeUndefined();
    expect(minutesLeft(10, [0])).toBeUndefined();
  });
});
