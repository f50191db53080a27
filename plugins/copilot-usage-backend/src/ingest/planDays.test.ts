import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { daysBetween } from '../lib/days';
import {
  noDataRecheckDue,
  planDays,
  rollupDays,
  widenStaleRollups,
} from './planDays';

describe('planDays', () => {
  // A store with some days stored: the first sync of a long window has nothing yet.
  const storeWith = (complete: string[]) =>
    ({
      getCompleteDays: async () => complete,
      getNoDataDays: async () => [],
      getIngestionLog: async () => [],
    }) as unknown as CopilotUsageStore;
  const plan = (
    config: { backfillFrom?: string; backfillDays?: number },
    complete: string[] = [],
  ) =>
    planDays({
      config: { refreshDays: 3, ...config },
      store: storeWith(complete),
      scope: { kind: 'org', name: 'acme' },
      now: new Date('2026-12-02T06:00:00Z'),
    });

  it('by default plans the whole window GitHub holds, newest first', async () => {
    const days = await plan({});
    // org reports start 2025-12-12; the last day GitHub publishes is today - 2
    expect(days).toEqual(daysBetween('2025-12-12', '2026-11-30').reverse());
    expect(days).toHaveLength(354);
  });

  it('plans backfillDays, or from backfillFrom, newest first', async () => {
    expect(await plan({ backfillDays: 90 })).toEqual(
      daysBetween('2026-09-02', '2026-11-30').reverse(),
    );
    expect(await plan({ backfillFrom: '2026-11-20' })).toEqual(
      daysBetween('2026-11-20', '2026-11-30').reverse(),
    );
  });

  it('after the backfill plans the new and the refresh days only', async () => {
    const stored = daysBetween('2025-12-12', '2026-11-29');
    expect(await plan({}, stored)).toEqual([
      '2026-11-30',
      '2026-11-29',
      '2026-11-28',
    ]);
  });
});

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

describe('rollups left stale by a unit that stopped', () => {
  const year = daysBetween('2025-12-12', '2026-11-30');
  // Every day of the year is stored; rollupDays asks the log for the span it rebuilds.
  const store = {
    getIngestionLog: async (_key: string, from?: string, to?: string) =>
      year
        .filter(day => (!from || day >= from) && (!to || day <= to))
        .map(day => ({ day, status: 'complete' })),
  } as unknown as CopilotUsageStore;

  it('spans the days a unit may store, widened by what an earlier one left', () => {
    const pending = daysBetween('2026-03-01', '2026-06-30').reverse();
    expect(widenStaleRollups(undefined, pending)).toEqual({
      from: '2026-03-01',
      to: '2026-06-30',
    });
    expect(
      widenStaleRollups({ from: '2026-05-01', to: '2026-07-10' }, pending),
    ).toEqual({ from: '2026-03-01', to: '2026-07-10' });
    // A first day without a last one (the user erasure's) stays open-ended.
    expect(
      widenStaleRollups({ from: '2026-05-01', to: null }, pending),
    ).toEqual({ from: '2026-03-01', to: null });
    expect(widenStaleRollups(undefined, [])).toBeUndefined();
  });

  it('rebuilds the stale span and the 27 days after, not every newer day of the year', async () => {
    // A unit of a newest-first backfill stopped somewhere in March, after the newer
    // months were stored and rolled up by earlier units.
    const days = await rollupDays(store, 'org:acme', ['2026-02-27'], {
      from: '2026-02-20',
      to: '2026-03-10',
    });
    expect(days).toEqual(daysBetween('2026-02-20', '2026-04-06'));
    const open = await rollupDays(store, 'org:acme', ['2026-11-30'], {
      from: '2026-11-01',
      to: null,
    });
    expect(open).toEqual(daysBetween('2026-11-01', '2026-11-30'));
  });
});
