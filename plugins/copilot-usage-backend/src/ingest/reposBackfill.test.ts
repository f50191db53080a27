import { daysBetween } from '../lib/days';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { IngestionLogEntry } from '../store/types';
import { planDays } from './planDays';

describe('days stored before the repos-1-day report was read', () => {
  const all = daysBetween('2026-07-01', '2026-11-30');
  // Every day complete; repos-1-day logged only from 2026-11-01 (or a 404's no data on 2026-10-31).
  const log: Array<Pick<IngestionLogEntry, 'day' | 'report' | 'status'>> =
    all.flatMap(day => [
      { day, report: 'aggregate', status: 'complete' },
      { day, report: 'users', status: 'complete' },
      { day, report: 'user-teams', status: 'complete' },
      ...(day >= '2026-11-01'
        ? [{ day, report: 'repos' as const, status: 'complete' as const }]
        : []),
      ...(day === '2026-10-31'
        ? [{ day, report: 'repos' as const, status: 'no_data' as const }]
        : []),
      ...(day === '2026-10-30'
        ? [{ day, report: 'repos' as const, status: 'failed' as const }]
        : []),
    ]);
  const store = {
    getCompleteDays: async () => all,
    getNoDataDays: async () => [],
    getIngestionLog: async (_key: string, from?: string, to?: string) =>
      log.filter(e => (!from || e.day >= from) && (!to || e.day <= to)),
  } as unknown as CopilotUsageStore;

  it('fetches each once more from 2026-07-17 on, not those with a repos entry', async () => {
    const days = await planDays({
      config: { refreshDays: 3, backfillFrom: '2026-07-01' },
      store,
      scope: { kind: 'org', name: 'acme' },
      now: new Date('2026-12-02T06:00:00Z'),
    });
    expect(days).toEqual(
      [
        ...daysBetween('2026-07-17', '2026-10-30'),
        ...daysBetween('2026-11-28', '2026-11-30'),
      ].reverse(),
    );
  });
});
