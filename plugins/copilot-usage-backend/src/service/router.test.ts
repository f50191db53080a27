import {
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionRuleset,
  createConditionAuthorizer,
} from '@backstage/plugin-permission-node';
import {
  copilotUsagePermissionRules,
  createCopilotUsagePolicyDecision,
} from '@copilot-usage/backstage-plugin-copilot-usage-node';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { createRouter } from './router';
import { TeamDirectory } from './TeamDirectory';
import { DayFixture, countRows, group, seedDays, user } from './testFixtures';

jest.setTimeout(60_000);

const ADMINS = 'group:default/platform-admins';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/platform'],
  'user:default/bob': ['user:default/bob', 'group:default/outsiders'],
  'user:default/carol': ['user:default/carol', ADMINS],
};

const members = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

// platform: 6 members (alice is user 1); tiny: 3 members, always below minTeamSize.
const DAYS: DayFixture[] = [
  {
    day: '2026-11-18',
    teams: { platform: members(1, 6), tiny: members(7, 9) },
    users: {
      1: { interactions: 5, usedChat: true },
      2: { interactions: 3 },
      7: { interactions: 2 },
    },
    aggregate: { dailyActiveUsers: 3, interactions: 10 },
  },
  {
    day: '2026-11-19',
    teams: { platform: members(1, 5), tiny: members(7, 9) },
    users: { 1: { interactions: 1 }, 8: { interactions: 4 } },
    aggregate: { dailyActiveUsers: 2, interactions: 5 },
  },
];

const entities = [
  group('platform', { teamSlug: 'acme/platform', title: 'Platform' }),
  group('tiny', { teamSlug: 'acme/tiny' }),
  group('unmapped'),
  group('platform-admins'),
  user('alice', 'user-1'),
  user('bob'),
  user('carol'),
];

const ruleset: PermissionRuleset<any, any> = {
  getRuleByName: name =>
    Object.values(copilotUsagePermissionRules).find(
      rule => rule.name === name,
    )!,
};

/**
 * The permissions service as the framework behaves with this repo's policy:
 * service principals are always allowed; users get the -node policy helper's
 * decision, and conditional decisions are resolved on the team resource.
 */
function createPermissions(
  userInfo: UserInfoService,
  teams: TeamDirectory,
): PermissionsService {
  const resolveConditions = createConditionAuthorizer(ruleset);
  async function decide(
    permission: Permission,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> {
    if ((credentials.principal as { type: string }).type === 'service') {
      return { result: AuthorizeResult.ALLOW };
    }
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    return (
      createCopilotUsagePolicyDecision(
        { permission },
        { ownershipEntityRefs },
        { adminGroups: [ADMINS], orgOverview: 'admins', nestedGroups: true },
      ) ?? { result: AuthorizeResult.DENY }
    );
  }
  return {
    authorizeConditional: async (requests, { credentials }) =>
      Promise.all(requests.map(r => decide(r.permission, credentials))) as any,
    authorize: async (requests, { credentials }) =>
      Promise.all(
        requests.map(async r => {
          const decision = await decide(r.permission, credentials);
          if (decision.result !== AuthorizeResult.CONDITIONAL) {
            return decision;
          }
          const [resource] = await teams.getResources([String(r.resourceRef)]);
          return {
            result: resolveConditions(decision, resource)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          };
        }),
      ) as any,
  };
}

const CALLERS = {
  none: mockCredentials.none.header(),
  member: mockCredentials.user.header('user:default/alice'),
  nonMember: mockCredentials.user.header('user:default/bob'),
  admin: mockCredentials.user.header('user:default/carol'),
  service: mockCredentials.service.header(),
};
type Caller = keyof typeof CALLERS;

const PLATFORM_METRICS =
  '/teams/default/platform/metrics?from=2026-11-18&to=2026-11-19';
const ADMIN_ONLY = {
  none: 401,
  member: 403,
  nonMember: 403,
  admin: 200,
  service: 200,
};

/** Every route, with the status each caller gets. */
const ROUTES: Array<
  [method: 'get' | 'post', path: string, expected: Record<Caller, number>]
> = [
  [
    'get',
    '/health',
    { none: 200, member: 200, nonMember: 200, admin: 200, service: 200 },
  ],
  [
    'get',
    '/teams',
    { none: 401, member: 200, nonMember: 200, admin: 200, service: 200 },
  ],
  [
    'get',
    PLATFORM_METRICS,
    { none: 401, member: 200, nonMember: 403, admin: 200, service: 200 },
  ],
  [
    'get',
    `${PLATFORM_METRICS}&format=csv`,
    { none: 401, member: 200, nonMember: 403, admin: 200, service: 200 },
  ],
  [
    'get',
    '/teams/default/platform/metrics',
    { none: 401, member: 200, nonMember: 403, admin: 200, service: 200 },
  ],
  [
    'get',
    '/teams/default/tiny/metrics',
    { none: 401, member: 403, nonMember: 403, admin: 200, service: 200 },
  ],
  // A Group that does not exist: only callers allowed to see any team learn that.
  [
    'get',
    '/teams/default/ghost/metrics',
    { none: 401, member: 403, nonMember: 403, admin: 404, service: 404 },
  ],
  [
    'get',
    '/teams/default/unmapped/metrics',
    { none: 401, member: 403, nonMember: 403, admin: 404, service: 404 },
  ],
  ['get', '/orgs/acme/metrics', ADMIN_ONLY],
  ['get', '/orgs/acme/metrics?format=csv', ADMIN_ONLY],
  [
    'get',
    '/orgs/unknown-org/metrics',
    { ...ADMIN_ONLY, admin: 404, service: 404 },
  ],
  ['get', '/orgs/acme/teams?from=2026-11-18&to=2026-11-19', ADMIN_ONLY],
  ['get', '/orgs/acme/teams?format=csv', ADMIN_ONLY],
  [
    'get',
    '/orgs/unknown-org/teams',
    { ...ADMIN_ONLY, admin: 404, service: 404 },
  ],
  ['get', '/orgs/acme/seats', ADMIN_ONLY],
  [
    'get',
    '/orgs/unknown-org/seats',
    { ...ADMIN_ONLY, admin: 404, service: 404 },
  ],
  ['get', '/status', ADMIN_ONLY],
  ['post', '/sync', { ...ADMIN_ONLY, admin: 202, service: 202 }],
  ['post', '/archive/restore', ADMIN_ONLY],
  ['post', '/import?org=acme&file=history.json', ADMIN_ONLY],
  // A service has no "own" data.
  [
    'get',
    '/me/metrics',
    { none: 401, member: 200, nonMember: 200, admin: 200, service: 403 },
  ],
  [
    'get',
    '/me/metrics?format=csv',
    { none: 401, member: 200, nonMember: 200, admin: 200, service: 403 },
  ],
];

const SQL = encodeURIComponent("'; DROP TABLE user_day; --");
const LONG = 'a'.repeat(5000);

/** Bad input, as an admin (who passes every permission check): never a 500. */
const BAD_INPUT: Array<[path: string, status: number, message: RegExp]> = [
  [
    '/teams/default/platform/metrics?from=2026-02-30&to=2026-03-01',
    400,
    /from must be a real calendar day/,
  ],
  [
    '/teams/default/platform/metrics?from=2026-02-29',
    400,
    /from must be a real calendar day/,
  ],
  [
    '/teams/default/platform/metrics?to=2026-13-01',
    400,
    /to must be a real calendar day/,
  ],
  [
    '/teams/default/platform/metrics?from=20261101',
    400,
    /from must be a real calendar day/,
  ],
  [
    '/teams/default/platform/metrics?from=2026-11-19&to=2026-11-18',
    400,
    /from \(2026-11-19\) is after to \(2026-11-18\)/,
  ],
  [
    '/teams/default/platform/metrics?from=2025-01-01&to=2026-01-02',
    400,
    /spans 367 days, at most 366/,
  ],
  [
    '/teams/default/platform/metrics?from=2025-01-01&from=2025-01-02',
    400,
    /Invalid query: from/,
  ],
  ['/teams/default/platform/metrics?from[a]=1', 400, /Invalid query: from/],
  ['/teams/default/platform/metrics?format=xml', 400, /Invalid query: format/],
  [`/teams/default/platform/metrics?from=${SQL}`, 400, /from must be/],
  [`/teams/default/platform/metrics?from=${LONG}`, 400, /from must be/],
  [
    `/teams/default/${SQL}/metrics`,
    400,
    /Invalid team: name must be letters and digits/,
  ],
  [`/teams/${SQL}/platform/metrics`, 400, /Invalid team: namespace/],
  ['/teams/default/t%C3%A9am/metrics', 400, /Invalid team: name/],
  ['/teams/default/%F0%9F%98%80/metrics', 400, /Invalid team: name/],
  [`/teams/default/${'a'.repeat(64)}/metrics`, 400, /at most 63 characters/],
  [`/teams/default/${LONG}/metrics`, 400, /Invalid team: name/],
  ['/teams/default/-platform/metrics', 400, /Invalid team: name/],
  ['/teams/default/%E0%A4%A/metrics', 400, /decode/i],
  [
    '/teams/default/unknown-team/metrics',
    404,
    /group:default\/unknown-team is not a Group mapped/,
  ],
  [
    `/orgs/${SQL}/metrics`,
    400,
    /Invalid organization: org must be a GitHub organization name/,
  ],
  [`/orgs/${'a'.repeat(40)}/metrics`, 400, /at most 39 characters/],
  ['/orgs/%C3%A4cme/metrics', 400, /Invalid organization/],
  ['/orgs/%ZZ/metrics', 400, /decode/i],
  ['/orgs/acme/metrics?to=2026-02-29', 400, /to must be a real calendar day/],
  ['/orgs/acme/teams?from=2026-01-01&to=2025-01-01', 400, /is after to/],
  [`/orgs/acme/teams?from=${SQL}`, 400, /from must be/],
  ['/orgs/nope/metrics', 404, /Organization 'nope' is not configured/],
  ['/orgs/nope/teams', 404, /Organization 'nope' is not configured/],
  [`/orgs/${SQL}/seats`, 400, /Invalid organization/],
  ['/me/metrics?from=yesterday', 400, /from must be a real calendar day/],
  ['/me/metrics?from=2026-11-19&to=2026-11-01', 400, /is after to/],
];

const shorten = (path: string) =>
  path.length > 100
    ? `${path.slice(0, 60)}… (${path.length} characters)`
    : path;

describe('createRouter', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createApp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    await seedDays(store, 'org:acme', DAYS);
    await store.replaceSeats('org:acme', '2026-11-19', []);
    const catalog = catalogServiceMock({ entities });
    const auth = mockServices.auth();
    const teamDirectory = new TeamDirectory({
      catalog,
      auth,
      organizations: ['acme'],
    });
    const userInfo: UserInfoService = {
      getUserInfo: async credentials => {
        const userEntityRef = (
          credentials.principal as { userEntityRef: string }
        ).userEntityRef;
        return {
          userEntityRef,
          ownershipEntityRefs: OWNERSHIP[userEntityRef] ?? [userEntityRef],
        };
      },
    };
    const triggerSync = jest.fn(
      async (): Promise<'started' | 'already-running'> => 'started',
    );
    const auditor = mockServices.auditor.mock();
    // Fakes: the import and the restore themselves are tested in src/archive.
    const importHistory = jest.fn(
      async (text: string, req: { file: string; org: string }) => ({
        file: req.file,
        format: 'metrics-days',
        scope: `org:${req.org}`,
        orgDays: text.length,
        teamDays: 0,
        teams: 0,
        skippedReportDays: [],
        firstDay: null,
        lastDay: null,
      }),
    );
    const restoreArchive = jest.fn(async () => ({ scopes: [], imports: [] }));
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      userInfo,
      auth,
      permissions: createPermissions(userInfo, teamDirectory),
      permissionsRegistry: mockServices.permissionsRegistry.mock({
        getPermissionRuleset: () => ruleset as any,
      }),
      catalog,
      auditor,
      store,
      teamDirectory,
      config: { organizations: ['acme'], minTeamSize: 5 },
      triggerSync,
      importHistory,
      restoreArchive,
      now: () => new Date('2026-11-21T09:00:00Z'),
    });
    const app = express().use(router).use(mockErrorHandler());
    return { app, knex, triggerSync, auditor, importHistory };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let app: express.Express;
    let knex: Knex;
    let triggerSync: jest.Mock;
    let auditor: ReturnType<typeof mockServices.auditor.mock>;
    let importHistory: jest.Mock;
    let rowsBefore: Record<string, number>;

    beforeAll(async () => {
      ({ app, knex, triggerSync, auditor, importHistory } =
        await createApp(databaseId));
      rowsBefore = await countRows(knex);
    });

    describe.each(ROUTES)('%s %s', (method, path, expected) => {
      it.each(Object.keys(CALLERS) as Caller[])('as %s', async caller => {
        const response = await request(app)
          [method](path)
          .set('Authorization', CALLERS[caller]);
        expect(response.status).toBe(expected[caller]);
        // Failures carry Backstage's error shape with a message; successes no error.
        const failed = expected[caller] >= 400;
        expect(typeof response.body.error?.name).toBe(
          failed ? 'string' : 'undefined',
        );
        expect(response.body.error?.message ?? '').toMatch(
          failed ? /\w/ : /^$/,
        );
      });
    });

    it.each(
      BAD_INPUT.map(
        ([path, status, message]) =>
          [shorten(path), status, path, message] as const,
      ),
    )('rejects %s with %d', async (_title, status, path, message) => {
      const response = await request(app)
        .get(path)
        .set('Authorization', CALLERS.admin);
      expect(response.status).toBe(status);
      expect(response.body.error.message).toMatch(message);
    });

    it('checks permission before input existence, so non-members cannot probe', async () => {
      const response = await request(app)
        .get('/teams/default/ghost/metrics')
        .set('Authorization', CALLERS.nonMember);
      expect(response.status).toBe(403);
      expect(response.body.error.name).toBe('NotAllowedError');
    });

    it('lists only the teams the caller may view', async () => {
      const list = async (caller: Caller) =>
        (await request(app).get('/teams').set('Authorization', CALLERS[caller]))
          .body.items;
      await expect(list('member')).resolves.toEqual([
        {
          entityRef: 'group:default/platform',
          org: 'acme',
          slug: 'platform',
          title: 'Platform',
          eligible: true,
        },
      ]);
      await expect(list('nonMember')).resolves.toEqual([]);
      await expect(list('admin')).resolves.toEqual([
        expect.objectContaining({ slug: 'platform', eligible: true }),
        expect.objectContaining({ slug: 'tiny', eligible: false }),
      ]);
    });

    it('serves a member the team document without suppressed-day flags', async () => {
      const { body } = await request(app)
        .get(PLATFORM_METRICS)
        .set('Authorization', CALLERS.member);
      expect(body).toMatchObject({
        scope: {
          type: 'team',
          entityRef: 'group:default/platform',
          org: 'acme',
          slug: 'platform',
        },
        from: '2026-11-18',
        to: '2026-11-19',
        eligible: true,
        totals: { activeUsers: 2, interactions: 9 },
      });
      expect(body.days).toHaveLength(2);
      expect(body.days[0]).not.toHaveProperty('belowMinTeamSize');

      const asAdmin = await request(app)
        .get(PLATFORM_METRICS)
        .set('Authorization', CALLERS.admin);
      expect(asAdmin.body.days[0].belowMinTeamSize).toBe(false);
    });

    it('defaults the range to the 28 days ending at the last day with data', async () => {
      const { body } = await request(app)
        .get('/orgs/acme/metrics')
        .set('Authorization', CALLERS.admin);
      expect(body).toMatchObject({
        from: '2026-10-23',
        to: '2026-11-19',
        eligible: true,
      });
      expect(body.totals.activeUsers).toBe(4);
    });

    it('serves CSV as an attachment', async () => {
      const response = await request(app)
        .get(`${PLATFORM_METRICS}&format=csv`)
        .set('Authorization', CALLERS.member);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toMatch(
        /attachment; filename="copilot-usage_acme_platform_2026-11-18_2026-11-19.csv"/,
      );
      const lines = response.text.split('\r\n');
      expect(lines[0].startsWith('day,memberCount,activeUsers,')).toBe(true);
      expect(lines[1].startsWith('2026-11-18,6,2,')).toBe(true);
      expect(lines).toHaveLength(4);
    });

    it("returns only the signed-in user's own rows on /me", async () => {
      const alice = await request(app)
        .get('/me/metrics?from=2026-11-18&to=2026-11-19')
        .set('Authorization', CALLERS.member);
      expect(alice.body.user).toEqual({
        entityRef: 'user:default/alice',
        login: 'user-1',
      });
      expect(
        alice.body.days.map((d: any) => [
          d.day,
          d.org,
          d.interactions,
          d.usedChat,
        ]),
      ).toEqual([
        ['2026-11-18', 'acme', 5, true],
        ['2026-11-19', 'acme', 1, false],
      ]);
      const bob = await request(app)
        .get('/me/metrics?from=2026-11-18&to=2026-11-19')
        .set('Authorization', CALLERS.nonMember);
      expect(bob.body.days).toEqual([]);
    });

    it('answers 409 and starts nothing new while a sync runs', async () => {
      triggerSync.mockClear();
      triggerSync.mockResolvedValueOnce('already-running');
      const busy = await request(app)
        .post('/sync')
        .set('Authorization', CALLERS.admin);
      expect(busy.status).toBe(409);
      expect(busy.body.error.name).toBe('ConflictError');
      const started = await request(app)
        .post('/sync')
        .set('Authorization', CALLERS.admin);
      expect(started.status).toBe(202);
      expect(started.body).toEqual({ status: 'started' });
      expect(triggerSync).toHaveBeenCalledTimes(2);
      const denied = await request(app)
        .post('/sync')
        .set('Authorization', CALLERS.member);
      expect(denied.status).toBe(403);
      expect(triggerSync).toHaveBeenCalledTimes(2);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'sync-trigger' }),
      );
    });

    it('reads a large import body of any content type, for admins only', async () => {
      importHistory.mockClear();
      const body = JSON.stringify(
        Array.from({ length: 20_000 }, (_, i) => ({ date: `day-${i}` })),
      );
      expect(body.length).toBeGreaterThan(200_000);
      const response = await request(app)
        .post(
          '/import?org=ACME&format=metrics-days&file=copilotMetricsData.json',
        )
        .set('Authorization', CALLERS.admin)
        .set('Content-Type', 'application/json')
        .send(body);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        scope: 'org:acme',
        file: 'copilotMetricsData.json',
        orgDays: body.length,
      });
      expect(importHistory).toHaveBeenCalledWith(body, {
        file: 'copilotMetricsData.json',
        org: 'acme',
        format: 'metrics-days',
      });
      const denied = await request(app)
        .post('/import')
        .set('Authorization', CALLERS.member)
        .set('Content-Type', 'text/plain')
        .send(body);
      expect(denied.status).toBe(403);
      expect(importHistory).toHaveBeenCalledTimes(1);
    });

    it.each([
      ['/import?org=nope', 404, /Organization 'nope' is not configured/],
      ['/import?format=xml', 400, /Invalid query: format/],
      [
        '/import?file=..%2F..%2Fetc',
        400,
        /Invalid query: file must be a file name/,
      ],
    ])('rejects POST %s with %d', async (path, status, message) => {
      const response = await request(app)
        .post(path)
        .set('Authorization', CALLERS.admin)
        .send('[]');
      expect(response.status).toBe(status);
      expect(response.body.error.message).toMatch(message);
    });

    // Runs last: no request above, however malformed, changed the store.
    it('left the store unchanged', async () => {
      await expect(countRows(knex)).resolves.toEqual(rowsBefore);
    });
  });
});
