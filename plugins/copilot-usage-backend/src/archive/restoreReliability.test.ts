/*
 * The archive as an operator relies on it, with a real S3-protocol server on loopback,
 * the real database-locked scheduler, and GitHub unreachable once the database is lost.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { GithubCopilotClient } from '../github/GithubCopilotClient';
import { ReportReader } from '../github/ReportReader';
import { ImportService } from '../import/ImportService';
import { SyncRunner } from '../ingest/SyncRunner';
import { SyncSchedule } from '../ingest/SyncSchedule';
import {
  FIRST,
  LAST,
  SyncHarness,
  TODAY,
  startSyncHarness,
} from '../ingest/__testUtils__/syncHarness';
import { addDays, daysBetween } from '../lib/days';
import { SyncStatusReport } from '../service/SyncStatusReport';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { CopilotUsageArchive } from './CopilotUsageArchive';
import { TestS3, startTestS3, unreachableBucket } from './__testUtils__/s3';

jest.setTimeout(180_000);

const SCOPE = 'org:acme';
const PREFIX = 'copilot-usage/';
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const clock = () => new Date(`${TODAY}T06:00:00Z`);

async function waitFor<T>(
  fn: () => Promise<T | undefined>,
  what: string,
  ms = 120_000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** An org day of the legacy /copilot/metrics API with `generations` code suggestions. */
function legacyDay(date: string, generations: number) {
  return {
    date,
    total_active_users: 7,
    total_engaged_users: 6,
    copilot_ide_code_completions: {
      total_engaged_users: 6,
      editors: [
        {
          name: 'vscode',
          total_engaged_users: 6,
          models: [
            {
              name: 'default',
              total_engaged_users: 6,
              languages: [
                {
                  name: 'python',
                  total_engaged_users: 6,
                  total_code_suggestions: generations,
                  total_code_acceptances: 10,
                  total_code_lines_suggested: 20,
                  total_code_lines_accepted: 5,
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

/**
 * A backend whose plugin is wired as plugin.ts wires it (sync waits for a restore,
 * restores an empty database by itself, archive refuses a restore beside a sync),
 * on the real scheduler, with GitHub on a port nobody listens on.
 */
async function startBackend(knex: Knex, s3: TestS3) {
  let parts:
    | {
        store: DatabaseCopilotUsageStore;
        archive: CopilotUsageArchive;
        imports: ImportService;
        sync: SyncSchedule;
      }
    | undefined;
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
          const store = await DatabaseCopilotUsageStore.create({
            database,
            clock,
          });
          const late: {
            archive?: CopilotUsageArchive;
            imports?: ImportService;
          } = {};
          const runner = new SyncRunner({
            config: {
              organizations: ['acme'],
              backfillFrom: FIRST,
              refreshDays: 3,
              concurrency: 2,
            },
            store,
            github: GithubCopilotClient.fromConfig(
              new ConfigReader({
                integrations: {
                  github: [
                    {
                      host: 'github.com',
                      apiBaseUrl: 'http://127.0.0.1:9',
                      token: 'ghs_unused',
                    },
                  ],
                },
              }),
              { githubHost: 'github.com', msPerSecond: 2, retries: 1 },
            ),
            reader: new ReportReader({ allowedHosts: ['127.0.0.1'] }),
            clock,
            waitFor: async () =>
              (await late.archive?.isRestoring())
                ? 'a restore from the archive is running'
                : undefined,
            beforeUnit: async ({ logger: unitLogger }) => {
              await late.archive?.restoreIfEmpty({
                logger: unitLogger,
                imports: late.imports!,
              });
            },
          });
          const archive = new CopilotUsageArchive({
            bucket: s3.bucket,
            prefix: PREFIX,
            store,
            isSyncRunning: () => runner.isRunning(),
            clock,
          });
          const imports = new ImportService({ store, archive, logger });
          Object.assign(late, { archive, imports });
          const sync = await SyncSchedule.start({
            scheduler,
            // The boot sync: starts at once, as in production.
            schedule: { frequency: { hours: 24 }, timeout: { minutes: 10 } },
            runner,
            logger,
            lifecycle,
          });
          parts = { store, archive, imports, sync };
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
  return { backend, ...parts! };
}

describe.each(databases.eachSupportedId())(
  'archive reliability (%s)',
  databaseId => {
    let harness: SyncHarness;
    let s3: TestS3;
    const logger = mockServices.logger.mock();
    const IMPORTED_DAY = addDays(FIRST, -3);

    beforeAll(async () => {
      harness = await startSyncHarness(databases, databaseId as TestDatabaseId);
      s3 = await startTestS3();
      const summary = await harness.runner().run({ logger });
      if (summary.scopes[0].failed.length > 0) {
        throw new Error(
          `The first sync failed days: ${summary.scopes[0].failed}`,
        );
      }
    });
    afterAll(async () => {
      await s3.close();
      await harness.close();
    });

    it('an import made while the bucket is down is retried until it is in the bucket, and survives a restore', async () => {
      const { store } = harness;
      const down = new CopilotUsageArchive({
        bucket: unreachableBucket(),
        prefix: PREFIX,
        store,
      });
      const imported = await new ImportService({
        store,
        archive: down,
        logger,
      }).importFile(JSON.stringify([legacyDay(IMPORTED_DAY, 56_600)]), {
        file: 'copilotMetricsData.json',
        org: 'acme',
      });
      expect(imported).toMatchObject({
        orgDays: 1,
        archivePending: true,
        archiveKey: expect.stringMatching(
          /^copilot-usage\/imports\/org-acme\//,
        ),
        archiveError: expect.stringMatching(/retries it$/),
      });
      const status = new SyncStatusReport({
        store,
        organizations: ['acme'],
        archiveConfigured: true,
        now: clock,
      });
      expect((await status.get()).scopes[0].archive).toMatchObject({
        importsPending: 1,
        lastError: imported.archiveError,
      });

      // Still down at the next archive step: still pending.
      const [stillDown] = await down.archive({ scopes: [SCOPE], logger });
      expect(stillDown.error).toBeDefined();
      expect((await status.get()).scopes[0].archive?.importsPending).toBe(1);

      // The bucket is back: the archive step copies the import with the days.
      const up = new CopilotUsageArchive({
        bucket: s3.bucket,
        prefix: PREFIX,
        store,
      });
      const [archived] = await up.archive({ scopes: [SCOPE], logger });
      expect(archived.error).toBeUndefined();
      expect(archived.imports).toEqual([imported.archiveKey]);
      expect(archived.days).toEqual(daysBetween(FIRST, LAST));
      expect(await s3.bucket.list(`${PREFIX}imports/`)).toEqual([
        imported.archiveKey,
      ]);
      expect((await status.get()).scopes[0].archive).toMatchObject({
        importsPending: 0,
        daysPending: 0,
        lastError: null,
      });
    });

    it('restores a lost database with GitHub unreachable and the scheduler running: full coverage, no failed day', async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const backend = await startBackend(knex, s3);
      try {
        const { store, archive, imports, sync } = backend;
        // The boot sync restores the empty database from the archive by itself.
        const finished = await waitFor(async () => {
          const state = await store.getSyncState(SCOPE);
          return state?.lastRunFinishedAt &&
            !state.pendingDays &&
            !state.running
            ? state
            : undefined;
        }, 'the boot sync to finish');
        const restore = await store.getRestoreState();
        expect(restore).toMatchObject({
          trigger: 'automatic',
          finishedAt: expect.any(String),
          lastError: null,
        });
        // GitHub was asked only for the trailing refresh days (and failed).
        expect(finished.daysTotal).toBe(3);
        expect(finished.lastError).toMatch(/2026-11-19/);

        const expectCoverage = async () => {
          expect(await store.getCompleteDays(SCOPE, FIRST, LAST)).toEqual(
            daysBetween(FIRST, LAST),
          );
          const log = await store.getIngestionLog(SCOPE);
          expect(log.filter(entry => entry.status === 'failed')).toEqual([]);
          const [scope] = (
            await new SyncStatusReport({
              store,
              organizations: ['acme'],
              archiveConfigured: true,
              now: clock,
            }).get()
          ).scopes;
          expect(scope).toMatchObject({
            daysMissing: 0,
            daysWithData: daysBetween(FIRST, LAST).length,
            lastCompleteDay: LAST,
            recentFailures: [],
          });
          // The import made during the outage came back with the archive.
          const [day] = await store.getAggregateDays(
            SCOPE,
            IMPORTED_DAY,
            IMPORTED_DAY,
          );
          expect(day).toMatchObject({
            source: 'import',
            codeGenerations: 56_600,
          });
        };
        await expectCoverage();

        // A sync now (GitHub still unreachable) fails its fetches, never the days.
        expect(await sync.trigger()).toBe('started');
        // The clock is pinned: done once the request was planned and every day is done.
        await waitFor(async () => {
          const state = await store.getSyncState(SCOPE);
          return !state?.requestedAt && !state?.pendingDays && !state?.running;
        }, 'the sync to finish');
        await expectCoverage();

        // While a sync works (a fresh heartbeat), an admin restore is refused.
        await store.updateSyncState(SCOPE, {
          running: true,
          heartbeatAt: clock().toISOString(),
        });
        await expect(
          archive.restore({ logger, imports }),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: expect.stringMatching(/sync is running/),
        });
        await store.updateSyncState(SCOPE, { running: false });
        // While a restore holds the lease, a sync is refused and units wait.
        expect(
          await store.acquireRestore({
            trigger: 'admin',
            staleBefore: clock().toISOString(),
          }),
        ).toBe(true);
        expect(await archive.isRestoring()).toBe(true);
        await expect(sync.trigger()).rejects.toMatchObject({
          name: 'ConflictError',
          message: expect.stringMatching(/restore from the archive is running/),
        });
        await expect(
          archive.restore({ logger, imports }),
        ).rejects.toMatchObject({
          name: 'ConflictError',
          message: expect.stringMatching(/already/),
        });
        await store.finishRestore();

        // Nothing else running: an admin restore runs.
        const restoring = archive.restore({ logger, imports });
        const summary = await restoring;
        expect(summary.scopes).toEqual([
          expect.objectContaining({
            scope: SCOPE,
            days: daysBetween(FIRST, LAST).length,
          }),
        ]);
        expect(await store.getRestoreState()).toMatchObject({
          trigger: 'admin',
          lastError: null,
        });
        await expectCoverage();
      } finally {
        await backend.backend.stop();
        await knex.destroy();
      }
    });
  },
);
