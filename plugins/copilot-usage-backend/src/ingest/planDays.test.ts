import { noDataRecheckDue } from './planDays';

describe('noDataRecheckDue', () => {
  const today = '2026-11-21';

  it('asks daily for a day at most a week old, never twice the same day', () => {
    // 2026-11-15 is 6 days old
    expect(
      noDataRecheckDue('2026-11-15', '2026-11-21T01:00:00.000Z', today),
    ).toBe(false);
    expect(
      noDataRecheckDue('2026-11-15', '2026-11-20T23:59:00.000Z', today),
    ).toBe(true);
    // a week old exactly is still daily
    expect(
      noDataRecheckDue('2026-11-14', '2026-11-20T04:00:00.000Z', today),
    ).toBe(true);
  });

  it('asks weekly for an older day', () => {
    // 2026-11-10 is 11 days old
    expect(
      noDataRecheckDue('2026-11-10', '2026-11-15T04:00:00.000Z', today),
    ).toBe(false);
    expect(
      noDataRecheckDue('2026-11-10', '2026-11-14T04:00:00.000Z', today),
    ).toBe(true);
    // a daily schedule that runs a little earlier each day still keeps up
    expect(
      noDataRecheckDue('2026-11-10', '2026-11-14T04:00:30.000Z', today),
    ).toBe(true);
  });

  it('never asks for a day GitHub no longer holds', () => {
    expect(
      noDataRecheckDue('2025-11-20', '2026-01-01T04:00:00.000Z', today),
    ).toBe(false);
    expect(
      noDataRecheckDue('2025-11-21', '2026-01-01T04:00:00.000Z', today),
    ).toBe(true);
  });
});
