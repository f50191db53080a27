import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { daysBetween } from '../lib/days';
import { SyncStatusReport } from '../service/SyncStatusReport';
import { CopilotReportSource } from './ReportFetcher';
import { SyncSchedule } from './SyncSchedule';
import {
  FIRST,
  LAST,
  SyncHarness,
  startSyncHarness,
} from './__testUtils__/syncHarness';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ALL_DAYS = daysBetween(FIRST, LAST);
const SCOPE = 'org:acme';
const usersReports = (harness: SyncHarness) =>
  harness.simulator.stats.byRoute[
    'GET /orgs/{org}/copilot/metrics/reports/users-1-day'
  ] ?? 0;

describe.each(databases.eachSupportedId())(
  'SyncRunner units, stops and resumes (%s)',
  databaseId => {
    let harness: SyncHarness;
    let cleanDump: Record<string, unknown[]>;
    const logger = mockServices.logger.mock();

    beforeAll(async () => {
      harness = await startSyncHarness(databases, databaseId as TestDatabaseId);
    });
    afterAll(async () => {
      await harness.close();
    });
    beforeEach(() => {
      harness.simulator.resetStats();
    });

    it('works in bounded units, each carrying on where the last one stopped', async () => {
      const runner = harness.runner();
      await runner.requestRun();
      const fetched: string[] = [];
      // A spent budget still lets a unit start one day.
      const unit = () => runner.runUnit({ logger, budgetMs: 0 });
      for (let done = 1; done < ALL_DAYS.length; done++) {
        const summary = await unit();
        fetched.push(...summary.scopes[0].days);
        expect(summary.pending).toBe(true);
        // Between units the run counts as running: the next one follows within seconds.
        expect(await runner.isRunning()).toBe(true);
        expect(await harness.store.getSyncState(SCOPE)).toMatchObject({
          running: true,
          daysDone: done,
          daysTotal: ALL_DAYS.length,
        });
      }
      const last = await unit();
      fetched.push(...last.scopes[0].days);
      expect(last.pending).toBe(false);
      // Newest first: the recent weeks are there long before the oldest days.
      expect(fetched).toEqual([...ALL_DAYS].reverse());
      expect(usersReports(harness)).toBe(ALL_DAYS.length);
      expect(await harness.store.getSyncState(SCOPE)).toMatchObject({
        running: false,
        pendingDays: null,
        daysDone: ALL_DAYS.length,
        rollupsPendingFrom: null,
      });
      const idle = await runner.runUnit({ logger });
      expect(idle).toEqual({ scopes: [], pending: false });
      cleanDump = await harness.dump();
    });

    it('stops at a day boundary on shutdown, releases the run, and the next unit resumes it', async () => {
      const stop = new AbortController();
      // The backend shuts down while the day 2026-11-14 is being fetched.
      const stopAt =
        (day: string) =>
        (client: CopilotReportSource): CopilotReportSource => ({
          listSeats: scope => client.listSeats(scope),
          getReportLinks: (scope, report, d) => {
            if (d === day) stop.abort();
            return client.getReportLinks(scope, report, d);
          },
        });
      const runner = harness.runner({
        refreshDays: 10,
        github: stopAt('2026-11-14'),
      });
      await runner.requestRun();
      const stopped = await runner.runUnit({
        logger,
        signal: stop.signal,
        leaseMs: 5 * 60_000,
      });
      expect(stopped.scopes[0]).toMatchObject({
        aborted: true,
        finished: false,
      });
      expect(stopped.pending).toBe(true);

      const state = (await harness.store.getSyncState(SCOPE))!;
      // Newest first: what is left are the oldest days, from the one in flight back.
      expect(state.pendingDays).toContain('2026-11-14');
      expect(state.pendingDays).toEqual(
        ALL_DAYS.slice(0, state.pendingDays!.length).reverse(),
      );
      expect(state).toMatchObject({
        running: false,
        daysDone: ALL_DAYS.length - state.pendingDays!.length,
        daysTotal: ALL_DAYS.length,
        heartbeatAt: harness.clock.now.toISOString(),
        leaseExpiresAt: harness.clock.now.toISOString(),
      });
      expect(await runner.isRunning()).toBe(false);
      // Every day is whole: the day in flight was rolled back.
      expect(await harness.dump()).toEqual(cleanDump);

      harness.simulator.resetStats();
      const resumed = await harness
        .runner({ refreshDays: 10 })
        .runUnit({ logger });
      expect(resumed.scopes[0]).toMatchObject({
        days: [...state.pendingDays!].sort(),
        finished: true,
        failed: [],
      });
      expect(usersReports(harness)).toBe(state.pendingDays!.length);
      expect(await harness.store.getSyncState(SCOPE)).toMatchObject({
        running: false,
        pendingDays: null,
        daysDone: ALL_DAYS.length,
        rollupsPendingFrom: null,
      });
      expect(await harness.dump()).toEqual(cleanDump);
    });

    it('reports a run whose replica died as interrupted, answers "sync now" and resumes it', async () => {
      const runner = harness.runner({ refreshDays: 10 });
      await runner.requestRun();
      await runner.runUnit({ logger, budgetMs: 0, leaseMs: 5 * 60_000 });
      // What kill -9 after that unit leaves: running set, the heartbeat going stale.
      const scheduler = mockServices.scheduler.mock();
      scheduler.triggerTask.mockRejectedValue(
        new ConflictError('Task copilot-usage-sync-unit is currently running'),
      );
      const sync = await SyncSchedule.start({
        scheduler,
        schedule: {
          frequency: { trigger: 'manual' },
          timeout: { minutes: 60 },
        },
        runner,
        logger,
      });
      expect(await sync.trigger()).toBe('already-running');

      const diedAt = harness.clock.now;
      harness.clock.now = new Date(diedAt.getTime() + 10 * 60_000);
      const status = new SyncStatusReport({
        store: harness.store,
        organizations: ['acme'],
        now: () => harness.clock.now,
      });
      const [scope] = (await status.get()).scopes;
      expect(scope).toMatchObject({
        running: false,
        interrupted: {
          since: diedAt.toISOString(),
          // lease (5 min) + the janitor's minute are over: the next unit's minute
          resumesBy: new Date(
            harness.clock.now.getTime() + 60_000,
          ).toISOString(),
        },
        progress: { daysDone: 1, daysTotal: ALL_DAYS.length },
      });
      // The lock is still the dead replica's: "sync now" is accepted, the run resumes once it frees.
      expect(await sync.trigger()).toBe('started');
      expect(scheduler.triggerTask).toHaveBeenCalledWith(
        'copilot-usage-sync-unit',
      );

      harness.simulator.resetStats();
      const resumed = await runner.runUnit({ logger });
      expect(resumed.scopes[0]).toMatchObject({
        days: ALL_DAYS.slice(0, -1),
        finished: true,
      });
      expect(usersReports(harness)).toBe(ALL_DAYS.length - 1);
      expect((await status.get()).scopes[0]).not.toHaveProperty('interrupted');
      expect(await harness.dump()).toEqual(cleanDump);
    });
  },
);
