import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { SeatRow } from '../store/types';
import { OrgMetrics } from './metrics/OrgMetrics';
import { TeamMetrics } from './metrics/TeamMetrics';
import { UserMetrics } from './metrics/UserMetrics';
import { RangeResolver } from './RangeResolver';
import { SeatUtilisationReport } from './SeatUtilisation';
import { SyncStatusReport } from './SyncStatusReport';
import { DayFixture, seedDays } from './testFixtures';

jest.setTimeout(60_000);

const SCOPE = 'org:acme';
const BIG = {
  owner: { kind: 'org' as const, name: 'acme' },
  slug: 'big',
  entityRef: 'group:default/big',
  title: 'Big',
};
const SMALL = {
  owner: { kind: 'org' as const, name: 'acme' },
  slug: 'small',
  entityRef: 'group:default/small',
  title: 'Small',
};
const MIXED = {
  owner: { kind: 'org' as const, name: 'acme' },
  slug: 'mixed',
  entityRef: 'group:default/mixed',
  title: 'Mixed',
};
const ACME_ORG = { kind: 'org' as const, name: 'acme' };
const RANGE = { from: '2026-11-01', to: '2026-11-03' };
const members = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

/*
 * big: 6 members every day. small: 3 members (always below the threshold of 5).
 * mixed: 5 members, except on 11-02 when it has 4 (that day is suppressed).
 */
const DAYS: DayFixture[] = [
  {
    day: '2026-11-01',
    teams: { big: members(1, 6), small: members(7, 9), mixed: members(10, 14) },
    users: {
      1: {
        interactions: 5,
        completionGenerations: 2,
        completionAcceptances: 1,
        completionLocSuggestedToAdd: 10,
        completionLocAdded: 1,
        usedChat: true,
      },
      2: { interactions: 3 },
      7: { interactions: 1 },
      10: { interactions: 4 },
    },
    aggregate: {
      dailyActiveUsers: 4,
      weeklyActiveUsers: 4,
      monthlyActiveUsers: 4,
      interactions: 13,
      monthlyActiveChatUsers: 1,
    },
    breakdowns: [
      { subject: 'team:big', key: 'vscode', interactions: 8, users: 2 },
      { subject: 'org', key: 'vscode', interactions: 13, users: 0 },
    ],
  },
  {
    day: '2026-11-02',
    teams: { big: members(1, 6), small: members(7, 9), mixed: members(10, 13) },
    users: {
      1: {
        interactions: 1,
        completionGenerations: 100,
        completionAcceptances: 90,
        completionLocSuggestedToAdd: 30,
        completionLocAdded: 29,
      },
      3: { interactions: 2, usedAgent: true },
      11: { interactions: 7 },
    },
    aggregate: {
      dailyActiveUsers: 3,
      weeklyActiveUsers: 6,
      monthlyActiveUsers: 6,
      interactions: 10,
    },
    breakdowns: [
      { subject: 'team:big', key: 'vscode', interactions: 3, users: 2 },
      { subject: 'team:mixed', key: 'vim', interactions: 7, users: 1 },
    ],
  },
  {
    day: '2026-11-03',
    teams: { big: members(1, 6), mixed: members(10, 14) },
    users: { 2: { interactions: 1 } },
    aggregate: {
      dailyActiveUsers: 1,
      weeklyActiveUsers: 6,
      monthlyActiveUsers: 6,
      interactions: 1,
    },
  },
];

describe('metrics documents, seats and sync status', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createService(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    await seedDays(store, SCOPE, DAYS);
    const options = {
      store,
      minTeamSize: 5,
      organizations: ['acme'],
      now: () => new Date('2026-11-05T12:00:00Z'),
    };
    const service = {
      teams: new TeamMetrics(options),
      org: new OrgMetrics(options),
      users: new UserMetrics(options),
      ranges: new RangeResolver(options),
      seats: new SeatUtilisationReport(options),
      status: new SyncStatusReport(options),
    };
    return { store, service };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let service: Awaited<ReturnType<typeof createService>>['service'];
    let store: DatabaseCopilotUsageStore;
    beforeAll(async () => {
      ({ service, store } = await createService(databaseId));
    });

    it('sums counters, counts distinct users over the range and weights the rates', async () => {
      const doc = await service.teams.document(BIG, RANGE, {
        includeSuppressed: false,
      });
      expect(doc.eligible).toBe(true);
      expect(doc.notEligibleReason).toBeUndefined();
      expect(doc.days.map(d => [d.day, d.activeUsers, d.memberCount])).toEqual([
        ['2026-11-01', 2, 6],
        ['2026-11-02', 2, 6],
        ['2026-11-03', 1, 6],
      ]);
      // Users 1, 2 and 3: the daily counts add up to 5, the range has 3 people.
      expect(doc.totals.activeUsers).toBe(3);
      expect(doc.totals.interactions).toBe(12);
      expect(doc.totals.days).toBe(3);
      // 1 of 2 (50%) and 90 of 100 (90%): weighted 91/102, not the 70% mean.
      expect(doc.totals.completionAcceptanceRate).toBeCloseTo(91 / 102, 10);
      expect(doc.totals.locAcceptanceRate).toBeCloseTo(30 / 40, 10);
      expect(doc.days[0]).toMatchObject({ chatUsers: 1, agentUsers: 0 });
      expect(doc.days[1]).toMatchObject({ chatUsers: 0, agentUsers: 1 });
      expect(doc.days[2].weeklyActiveUsers).toBe(3);
      expect(doc.days[0]).not.toHaveProperty('belowMinTeamSize');
      expect(doc.breakdowns.ide).toEqual([
        expect.objectContaining({
          key: 'vscode',
          interactions: 11,
          peakDailyUsers: 2,
        }),
      ]);
      expect(doc.coverage).toEqual({
        daysInRange: 3,
        daysWithData: 3,
        lastDay: '2026-11-03',
      });
    });

    it('leaves days below minTeamSize out for non-admins and counts them', async () => {
      const doc = await service.teams.document(MIXED, RANGE, {
        includeSuppressed: false,
      });
      expect(doc.eligible).toBe(true);
      expect(doc.suppressedDays).toBe(1);
      expect(doc.days.map(d => d.day)).toEqual(['2026-11-01', '2026-11-03']);
      // User 11 was active only on the suppressed day.
      expect(doc.totals.activeUsers).toBe(1);
      expect(doc.totals.interactions).toBe(4);
      expect(doc.breakdowns.ide).toEqual([]);
    });

    it('gives admins every day, flagged', async () => {
      const doc = await service.teams.document(MIXED, RANGE, {
        includeSuppressed: true,
      });
      expect(doc.suppressedDays).toBe(1);
      expect(doc.days.map(d => [d.day, d.belowMinTeamSize])).toEqual([
        ['2026-11-01', false],
        ['2026-11-02', true],
        ['2026-11-03', false],
      ]);
      expect(doc.totals.activeUsers).toBe(2);
      expect(doc.totals.interactions).toBe(11);
      expect(doc.breakdowns.ide.map(item => item.key)).toEqual(['vim']);
    });

    it('returns no numbers for a team never at minTeamSize', async () => {
      const doc = await service.teams.document(SMALL, RANGE, {
        includeSuppressed: false,
      });
      expect(doc).toMatchObject({
        eligible: false,
        notEligibleReason: 'below-min-team-size',
        suppressedDays: 2,
        days: [],
        breakdowns: { ide: [], language: [], feature: [], model: [] },
      });
      expect(doc.totals).toMatchObject({
        activeUsers: 0,
        interactions: 0,
        completionAcceptanceRate: null,
        locAcceptanceRate: null,
      });

      const forAdmin = await service.teams.document(SMALL, RANGE, {
        includeSuppressed: true,
      });
      expect(forAdmin.eligible).toBe(false);
      expect(forAdmin.totals.interactions).toBe(1);
      expect(forAdmin.days).toHaveLength(2);
    });

    it('says so for a team without data', async () => {
      const doc = await service.teams.document(
        { ...BIG, slug: 'ghost' },
        RANGE,
        {
          includeSuppressed: true,
        },
      );
      expect(doc).toMatchObject({
        eligible: false,
        notEligibleReason: 'no-data',
        days: [],
      });
    });

    it("uses GitHub's aggregate for the org and distinct users for the range", async () => {
      const doc = await service.org.document(
        { kind: 'org', name: 'acme' },
        {
          from: '2026-11-01',
          to: '2026-11-05',
        },
      );
      expect(doc.scope).toEqual({ type: 'org', org: 'acme' });
      expect(
        doc.days.map(d => [d.day, d.activeUsers, d.weeklyActiveUsers]),
      ).toEqual([
        ['2026-11-01', 4, 4],
        ['2026-11-02', 3, 6],
        ['2026-11-03', 1, 6],
      ]);
      // Daily chat, agent and CLI users from the per-user rows, as for a team.
      expect(
        doc.days.map(d => [d.day, d.chatUsers, d.agentUsers, d.cliUsers]),
      ).toEqual([
        ['2026-11-01', 1, 0, 0],
        ['2026-11-02', 0, 1, 0],
        ['2026-11-03', 0, 0, 0],
      ]);
      expect(doc.days[0]).toMatchObject({
        monthlyActiveChatUsers: 1,
        memberCount: null,
      });
      // Users 1, 2, 3, 7, 10, 11.
      expect(doc.totals.activeUsers).toBe(6);
      expect(doc.totals.interactions).toBe(24);
      expect(doc.coverage).toEqual({
        daysInRange: 5,
        daysWithData: 3,
        lastDay: '2026-11-03',
      });
      expect(doc.breakdowns.ide).toEqual([
        expect.objectContaining({ key: 'vscode', interactions: 13 }),
      ]);
    });

    it('counts the distinct members over the range, never fewer than its active users', async () => {
      // A database of its own: the scope would show in the sync status test.
      const fresh = await createService(databaseId);
      // People move: 1-5, then 2-6, then 3-7; 8 is active but never a member.
      await seedDays(fresh.store, 'org:movers', [
        { day: '2026-11-01', teams: { t: members(1, 5) }, users: { 1: {} } },
        {
          day: '2026-11-02',
          teams: { t: members(2, 6) },
          users: { 6: {}, 8: {} },
        },
        { day: '2026-11-03', teams: { t: members(3, 7) }, users: { 7: {} } },
      ]);
      const team = {
        ...BIG,
        owner: { kind: 'org' as const, name: 'movers' },
        slug: 't',
      };
      const doc = await fresh.service.teams.document(team, RANGE, {
        includeSuppressed: false,
      });
      expect(doc.days.map(d => d.memberCount)).toEqual([5, 5, 5]);
      expect(doc.totals).toMatchObject({ members: 7, activeUsers: 3 });
      const lastTwoDays = await fresh.service.teams.document(
        team,
        { from: '2026-11-02', to: '2026-11-03' },
        { includeSuppressed: false },
      );
      expect(lastTwoDays.totals).toMatchObject({ members: 6, activeUsers: 2 });
      // Suppressed days count for the members no more than for anything else.
      const small = await service.teams.document(SMALL, RANGE, {
        includeSuppressed: false,
      });
      expect(small.totals.members).toBeNull();
      const smallForAdmin = await service.teams.document(SMALL, RANGE, {
        includeSuppressed: true,
      });
      expect(smallForAdmin.totals.members).toBe(3);
    });

    it("tells a team's eligibility from the membership report before its rollups exist", async () => {
      // A database of its own: the scope would show in the sync status test.
      const fresh = await createService(databaseId);
      // A backfill stored a newer day whose rollups are not rebuilt yet: big
      // is a new team, small grew past the threshold, mixed shrank below it.
      await seedDays(
        fresh.store,
        SCOPE,
        [
          {
            day: '2026-11-10',
            teams: {
              fresh: members(30, 35),
              small: members(7, 12),
              mixed: members(10, 12),
            },
            users: {},
          },
        ],
        { rollups: false },
      );
      const eligibility = await fresh.service.teams.eligibility();
      expect(Object.fromEntries(eligibility)).toEqual({
        'org:acme/big': true,
        'org:acme/fresh': true,
        'org:acme/mixed': false,
        'org:acme/small': true,
      });
    });

    it('defaults to the 28 days ending at the last day with data', async () => {
      await expect(service.ranges.resolve('acme', {})).resolves.toEqual({
        from: '2026-10-07',
        to: '2026-11-03',
      });
      await expect(
        service.ranges.resolve('acme', { from: '2026-01-01' }),
      ).resolves.toEqual({
        from: '2026-01-01',
        to: '2026-01-28',
      });
      await expect(
        service.ranges.resolve(undefined, { to: '2026-02-28' }),
      ).resolves.toEqual({
        from: '2026-02-01',
        to: '2026-02-28',
      });
    });

    it('compares teams for admins, including teams without a Group', async () => {
      const rows = await service.teams.comparison(
        ACME_ORG,
        RANGE,
        new Map([
          ['big', { entityRef: BIG.entityRef, title: 'Big' }],
          // A Group whose team GitHub never listed (fewer than 5 seats).
          ['ghost', { entityRef: 'group:default/ghost', title: 'Ghost' }],
        ]),
      );
      expect(
        rows.map(r => [
          r.slug,
          r.entityRef,
          r.eligible,
          r.notEligibleReason,
          r.totals.activeUsers,
          r.memberCount,
        ]),
      ).toEqual([
        ['big', 'group:default/big', true, undefined, 3, 6],
        ['ghost', 'group:default/ghost', false, 'no-data', 0, null],
        ['mixed', null, true, undefined, 2, 5],
        ['small', null, false, 'below-min-team-size', 1, 3],
      ]);
    });

    it("weights daily adoption by each day's members", async () => {
      const rows = await service.teams.comparison(ACME_ORG, RANGE, new Map());
      const adoption = new Map(rows.map(r => [r.slug, r.dailyAdoption]));
      // big: 2 + 2 + 1 active of 6 + 6 + 6 members. The range's 3 distinct
      // users over 6 members (50%) is the figure this replaces.
      expect(adoption.get('big')).toBeCloseTo(5 / 18, 10);
      // mixed: 1 + 1 + 0 active of 5 + 4 + 5 members (the suppressed day counts for admins).
      expect(adoption.get('mixed')).toBeCloseTo(2 / 14, 10);
      // small: 1 + 0 active of 3 + 3 members; no membership row on 11-03.
      expect(adoption.get('small')).toBeCloseTo(1 / 6, 10);
    });

    it('leaves daily adoption empty for a team without membership rows', async () => {
      const [ghost] = await service.teams.comparison(
        ACME_ORG,
        { from: '2026-11-04', to: '2026-11-05' },
        new Map([['big', { entityRef: BIG.entityRef, title: 'Big' }]]),
      );
      expect(ghost).toMatchObject({
        slug: 'big',
        memberCount: null,
        dailyAdoption: null,
        notEligibleReason: 'no-data',
      });
    });

    it('returns one user their own rows only', async () => {
      const doc = await service.users.document(
        { entityRef: 'user:default/user-1', login: 'user-1' },
        RANGE,
      );
      expect(
        doc.days.map(d => [d.day, d.org, d.interactions, d.usedChat]),
      ).toEqual([
        ['2026-11-01', 'acme', 5, true],
        ['2026-11-02', 'acme', 1, false],
      ]);
      expect(doc.totals).toMatchObject({
        activeUsers: 1,
        days: 2,
        interactions: 6,
      });
      expect(doc.totals.completionAcceptanceRate).toBeCloseTo(91 / 102, 10);
    });

    it('summarises seats relative to the snapshot day', async () => {
      const seat = (login: string, fields: Partial<SeatRow>): SeatRow => ({
        scope: SCOPE,
        snapshotDay: '2026-11-04',
        userLogin: login,
        userId: null,
        planType: 'business',
        createdAt: null,
        lastActivityAt: null,
        lastActivityEditor: null,
        lastAuthenticatedAt: null,
        pendingCancellationDate: null,
        assigningTeamSlug: null,
        raw: '{}',
        ...fields,
      });
      await store.replaceSeats(SCOPE, '2026-11-04', [
        seat('today', { lastActivityAt: '2026-11-04T08:00:00Z' }),
        seat('week', { lastActivityAt: '2026-10-29T23:59:00Z' }),
        seat('month', { lastActivityAt: '2026-10-06T00:00:00Z' }),
        seat('stale', {
          lastActivityAt: '2026-10-05T23:00:00Z',
          pendingCancellationDate: '2026-12-01',
        }),
        seat('never', {}),
      ]);
      await expect(
        service.seats.utilisation({ kind: 'org', name: 'acme' }),
      ).resolves.toEqual({
        owner: { kind: 'org', name: 'acme' },
        org: 'acme',
        snapshotDay: '2026-11-04',
        total: 5,
        assigned: 4,
        activeLast7Days: 2,
        activeLast30Days: 3,
        neverUsed: 1,
        inactive: 1,
        pendingCancellation: 1,
      });
    });

    it('reports sync coverage, progress and failures', async () => {
      await store.logIngestion({
        scope: SCOPE,
        day: '2026-11-04',
        report: 'users',
        status: 'failed',
        rows: 0,
        source: 'github',
        error: 'line 7: unexpected token',
      });
      await store.updateSyncState(SCOPE, {
        running: true,
        daysDone: 2,
        daysTotal: 5,
        pendingDays: ['2026-11-02', '2026-11-03', '2026-11-04'],
        heartbeatAt: '2026-11-05T11:59:40.000Z',
      });
      const { scopes } = await service.status.get();
      expect(scopes).toEqual([
        expect.objectContaining({
          scope: SCOPE,
          running: true,
          progress: expect.objectContaining({ daysDone: 2, daysTotal: 5 }),
          firstDay: '2026-11-01',
          lastCompleteDay: '2026-11-03',
          daysComplete: 3,
          daysWithData: 3,
          daysNoData: 0,
          // 11-01 .. 11-03 (today minus 2) are all complete.
          daysMissing: 0,
          recentFailures: [
            expect.objectContaining({
              day: '2026-11-04',
              report: 'users',
              error: 'line 7: unexpected token',
            }),
          ],
        }),
      ]);
      expect(scopes[0]).not.toHaveProperty('interrupted');
    });

    it.each([
      [
        'a replica that died (stale heartbeat, lock held until its lease ends)',
        { running: true, leaseExpiresAt: '2026-11-05T11:44:00.000Z' },
        // lease end + the janitor's minute, then the unit task's next minute
        '2026-11-05T12:01:00.000Z',
      ],
      [
        'a replica that stopped at a day boundary (lock released)',
        { running: false, leaseExpiresAt: '2026-11-05T11:40:00.000Z' },
        '2026-11-05T12:01:00.000Z',
      ],
      [
        'a replica that died with a lease running beyond now',
        { running: true, leaseExpiresAt: '2026-11-05T12:03:00.000Z' },
        '2026-11-05T12:05:00.000Z',
      ],
    ])(
      'reports the run of %s as interrupted, not running',
      async (_name, lease, resumesBy) => {
        const { store: own, service: status } = await createService(databaseId);
        await own.updateSyncState(SCOPE, {
          ...lease,
          daysDone: 12,
          daysTotal: 28,
          pendingDays: ['2026-11-02', '2026-11-03'],
          lastRunStartedAt: '2026-11-05T11:30:00.000Z',
          heartbeatAt: '2026-11-05T11:40:00.000Z',
        });
        const { scopes } = await status.status.get();
        expect(scopes[0]).toMatchObject({
          running: false,
          interrupted: { since: '2026-11-05T11:40:00.000Z', resumesBy },
          progress: { daysDone: 12, daysTotal: 28 },
        });
      },
    );

    it('counts days GitHub had no data for apart from complete and missing days', async () => {
      const { store: own, service: status } = await createService(databaseId);
      for (const report of ['aggregate', 'users', 'user-teams'] as const) {
        await own.logIngestion({
          scope: SCOPE,
          day: '2026-10-31',
          report,
          status: 'no_data',
          rows: 0,
          source: 'github',
        });
      }
      const { scopes } = await status.status.get();
      expect(scopes[0]).toMatchObject({
        firstDay: '2026-10-31',
        lastCompleteDay: '2026-11-03',
        daysComplete: 3,
        daysNoData: 1,
        daysMissing: 0,
      });
    });
  });
});
