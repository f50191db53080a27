import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { addDays, daysBetween } from '../lib/days';
import { SyncStatusReport } from '../service/SyncStatusReport';
import { CopilotReportSource } from './ReportFetcher';
import {
  LAST,
  SyncHarness,
  startSyncHarness,
} from './__testUtils__/syncHarness';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const SCOPE = 'org:acme';
/** The whole history the harness's simulator serves, as a relative backfill. */
const BACKFILL_DAYS = 40;
const WINDOW = daysBetween(addDays(LAST, -(BACKFILL_DAYS - 1)), LAST);
const usersReports = (harness: SyncHarness) =>
  harness.simulator.stats.byRoute[
    'GET /orgs/{org}/copilot/metrics/reports/users-1-day'
  ] ?? 0;

describe.each(databases.eachSupportedId())(
  'A first backfill of a long window (%s)',
  databaseId => {
    let harness: SyncHarness;
    let cleanDump: Record<string, unknown[]>;
    const logger = mockServices.logger.mock();
    const runner = (github?: (c: CopilotReportSource) => CopilotReportSource) =>
      harness.runner({
        backfillFrom: undefined,
        backfillDays: BACKFILL_DAYS,
        github,
      });

    beforeAll(async () => {
      harness = await startSyncHarness(databases, databaseId as TestDatabaseId);
    });
    afterAll(async () => {
      await harness.close();
    });
    beforeEach(() => {
      harness.simulator.resetStats();
      jest.clearAllMocks();
    });

    it('stores the newest days first and says how far it is and how long it still needs', async () => {
      const status = new SyncStatusReport({
        store: harness.store,
        organizations: ['acme'],
        now: () => harness.clock.now,
      });
      const backfill = runner();
      await backfill.requestRun();
      // One day per unit; each takes half a minute of the store's clock. Always the
      // newest days: the last 28 are complete before any older day.
      const unitsUntil = async (done: number) => {
        while ((await harness.store.getSyncState(SCOPE))!.daysDone < done) {
          await backfill.runUnit({ logger, budgetMs: 0 });
          harness.clock.now = new Date(harness.clock.now.getTime() + 30_000);
          const { daysDone } = (await harness.store.getSyncState(SCOPE))!;
          expect(
            await harness.store.getCompleteDays(SCOPE, WINDOW[0], LAST),
          ).toEqual(WINDOW.slice(-daysDone));
        }
      };
      await unitsUntil(28);
      const [during] = (await status.get()).scopes;
      expect(during.running).toBe(true);
      expect(during.progress).toEqual({
        daysDone: 28,
        daysTotal: BACKFILL_DAYS,
        backfilling: true,
        // half a minute a day, 12 days left
        minutesLeft: 6,
      });
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Copilot usage sync org:acme: backfilling: 28 of 40 days, (about \d+ min|less than a minute) left, \d+ user rows$/,
        ),
      );
      await unitsUntil(BACKFILL_DAYS);
      const [scope] = (await status.get()).scopes;
      expect(scope).toMatchObject({
        running: false,
        progress: { daysDone: BACKFILL_DAYS, daysTotal: BACKFILL_DAYS },
        daysMissing: 0,
      });
      expect(scope.progress).not.toHaveProperty('backfilling');
      expect(scope.progress).not.toHaveProperty('minutesLeft');
      expect(usersReports(harness)).toBe(BACKFILL_DAYS);
      cleanDump = await harness.dump();
    });

    it('ends with the same tables when run in one go, with the team figures of the newest 28 days first', async () => {
      await harness.reset();
      // When the 29th day is asked for, the newest 28 have their team rollups already.
      const day29 = WINDOW[BACKFILL_DAYS - 29];
      let rolledUpAtDay29: string[] | undefined;
      const summary = await harness
        .runner({
          backfillFrom: undefined,
          backfillDays: BACKFILL_DAYS,
          concurrency: 1,
          github: client => ({
            listSeats: client.listSeats.bind(client),
            getReportLinks: async (...args) => {
              if (args[2] === day29 && !rolledUpAtDay29) {
                const rows = await harness
                  .knex('team_day')
                  .where({ scope: SCOPE })
                  .distinct('day');
                rolledUpAtDay29 = rows.map(row => row.day).sort();
              }
              return client.getReportLinks(...args);
            },
          }),
        })
        .run({ logger });
      expect(rolledUpAtDay29).toEqual(WINDOW.slice(-28));
      expect(summary.scopes[0]).toMatchObject({
        finished: true,
        failed: [],
        stored: WINDOW,
      });
      expect(await harness.dump()).toEqual(cleanDump);
    });

    it('builds the early team rollups once, however many days end at the same time', async () => {
      await harness.reset();
      // Days 26 to 28 wait for each other, so they finish together and all three read
      // the progress count after the same waits.
      const together = WINDOW.slice(BACKFILL_DAYS - 28, BACKFILL_DAYS - 25);
      let release!: () => void;
      const released = new Promise<void>(resolve => (release = resolve));
      const arrived = new Set<string>();
      const rebuilds = jest.spyOn(harness.store, 'rebuildTeamRollups');
      const summary = await harness
        .runner({
          backfillFrom: undefined,
          backfillDays: BACKFILL_DAYS,
          concurrency: 3,
          github: client => ({
            listSeats: client.listSeats.bind(client),
            getReportLinks: async (...args) => {
              const answer = await client.getReportLinks(...args);
              if (together.includes(args[2]) && args[1] === 'users') {
                arrived.add(args[2]);
                if (arrived.size === together.length) release();
                await released;
              }
              return answer;
            },
          }),
        })
        .run({ logger });
      expect(summary.scopes[0]).toMatchObject({ finished: true, failed: [] });
      // The newest 28 days early, then every day of the unit at its end.
      expect(rebuilds).toHaveBeenCalledTimes(2);
      rebuilds.mockRestore();
    });

    /** A runner whose backend stops while it fetches `day`, and the signal it stops on. */
    const stoppingAt = (day: string) => {
      const stop = new AbortController();
      const stopping = runner(client => ({
        listSeats: client.listSeats.bind(client),
        getReportLinks: (...args) => {
          if (args[2] === day) stop.abort();
          return client.getReportLinks(...args);
        },
      }));
      return { stopping, signal: stop.signal };
    };

    it('stopped half-way (and again later), resumes where it stopped and ends with the same tables', async () => {
      await harness.reset();
      // Newest first: the 21st day is half-way, the 36th leaves days whose rollups
      // the stopped units never rebuilt more than 27 days after the last ones left.
      let fetchedBefore = 0;
      for (const stopAt of [WINDOW[BACKFILL_DAYS - 21], WINDOW[4]]) {
        const { stopping, signal } = stoppingAt(stopAt);
        await stopping.requestRun();
        const stopped = await stopping.runUnit({ logger, signal });
        expect(stopped.scopes[0]).toMatchObject({
          aborted: true,
          finished: false,
        });
        const state = (await harness.store.getSyncState(SCOPE))!;
        // What is left: the oldest days, the one in flight included.
        expect(state.pendingDays).toContain(stopAt);
        expect(state.pendingDays).toEqual(
          WINDOW.slice(0, state.pendingDays!.length).reverse(),
        );
        expect(
          await harness.store.getCompleteDays(SCOPE, WINDOW[0], LAST),
        ).toEqual(WINDOW.slice(-state.daysDone));
        expect(state.daysDone).toBeGreaterThan(fetchedBefore);
        fetchedBefore = state.daysDone;
      }

      // A restarted backend: a new runner, which fetches only what was left.
      const left = (await harness.store.getSyncState(SCOPE))!.pendingDays!;
      harness.simulator.resetStats();
      const resumed = await runner().run({ logger });
      expect(resumed.scopes[0]).toMatchObject({
        finished: true,
        failed: [],
        days: [...left].sort(),
      });
      expect(usersReports(harness)).toBe(left.length);
      expect(await harness.dump()).toEqual(cleanDump);
    });

    it("holds up no scope's newest 28 days behind an earlier scope's older days", async () => {
      await harness.reset();
      const ENTERPRISE = 'enterprise:acme-corp';
      // The day each scope's user report is asked for, in order.
      const asked: string[] = [];
      const summary = await harness
        .runner({
          backfillFrom: undefined,
          backfillDays: BACKFILL_DAYS,
          enterprise: 'acme-corp',
          concurrency: 1,
          github: client => ({
            listSeats: client.listSeats.bind(client),
            getReportLinks: async (...args) => {
              if (args[1] === 'users') {
                asked.push(`${args[0].kind}:${args[0].name} ${args[2]}`);
              }
              return client.getReportLinks(...args);
            },
          }),
        })
        .run({ logger });
      const recent = WINDOW.slice(-28).reverse();
      const older = WINDOW.slice(0, -28).reverse();
      expect(asked).toEqual([
        ...recent.map(day => `${SCOPE} ${day}`),
        ...recent.map(day => `${ENTERPRISE} ${day}`),
        ...older.map(day => `${SCOPE} ${day}`),
        ...older.map(day => `${ENTERPRISE} ${day}`),
      ]);
      // Still one summary a scope, of the whole run.
      expect(summary.scopes.map(s => [s.scope, s.finished, s.days])).toEqual([
        [SCOPE, true, WINDOW],
        [ENTERPRISE, true, WINDOW],
      ]);
      expect(
        await harness.store.getCompleteDays(ENTERPRISE, WINDOW[0], LAST),
      ).toEqual(WINDOW);
    });
  },
);
