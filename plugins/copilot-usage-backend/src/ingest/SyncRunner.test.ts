import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { GithubSimulator } from '@copilot-usage/github-simulator';
import { Knex } from 'knex';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { readReportLines } from '../store/operations/reportLines';
import { daysBetween } from '../lib/days';
import {
  FIRST,
  LAST,
  SyncHarness,
  startSyncHarness,
} from './__testUtils__/syncHarness';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'SyncRunner against the simulator (%s)',
  databaseId => {
    let harness: SyncHarness;
    let simulator: GithubSimulator;
    let knex: Knex;
    let store: DatabaseCopilotUsageStore;
    let cleanDump: Record<string, unknown[]>;
    const logger = mockServices.logger.mock();

    beforeAll(async () => {
      harness = await startSyncHarness(databases, databaseId as TestDatabaseId);
      ({ simulator, knex, store } = harness);
    });
    afterAll(async () => {
      await harness.close();
    });
    beforeEach(() => {
      simulator.clearFaults();
      simulator.resetStats();
      jest.clearAllMocks();
    });

    const runner: SyncHarness['runner'] = overrides =>
      harness.runner(overrides);
    const dump = () => harness.dump();

    const apiRequests = () => simulator.stats.apiRequests;

    it('stores a clean sync of every day and never sends the token to the download host', async () => {
      const summary = await runner().run({ logger });
      const [acme] = summary.scopes;
      expect(acme.days).toEqual(daysBetween(FIRST, LAST));
      expect(acme.failed).toEqual([]);
      expect(acme.stored).toEqual(daysBetween(FIRST, LAST));
      expect(acme.seats).toBe(simulator.org.seats().length);
      expect(simulator.stats.downloadsWithAuthorization).toBe(0);
      // Four reports a day: the three required ones and repos-1-day.
      expect(simulator.stats.downloads).toBe(40);
      expect(
        simulator.stats.byRoute[
          'GET /orgs/{org}/copilot/metrics/reports/users-1-day'
        ],
      ).toBe(10);

      const users = await knex('user_day').count({ n: '*' });
      expect(Number(users[0].n)).toBe(acme.userRows);
      expect(acme.userRows).toBeGreaterThan(0);
      const aggregates = await knex('aggregate_day')
        .select('day')
        .orderBy('day');
      expect(aggregates.map(a => a.day)).toEqual(daysBetween(FIRST, LAST));
      const teamDays = await knex('team_day').count({ n: '*' });
      expect(Number(teamDays[0].n)).toBeGreaterThan(0);
      const teamBreakdowns = await knex('breakdown_day')
        .where('subject', 'like', 'team:%')
        .count({ n: '*' });
      expect(Number(teamBreakdowns[0].n)).toBeGreaterThan(0);

      const state = await store.getSyncState('org:acme');
      expect(state).toMatchObject({
        running: false,
        daysDone: 10,
        daysTotal: 10,
        lastError: null,
      });
      // Once per day and once at the end, never twice (two days in flight at once
      // used to log the count of whichever finished last).
      const lines: string[] = logger.info.mock.calls.map(([line]) => line);
      const progress = lines.filter(line =>
        line.startsWith('Copilot usage sync org:acme: backfilling: '),
      );
      expect(progress.map(line => line.match(/(\d+) of 10 days/)?.[1])).toEqual(
        ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
      );
      expect(progress[9]).toMatch(
        /^Copilot usage sync org:acme: backfilling: 10 of 10 days, \d+ user rows$/,
      );
      expect(
        lines.filter(line =>
          line.startsWith('Copilot usage sync org:acme finished'),
        ),
      ).toHaveLength(1);
      cleanDump = await dump();
    });

    it('a second run with nothing new fetches only the trailing refresh days', async () => {
      const summary = await runner().run({ logger });
      expect(summary.scopes[0].days).toEqual([
        '2026-11-17',
        '2026-11-18',
        '2026-11-19',
      ]);
      // Days stored before: syncing, not backfilling.
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Copilot usage sync org:acme: syncing: 3 of 3 days/,
        ),
      );
      // 3 days x 4 report-link calls (repos-1-day included) + 1 seats page
      expect(apiRequests()).toBe(3 * 4 + 1);
      expect(simulator.stats.downloads).toBe(3 * 4);
      expect(await dump()).toEqual(cleanDump);
    });

    it('a revised recent day replaces what was stored', async () => {
      simulator.revise('2026-11-18');
      await runner().run({ logger });
      const after = await dump();
      expect(after).not.toEqual(cleanDump);
      const revisedUsers = await knex('user_day').where({ day: '2026-11-18' });
      expect(revisedUsers.length).toBeGreaterThan(0);
      // GitHub's lines of the revised day replaced the old ones.
      expect(
        (await readReportLines(knex, 'org:acme', '2026-11-18', 'users')).length,
      ).toBe(revisedUsers.length);
      // Only the revised day changed.
      const unchanged = (d: Record<string, unknown[]>) =>
        Object.fromEntries(
          Object.entries(d).map(([t, rows]) => [
            t,
            rows.filter(r => !String(r).includes('2026-11-18')),
          ]),
        );
      expect(unchanged(after).user_day).toEqual(unchanged(cleanDump).user_day);
      cleanDump = after; // the simulator now serves the revised day for good
    });

    it.each([
      [
        'a 5xx on report links',
        { kind: 'status', target: 'api', status: 502, times: 2 },
      ],
      [
        'a 5xx on a download',
        { kind: 'status', target: 'download', status: 503 },
      ],
      [
        'a 429 secondary rate limit',
        { kind: 'rateLimit', status: 429, retryAfterSeconds: 3 },
      ],
      [
        'a 403 primary rate limit',
        { kind: 'rateLimit', status: 403, retryAfterSeconds: 2 },
      ],
      [
        'expired links',
        { kind: 'expiredLinks', report: 'users-1-day', day: '2026-11-18' },
      ],
    ] as const)('recovers within the run from %s', async (_name, fault) => {
      simulator.inject(fault as any);
      const summary = await runner().run({ logger });
      // The fault did hit: more requests than a clean refresh run (12 links + 1 seats page, 12 downloads).
      expect(apiRequests() + simulator.stats.downloads).toBeGreaterThan(
        13 + 12,
      );
      expect(summary.scopes[0].failed).toEqual([]);
      expect(await dump()).toEqual(cleanDump);
      expect(simulator.stats.downloadsWithAuthorization).toBe(0);
    });

    it.each([
      [
        'a truncated file',
        { kind: 'truncated', report: 'users-1-day', day: '2026-11-18' },
        /broke off|ended after/,
      ],
      [
        'a file truncated at a line boundary',
        {
          kind: 'truncated',
          report: 'users-1-day',
          day: '2026-11-18',
          atLineBoundary: true,
        },
        /ended after|broke off/,
      ],
      [
        'a malformed line',
        {
          kind: 'malformed',
          report: 'users-1-day',
          day: '2026-11-18',
          line: 7,
        },
        /line 7/,
      ],
      [
        'a malformed membership line',
        {
          kind: 'malformed',
          report: 'user-teams-1-day',
          day: '2026-11-18',
          line: 3,
        },
        /line 3/,
      ],
    ] as const)(
      'rejects the whole day on %s, keeps the stored data, and recovers next run',
      async (_name, fault, message) => {
        simulator.inject(fault as any);
        const summary = await runner().run({ logger });
        expect(summary.scopes[0].failed).toEqual([
          { day: '2026-11-18', error: expect.stringMatching(message) },
        ]);
        expect(logger.warn).toHaveBeenCalledWith(
          expect.stringMatching(message),
        );
        // Rolled back: the day still holds exactly what the previous run stored.
        expect(await dump()).toEqual(cleanDump);
        const log = await store.getIngestionLog(
          'org:acme',
          '2026-11-18',
          '2026-11-18',
        );
        // The day was complete: a failed fetch never downgrades it. The run's error tells.
        expect(log.map(entry => entry.status)).toEqual([
          'complete',
          'complete',
          'complete',
          'complete', // repos-1-day
        ]);
        expect(await store.getCompleteDays('org:acme', FIRST, LAST)).toContain(
          '2026-11-18',
        );
        expect(await store.getSyncState('org:acme')).toMatchObject({
          lastError: expect.stringMatching(
            new RegExp(`2026-11-18 .*(${message.source})`),
          ),
        });

        simulator.clearFaults();
        const next = await runner().run({ logger });
        expect(next.scopes[0].failed).toEqual([]);
        expect(await dump()).toEqual(cleanDump);
      },
    );

    it('records 204 days as no data, not as errors, and clears them', async () => {
      simulator.inject({ kind: 'noData', day: '2026-11-19' });
      const summary = await runner().run({ logger });
      expect(summary.scopes[0]).toMatchObject({
        failed: [],
        noData: ['2026-11-19'],
      });
      const log = await store.getIngestionLog(
        'org:acme',
        '2026-11-19',
        '2026-11-19',
      );
      // The three reports and repos-1-day.
      expect(log.map(e => e.status)).toEqual([
        'no_data',
        'no_data',
        'no_data',
        'no_data',
      ]);
      const stored = await knex('user_day').where({ day: '2026-11-19' });
      expect(stored).toEqual([]);
      expect(
        await store.getCompleteDays('org:acme', '2026-11-19', '2026-11-19'),
      ).toEqual(['2026-11-19']);

      simulator.clearFaults();
      await runner().run({ logger });
      expect(await dump()).toEqual(cleanDump);
    });

    it('asks again, on a backoff, for an old day GitHub answered 204 for, until the data comes', async () => {
      const day = '2026-11-12'; // 9 days old: outside refreshDays, asked weekly
      // As if the first sync of that day had got a 204 (the data came later).
      await knex('ingestion_log').where({ day }).delete();
      simulator.inject({ kind: 'noData', day });
      const first = await runner({ refreshDays: 1 }).run({ logger });
      expect(first.scopes[0]).toMatchObject({
        days: [day, LAST],
        noData: [day],
      });
      simulator.clearFaults();

      // Checked today: not asked again the same day.
      const again = await runner({ refreshDays: 1 }).run({ logger });
      expect(again.scopes[0].days).toEqual([LAST]);

      // Checked a week ago: due.
      await knex('ingestion_log')
        .where({ day })
        .update({ updated_at: '2026-11-14T06:00:00.000Z' });
      const due = await runner({ refreshDays: 1 }).run({ logger });
      expect(due.scopes[0]).toMatchObject({
        days: [day, LAST],
        stored: [day, LAST],
        noData: [],
      });
      expect(await dump()).toEqual(cleanDump);
    });

    it('fetches missing days again, but complete old days only within refreshDays', async () => {
      await knex('ingestion_log')
        .where({ day: '2026-11-12', report: 'users' })
        .update({ status: 'failed' });
      const summary = await runner({ refreshDays: 1 }).run({ logger });
      expect(summary.scopes[0].days).toEqual(['2026-11-12', '2026-11-19']);
      expect(await dump()).toEqual(cleanDump);
    });

    it('rebuilds the rollups of days a run stored but died before rolling up', async () => {
      // What a run that died after storing every day, before its rebuild, leaves behind.
      await knex('team_day').where({ scope: 'org:acme' }).delete();
      await knex('team_active_user_day').where({ scope: 'org:acme' }).delete();
      await store.updateSyncState('org:acme', { rollupsPendingFrom: FIRST });

      const summary = await runner({ refreshDays: 1 }).run({ logger });
      expect(summary.scopes[0].days).toEqual([LAST]);
      expect(await dump()).toEqual(cleanDump);
      expect(await store.getSyncState('org:acme')).toMatchObject({
        rollupsPendingFrom: null,
      });
    });

    it("syncs an enterprise scope from the enterprise endpoints, with the enterprise's seat holders", async () => {
      const summary = await runner({
        organizations: [],
        enterprise: 'acme-corp',
        backfillFrom: '2026-11-18',
      }).run({ logger });
      expect(summary.scopes).toEqual([
        expect.objectContaining({
          scope: 'enterprise:acme-corp',
          stored: ['2026-11-18', '2026-11-19'],
          failed: [],
        }),
      ]);
      expect(
        simulator.stats.byRoute[
          'GET /enterprises/{enterprise}/copilot/metrics/reports/enterprise-1-day'
        ],
      ).toBe(2);
      // One row per person, though the enterprise lists a seat per granting org.
      expect(summary.scopes[0].seats).toBe(simulator.enterprise.seatHolders());
      expect(simulator.enterprise.seats().length).toBeGreaterThan(
        simulator.enterprise.seatHolders(),
      );
      expect(
        simulator.stats.byRoute['GET /orgs/{org}/copilot/billing/seats'],
      ).toBeUndefined();
      expect(
        simulator.stats.byRoute[
          'GET /enterprises/{enterprise}/copilot/billing/seats'
        ],
      ).toBeGreaterThan(0);
      const seats = await store.getLatestSeats('enterprise:acme-corp');
      expect(seats).toHaveLength(simulator.enterprise.seatHolders());
      const shared = simulator.enterprise.users.find(
        u => simulator.enterprise.orgsOf(u.id).length === 2,
      )!;
      const sharedRow = seats.find(s => s.userLogin === shared.login)!;
      expect(
        JSON.parse(sharedRow.raw).map(
          (seat: { organization: { login: string } }) =>
            seat.organization.login,
        ),
      ).toEqual(simulator.enterprise.orgsOf(shared.id));
      await knex('seat_snapshot')
        .where({ scope: 'enterprise:acme-corp' })
        .delete();
      const rows = await knex('user_day')
        .where({ scope: 'enterprise:acme-corp' })
        .count({ n: '*' });
      expect(Number(rows[0].n)).toBe(summary.scopes[0].userRows);
      await knex('user_day').where({ scope: 'enterprise:acme-corp' }).delete();
      await knex('user_team_day')
        .where({ scope: 'enterprise:acme-corp' })
        .delete();
      await knex('aggregate_day')
        .where({ scope: 'enterprise:acme-corp' })
        .delete();
      await knex('breakdown_day')
        .where({ scope: 'enterprise:acme-corp' })
        .delete();
      await knex('team_day').where({ scope: 'enterprise:acme-corp' }).delete();
      await knex('team_active_user_day')
        .where({ scope: 'enterprise:acme-corp' })
        .delete();
    });

    it('stops between days when aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const summary = await runner().run({ logger, signal: controller.signal });
      expect(summary.scopes).toEqual([]);
      expect(apiRequests()).toBe(0);
    });
  },
);
