import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { SyncRunner } from './SyncRunner';
import { SyncSchedule } from './SyncSchedule';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const SCOPE = 'org:acme';
const DAYS = 12;

/** A backend with the real (database-locked) scheduler and a sync whose days take a while. */
async function startBackend(knex: Knex) {
  let sync: SyncSchedule | undefined;
  let store: DatabaseCopilotUsageStore | undefined;
  const plugin = createBackendPlugin({
    pluginId: 'copilot-usage',
    register(env) {
      env.registerInit({
        deps: {
          database: coreServices.database,
          scheduler: coreServices.scheduler,
          lifecycle: coreServices.lifecycle,
          logger: coreServices.logger,
        },
        async init({ database, scheduler, lifecycle, logger }) {
          store = await DatabaseCopilotUsageStore.create({ database });
          const runner = new SyncRunner({
            config: {
              organizations: ['acme'],
              backfillFrom: '2026-11-01',
              refreshDays: DAYS,
              concurrency: 1,
            },
            store,
            github: {
              // GitHub answering 204, slowly: no downloads, only time.
              getReportLinks: async () => {
                await new Promise(resolve => setTimeout(resolve, 100));
                return { status: 'no_data' };
              },
              async *listSeats() {},
            },
            reader: { async *entries() {} },
            clock: () => new Date('2026-11-14T06:00:00Z'),
          });
          sync = await SyncSchedule.start({
            scheduler,
            schedule: {
              frequency: { trigger: 'manual' },
              timeout: { minutes: 60 },
            },
            runner,
            logger,
            lifecycle,
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      schedulerServiceFactory,
      mockServices.database.factory({ knex }),
      plugin,
    ],
  });
  return { backend, sync: sync!, store: store! };
}

async function waitFor<T>(fn: () => Promise<T | undefined>, what: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe.each(databases.eachSupportedId())(
  'SyncSchedule with the database-locked scheduler (%s)',
  databaseId => {
    it('on shutdown stops at a day boundary, releases the run and the lock, and another backend resumes it', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const first = await startBackend(knex);
      expect(await first.sync.trigger()).toBe('started');
      await waitFor(async () => {
        const state = await first.store.getSyncState(SCOPE);
        return state && state.daysDone >= 2 ? state : undefined;
      }, 'two days');
      expect(await first.sync.trigger()).toBe('already-running');

      const stopping = Date.now();
      await first.backend.stop();
      expect(Date.now() - stopping).toBeLessThan(10_000);
      const stopped = (await first.store.getSyncState(SCOPE))!;
      expect(stopped.running).toBe(false);
      expect(stopped.pendingDays!.length).toBeGreaterThan(0);
      expect(stopped.daysDone + stopped.pendingDays!.length).toBe(DAYS);
      expect(
        await first.store.getCompleteDays(SCOPE, '2026-11-01', '2026-11-12'),
      ).toHaveLength(stopped.daysDone);

      // The lock is free: with no janitor in tests, a held lock would block this for good.
      const second = await startBackend(knex);
      const finished = await waitFor(async () => {
        const state = await second.store.getSyncState(SCOPE);
        return state && !state.pendingDays && !state.running
          ? state
          : undefined;
      }, 'the run to finish on the second backend');
      expect(finished).toMatchObject({ daysDone: DAYS, daysTotal: DAYS });
      expect(
        await second.store.getCompleteDays(SCOPE, '2026-11-01', '2026-11-12'),
      ).toHaveLength(DAYS);
      await second.backend.stop();
      await knex.destroy();
    });
  },
);
