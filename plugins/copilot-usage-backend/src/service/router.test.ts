import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
  coreServices,
} from '@backstage/backend-plugin-api';
import {
  ServiceFactoryTester,
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
import { createSyntheticEnterprise } from '@copilot-usage/github-simulator';
import express from 'express';
import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ImportFormat } from '../import/detectFormat';
import { ImportService } from '../import/ImportService';
import { ReportFetcher } from '../ingest/ReportFetcher';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { createRouter } from './router';
import { TeamDirectory } from './TeamDirectory';
import { DayFixture, countRows, group, seedDays, user } from './testFixtures';

jest.setTimeout(60_000);

const ADMINS = 'group:default/platform-admins';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/alice': [
    'user:default/alice',
    'group:default/platform',
    'group:default/ai-champions',
  ],
  'user:default/bob': [
    'user:default/bob',
    'group:default/outsiders',
    'group:default/claim-tiny',
  ],
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

/**
 * The enterprise's reports: its own aggregate (people active in two orgs counted
 * once by GitHub) and its enterprise team ent:ai-champions, people of platform
 * and of tiny (alice is user 1).
 */
const ENTERPRISE_DAYS: DayFixture[] = DAYS.map((day, i) => ({
  ...day,
  teams: {
    'ent:ai-champions': i === 0 ? [1, 2, 7, 8, 9, 10] : [1, 2, 7, 8, 9],
  },
  aggregate: { ...day.aggregate, dailyActiveUsers: 7, interactions: 40 },
}));

/** Seats at 2026-11-19: the 30-day window starts 2026-10-21 (UTC). */
const seat = (
  userLogin: string,
  lastActivityAt: string | null,
  lastActivityEditor: string | null = null,
) => ({
  scope: 'org:acme',
  snapshotDay: '2026-11-19',
  userLogin,
  userId: null,
  planType: 'business',
  createdAt: '2026-01-05T00:00:00Z',
  lastActivityAt,
  lastActivityEditor,
  lastAuthenticatedAt: null,
  pendingCancellationDate: null,
  assigningTeamSlug: null,
  raw: '{}',
});
const SEATS = [
  seat('alice', '2026-11-18T10:00:00Z', 'vscode/1.96.0'),
  // The first day of the window: still active.
  seat('edge', '2026-10-21T00:00:00Z', 'vscode/1.95.0'),
  // 23:00 at +02:00 is 21:00 UTC on 2026-10-20: the day before the window.
  seat('zed', '2026-10-20T23:00:00+02:00', 'JetBrains/2024.3'),
  seat('old-timer', '2026-09-01T08:00:00Z', '=HYPERLINK("x")'),
  seat('=cmd', null),
];

/** The simulator's enterprise: one seat object per granting org, people in two orgs. */
const simulatedEnterprise = createSyntheticEnterprise({ today: '2026-11-21' });

/** The enterprise's seats as a sync stores them (the real fetcher, one row per person). */
async function seedEnterpriseSeats(store: DatabaseCopilotUsageStore) {
  const fetcher = new ReportFetcher({
    store,
    github: {
      getReportLinks: async () => {
        throw new Error('not used');
      },
      // As they come over the wire.
      async *listSeats() {
        yield* JSON.parse(JSON.stringify(simulatedEnterprise.seats()));
      },
    },
    reader: {
      entries: () => {
        throw new Error('not used');
      },
    },
    maxLinkRefreshes: 0,
  });
  const stored = await fetcher.fetchSeats(
    { kind: 'enterprise', name: 'acme-corp' },
    '2026-11-19',
    mockServices.logger.mock(),
  );
  if (typeof stored !== 'number') throw new Error(stored.error);
}

const entities = [
  group('platform', { teamSlug: 'acme/platform', title: 'Platform' }),
  group('tiny', { teamSlug: 'acme/tiny' }),
  group('unmapped'),
  group('platform-admins'),
  // What bob could register as a catalog location: a Group claiming GitHub team
  // acme/tiny that lists him. GitHub's report puts users 7-9 in tiny, not bob.
  group('claim-tiny', {
    teamSlug: 'acme/tiny',
    origin: 'url:https://git.example.com/bob/x/blob/main/claim.yaml',
    members: ['bob'],
  }),
  // An enterprise team's Group from the adopter's own catalog repository (trusted).
  group('ai-champions', {
    enterpriseTeamSlug: 'acme-corp/ent:ai-champions',
    origin: 'url:https://github.com/acme/catalog/blob/main/ai-champions.yaml',
    title: 'AI champions',
  }),
  user('alice', 'user-1'),
  user('bob'),
  user('carol'),
  user('dave', 'user-7'),
];

const ruleset: PermissionRuleset<any, any> = {
  getRuleByName: name =>
    Object.values(copilotUsagePermissionRules).find(
      rule => rule.name === name,
    )!,
};

// Static external-access tokens, as an adopter configures them for automation: one
// limited to reads of this plugin, one limited to its writes.
const READ_ONLY_TOKEN = 'copilot-usage-read-only-token';
const WRITE_ONLY_TOKEN = 'copilot-usage-write-only-token';
const EXTERNAL_ACCESS_CONFIG = {
  backend: {
    baseUrl: 'http://localhost:7007',
    auth: {
      externalAccess: [
        {
          type: 'static',
          options: { token: READ_ONLY_TOKEN, subject: 'read-only-reporting' },
          accessRestrictions: [
            {
              plugin: 'copilot-usage',
              permissionAttribute: { action: 'read' },
            },
          ],
        },
        {
          type: 'static',
          options: {
            token: WRITE_ONLY_TOKEN,
            subject: 'write-only-automation',
          },
          accessRestrictions: [
            {
              plugin: 'copilot-usage',
              permissionAttribute: { action: ['create', 'update'] },
            },
          ],
        },
      ],
    },
  },
  permission: { enabled: true },
};

/**
 * Backstage's own auth, httpAuth and permissions services of the plugin, from
 * backend-defaults, configured with the static tokens above: the token becomes a
 * service principal with the configured access restrictions, and the
 * permissions service decides service principals from those restrictions (the
 * permission policy never sees them).
 */
async function createFrameworkServices() {
  const tester = ServiceFactoryTester.from(permissionsServiceFactory, {
    dependencies: [
      authServiceFactory,
      httpAuthServiceFactory,
      mockServices.discovery.factory(),
      mockServices.rootConfig.factory({ data: EXTERNAL_ACCESS_CONFIG }),
    ],
  });
  return {
    httpAuth: await tester.getService(coreServices.httpAuth, 'copilot-usage'),
    permissions: await tester.getSubject('copilot-usage'),
  };
}

const STATIC_TOKENS = new Set([READ_ONLY_TOKEN, WRITE_ONLY_TOKEN]);
const bearerToken = (req: express.Request) =>
  req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];

/**
 * The static tokens go through Backstage's real httpAuth; the mock tokens of
 * users and of the unrestricted service through the mock one.
 */
function createHttpAuth(framework: HttpAuthService): HttpAuthService {
  const mock = mockServices.httpAuth({
    defaultCredentials: mockCredentials.none(),
  });
  const pick = (req: express.Request) =>
    STATIC_TOKENS.has(bearerToken(req) ?? '') ? framework : mock;
  return {
    credentials: ((req: express.Request, options?: any) =>
      pick(req).credentials(req, options)) as HttpAuthService['credentials'],
    issueUserCookie: (res, options) =>
      mock.issueUserCookie(res as any, options),
  };
}

/**
 * The permissions service as the framework behaves with this repo's policy:
 * service principals are decided by Backstage's own permissions service (ALLOW,
 * unless the token's access restrictions say otherwise); users get the -node
 * policy helper's decision, and conditional decisions are resolved on the team
 * resource.
 */
function createPermissions(
  userInfo: UserInfoService,
  teams: TeamDirectory,
  framework: PermissionsService,
): PermissionsService {
  const resolveConditions = createConditionAuthorizer(ruleset);
  const isService = (credentials: BackstageCredentials) =>
    (credentials.principal as { type: string }).type === 'service';
  async function decide(
    permission: Permission,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> {
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
      isService(credentials)
        ? framework.authorizeConditional(requests, { credentials })
        : (Promise.all(
            requests.map(r => decide(r.permission, credentials)),
          ) as any),
    authorize: async (requests, { credentials }) =>
      isService(credentials)
        ? framework.authorize(requests, { credentials })
        : (Promise.all(
            requests.map(async r => {
              const decision = await decide(r.permission, credentials);
              if (decision.result !== AuthorizeResult.CONDITIONAL) {
                return decision;
              }
              const [resource] = await teams.getResources([
                String(r.resourceRef),
              ]);
              return {
                result: resolveConditions(decision, resource)
                  ? AuthorizeResult.ALLOW
                  : AuthorizeResult.DENY,
              };
            }),
          ) as any),
  };
}

const CALLERS = {
  none: mockCredentials.none.header(),
  member: mockCredentials.user.header('user:default/alice'),
  nonMember: mockCredentials.user.header('user:default/bob'),
  admin: mockCredentials.user.header('user:default/carol'),
  service: mockCredentials.service.header(),
  readOnly: `Bearer ${READ_ONLY_TOKEN}`,
  writeOnly: `Bearer ${WRITE_ONLY_TOKEN}`,
};
type Caller = keyof typeof CALLERS;

const PLATFORM_METRICS =
  '/teams/default/platform/metrics?from=2026-11-18&to=2026-11-19';
/** Reads for admins; a read-only token reads like any service, a write-only one not. */
const ADMIN_ONLY = {
  none: 401,
  member: 403,
  nonMember: 403,
  admin: 200,
  service: 200,
  readOnly: 200,
  writeOnly: 403,
};
/** Writes for admins; a write-only token writes, a read-only one not. */
const WRITE = { ...ADMIN_ONLY, readOnly: 403, writeOnly: 200 };

/** Every route, with the status each caller gets. */
const ROUTES: Array<
  [method: 'get' | 'post', path: string, expected: Record<Caller, number>]
> = [
  [
    'get',
    '/health',
    {
      none: 200,
      member: 200,
      nonMember: 200,
      admin: 200,
      service: 200,
      readOnly: 200,
      writeOnly: 200,
    },
  ],
  // A caller denied team reads gets an empty list (see the test below).
  [
    'get',
    '/teams',
    {
      none: 401,
      member: 200,
      nonMember: 200,
      admin: 200,
      service: 200,
      readOnly: 200,
      writeOnly: 200,
    },
  ],
  ['get', PLATFORM_METRICS, { ...ADMIN_ONLY, member: 200 }],
  ['get', `${PLATFORM_METRICS}&format=csv`, { ...ADMIN_ONLY, member: 200 }],
  ['get', '/teams/default/platform/metrics', { ...ADMIN_ONLY, member: 200 }],
  ['get', '/teams/default/tiny/metrics', ADMIN_ONLY],
  [
    'get',
    '/teams/default/ai-champions/metrics',
    { ...ADMIN_ONLY, member: 200 },
  ],
  [
    'get',
    '/teams/default/ai-champions/metrics?format=csv',
    { ...ADMIN_ONLY, member: 200 },
  ],
  // A Group that does not exist: only callers allowed to see any team learn that.
  [
    'get',
    '/teams/default/ghost/metrics',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  [
    'get',
    '/teams/default/unmapped/metrics',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  ['get', '/orgs/acme/metrics', ADMIN_ONLY],
  ['get', '/orgs/acme/metrics?format=csv', ADMIN_ONLY],
  [
    'get',
    '/orgs/unknown-org/metrics',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  ['get', '/enterprises/acme-corp/metrics', ADMIN_ONLY],
  ['get', '/enterprises/ACME-corp/metrics?format=csv', ADMIN_ONLY],
  [
    'get',
    '/enterprises/other-corp/metrics',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  ['get', '/orgs/acme/teams?from=2026-11-18&to=2026-11-19', ADMIN_ONLY],
  ['get', '/orgs/acme/teams?format=csv', ADMIN_ONLY],
  [
    'get',
    '/orgs/unknown-org/teams',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  [
    'get',
    '/enterprises/acme-corp/teams?from=2026-11-18&to=2026-11-19',
    ADMIN_ONLY,
  ],
  ['get', '/enterprises/Acme-Corp/teams?format=csv', ADMIN_ONLY],
  [
    'get',
    '/enterprises/other-corp/teams',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  ['get', '/orgs/acme/seats', ADMIN_ONLY],
  ['get', '/orgs/acme/seats/inactive', ADMIN_ONLY],
  ['get', '/orgs/acme/seats/inactive?status=never-used&format=csv', ADMIN_ONLY],
  [
    'get',
    '/orgs/unknown-org/seats/inactive',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  [
    'get',
    '/orgs/unknown-org/seats',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  ['get', '/enterprises/acme-corp/seats', ADMIN_ONLY],
  ['get', '/enterprises/Acme-Corp/seats/inactive', ADMIN_ONLY],
  [
    'get',
    '/enterprises/acme-corp/seats/inactive?status=inactive&format=csv',
    ADMIN_ONLY,
  ],
  [
    'get',
    '/enterprises/other-corp/seats',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  [
    'get',
    '/enterprises/other-corp/seats/inactive',
    { ...ADMIN_ONLY, admin: 404, service: 404, readOnly: 404 },
  ],
  ['get', '/status', ADMIN_ONLY],
  ['post', '/sync', { ...WRITE, admin: 202, service: 202, writeOnly: 202 }],
  ['post', '/archive/restore', WRITE],
  ['post', '/import?org=acme&file=history.json', WRITE],
  [
    'post',
    '/import?org=acme&format=metrics-days&file=copilotMetricsData.json',
    WRITE,
  ],
  // A service has no "own" data.
  [
    'get',
    '/me/metrics',
    {
      none: 401,
      member: 200,
      nonMember: 200,
      admin: 200,
      service: 403,
      readOnly: 403,
      writeOnly: 403,
    },
  ],
  [
    'get',
    '/me/metrics?format=csv',
    {
      none: 401,
      member: 200,
      nonMember: 200,
      admin: 200,
      service: 403,
      readOnly: 403,
      writeOnly: 403,
    },
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
  ['/teams/default/platform/metrics?view=all', 400, /Invalid query: view/],
  ['/orgs/acme/metrics?view=', 400, /Invalid query: view/],
  ['/orgs/acme/metrics?view=full&view=headline', 400, /Invalid query: view/],
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
  [`/enterprises/${SQL}/teams`, 400, /Invalid enterprise/],
  [`/enterprises/${'a'.repeat(40)}/teams`, 400, /at most 39 characters/],
  [
    '/enterprises/acme-corp/teams?from=2026-01-01&to=2025-01-01',
    400,
    /is after to/,
  ],
  ['/enterprises/acme-corp/teams?format=xml', 400, /Invalid query: format/],
  [
    '/enterprises/acme-corp/teams?from=2025-01-01&to=2026-01-02',
    400,
    /spans 367 days, at most 366/,
  ],
  ['/enterprises/nope/teams', 404, /Enterprise 'nope' is not configured/],
  [`/orgs/${SQL}/seats`, 400, /Invalid organization/],
  [`/orgs/${SQL}/seats/inactive`, 400, /Invalid organization/],
  [
    '/orgs/acme/seats/inactive?status=idle',
    400,
    /Invalid query: status must be one of 'inactive', 'never-used'|Invalid query: status/,
  ],
  ['/orgs/acme/seats/inactive?format=xml', 400, /Invalid query: format/],
  [`/enterprises/${SQL}/seats`, 400, /Invalid enterprise/],
  [`/enterprises/${SQL}/seats/inactive`, 400, /Invalid enterprise/],
  [
    '/enterprises/acme-corp/seats/inactive?status=idle',
    400,
    /Invalid query: status/,
  ],
  [
    '/enterprises/acme-corp/seats/inactive?format=xml',
    400,
    /Invalid query: format/,
  ],
  ['/enterprises/nope/seats', 404, /Enterprise 'nope' is not configured/],
  ['/me/metrics?from=yesterday', 400, /from must be a real calendar day/],
  ['/me/metrics?from=2026-11-19&to=2026-11-01', 400, /is after to/],
];

const shorten = (path: string) =>
  path.length > 100
    ? `${path.slice(0, 60)}… (${path.length} characters)`
    : path;

describe('createRouter', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  /**
   * The router on a seeded database. The import and the restore are fakes
   * (they are tested in src/import and src/archive), unless `realImport` wires
   * the import to the real ImportService, as plugin.ts does.
   */
  async function createApp(
    databaseId: TestDatabaseId,
    options: { realImport?: boolean } = {},
  ) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    await seedDays(store, 'org:acme', DAYS);
    await seedDays(store, 'enterprise:acme-corp', ENTERPRISE_DAYS);
    await store.replaceSeats('org:acme', '2026-11-19', SEATS);
    await seedEnterpriseSeats(store);
    const catalog = catalogServiceMock({ entities });
    const auth = mockServices.auth();
    const teamDirectory = new TeamDirectory({
      catalog,
      auth,
      membership: store,
      organizations: ['acme'],
      enterprise: 'acme-corp',
      trustedGroupOrigins: ['url:https://github.com/acme/catalog/blob/main/*'],
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
    // The fake answers with the body's length, so tests see what was read.
    const fakeImport = async (
      text: string,
      req: { file: string; org: string },
    ) => ({
      file: req.file,
      format: 'metrics-days' as const,
      scope: `org:${req.org}`,
      orgDays: text.length,
      teamDays: 0,
      teams: 0,
      unknownTeams: [],
      skippedReportDays: [],
      firstDay: null,
      lastDay: null,
    });
    const imports = new ImportService({ store });
    const importHistory = jest.fn(
      async (
        text: string,
        req: { file: string; org: string; format?: ImportFormat },
      ) =>
        options.realImport
          ? imports.importFile(text, req)
          : fakeImport(text, req),
    );
    const restoreArchive = jest.fn(async () => ({ scopes: [], imports: [] }));
    const framework = await createFrameworkServices();
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: createHttpAuth(framework.httpAuth),
      userInfo,
      auth,
      permissions: createPermissions(
        userInfo,
        teamDirectory,
        framework.permissions,
      ),
      permissionsRegistry: mockServices.permissionsRegistry.mock({
        getPermissionRuleset: () => ruleset as any,
      }),
      catalog,
      auditor,
      store,
      teamDirectory,
      config: {
        organizations: ['acme'],
        enterprise: 'acme-corp',
        minTeamSize: 5,
      },
      triggerSync,
      imports: { importFile: importHistory },
      restoreArchive,
      now: () => new Date('2026-11-21T09:00:00Z'),
    });
    const app = express().use(router).use(mockErrorHandler());
    return { app, knex, triggerSync, auditor, importHistory, restoreArchive };
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let app: express.Express;
    let knex: Knex;
    let triggerSync: jest.Mock;
    let auditor: ReturnType<typeof mockServices.auditor.mock>;
    let importHistory: jest.Mock;
    let restoreArchive: jest.Mock;
    let rowsBefore: Record<string, number>;

    beforeAll(async () => {
      ({ app, knex, triggerSync, auditor, importHistory, restoreArchive } =
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
          owner: { kind: 'org', name: 'acme' },
          org: 'acme',
          slug: 'platform',
          title: 'Platform',
          eligible: true,
        },
        // An enterprise team has no org: the owner says whose team it is.
        {
          entityRef: 'group:default/ai-champions',
          owner: { kind: 'enterprise', name: 'acme-corp' },
          slug: 'ent:ai-champions',
          title: 'AI champions',
          eligible: true,
        },
      ]);
      await expect(list('nonMember')).resolves.toEqual([]);
      await expect(list('admin')).resolves.toEqual([
        expect.objectContaining({
          slug: 'tiny',
          entityRef: 'group:default/claim-tiny',
        }),
        expect.objectContaining({ slug: 'platform', eligible: true }),
        expect.objectContaining({ slug: 'tiny', eligible: false }),
        expect.objectContaining({
          slug: 'ent:ai-champions',
          owner: { kind: 'enterprise', name: 'acme-corp' },
        }),
      ]);
    });

    it("gives a self-made Group's members nothing, GitHub's members their team", async () => {
      const claim = '/teams/default/claim-tiny/metrics';
      const asBob = await request(app)
        .get(claim)
        .set('Authorization', CALLERS.nonMember);
      expect(asBob.status).toBe(403);
      const bobsTeams = await request(app)
        .get('/teams')
        .set('Authorization', CALLERS.nonMember);
      expect(bobsTeams.body.items).toEqual([]);

      // dave is in no catalog Group, but GitHub's user-teams report has his login in tiny.
      const dave = mockCredentials.user.header('user:default/dave');
      const asDave = await request(app).get(claim).set('Authorization', dave);
      expect(asDave.status).toBe(200);
      expect(asDave.body).toMatchObject({ eligible: false });
      const davesTeams = await request(app)
        .get('/teams')
        .set('Authorization', dave);
      expect(
        davesTeams.body.items.map((t: { entityRef: string }) => t.entityRef),
      ).toEqual(['group:default/claim-tiny']);
    });

    it('names each team after its trusted Group in the comparison', async () => {
      const { body } = await request(app)
        .get('/orgs/acme/teams?from=2026-11-18&to=2026-11-19')
        .set('Authorization', CALLERS.admin);
      const tiny = body.items.find(
        (item: { slug: string }) => item.slug === 'tiny',
      );
      expect(tiny).toMatchObject({ entityRef: 'group:default/tiny' });
    });

    it("serves an enterprise team's document from the enterprise's per-user and user-teams rows", async () => {
      const path =
        '/teams/default/ai-champions/metrics?from=2026-11-18&to=2026-11-19';
      const asMember = await request(app)
        .get(path)
        .set('Authorization', CALLERS.member);
      expect(asMember.status).toBe(200);
      expect(asMember.body.scope).toEqual({
        type: 'team',
        entityRef: 'group:default/ai-champions',
        owner: { kind: 'enterprise', name: 'acme-corp' },
        slug: 'ent:ai-champions',
        title: 'AI champions',
      });
      // From ENTERPRISE_DAYS: 11-18 users 1, 2 and 7 (5 + 3 + 2 interactions) of
      // 6 members; 11-19 users 1 and 8 (1 + 4) of 5. Not the org's platform team.
      expect(
        asMember.body.days.map((d: any) => [
          d.day,
          d.memberCount,
          d.activeUsers,
          d.interactions,
        ]),
      ).toEqual([
        ['2026-11-18', 6, 3, 10],
        ['2026-11-19', 5, 2, 5],
      ]);
      expect(asMember.body.totals).toMatchObject({
        activeUsers: 4,
        interactions: 15,
        members: 6,
      });
      const asNonMember = await request(app)
        .get(path)
        .set('Authorization', CALLERS.nonMember);
      expect(asNonMember.status).toBe(403);
      expect(asNonMember.body.error.message).toMatch(
        /may not view the Copilot usage of group:default\/ai-champions/,
      );
      const asAdmin = await request(app)
        .get(path)
        .set('Authorization', CALLERS.admin);
      expect(asAdmin.status).toBe(200);
      expect(asAdmin.body.totals).toEqual(asMember.body.totals);
      const csv = await request(app)
        .get(`${path}&format=csv`)
        .set('Authorization', CALLERS.member);
      expect(csv.headers['content-disposition']).toMatch(
        /copilot-usage_acme-corp_ent_ai-champions_2026-11-18_2026-11-19\.csv/,
      );
    });

    it("compares the enterprise's teams in the org comparison's row shape", async () => {
      const range = '?from=2026-11-18&to=2026-11-19';
      const [enterprise, org] = await Promise.all(
        [
          `/enterprises/acme-corp/teams${range}`,
          `/orgs/acme/teams${range}`,
        ].map(path =>
          request(app).get(path).set('Authorization', CALLERS.admin),
        ),
      );
      expect(enterprise.status).toBe(200);
      expect(enterprise.body).toMatchObject({
        owner: { kind: 'enterprise', name: 'acme-corp' },
        from: '2026-11-18',
        to: '2026-11-19',
        minTeamSize: 5,
      });
      expect(enterprise.body.org).toBeUndefined();
      expect(org.body).toMatchObject({
        owner: { kind: 'org', name: 'acme' },
        org: 'acme',
      });
      expect(enterprise.body.items).toEqual([
        expect.objectContaining({
          owner: { kind: 'enterprise', name: 'acme-corp' },
          slug: 'ent:ai-champions',
          entityRef: 'group:default/ai-champions',
          title: 'AI champions',
          memberCount: 5,
          eligible: true,
          // (3 + 2) active of (6 + 5) members.
          dailyAdoption: 5 / 11,
          totals: expect.objectContaining({ activeUsers: 4, interactions: 15 }),
        }),
      ]);
      expect(Object.keys(enterprise.body.items[0]).sort()).toEqual(
        Object.keys(org.body.items[0])
          .filter(key => key !== 'org')
          .sort(),
      );
      const csv = await request(app)
        .get(`/enterprises/acme-corp/teams${range}&format=csv`)
        .set('Authorization', CALLERS.admin);
      expect(csv.text.split('\r\n')[0]).toMatch(/^enterprise,slug,/);
      expect(csv.text.split('\r\n')[1]).toMatch(
        /^acme-corp,ent:ai-champions,group:default\/ai-champions,/,
      );
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

    it('serves the headline view: the same days and totals, no breakdowns or client versions', async () => {
      // An app of its own: a breakdown of the org's last day, so that the full
      // document has one (the shared app's store stays as it was).
      const own = await createApp(databaseId);
      await own.knex('breakdown_day').insert({
        scope: 'org:acme',
        day: '2026-11-19',
        subject: 'org',
        dimension: 'ide',
        key: 'vscode',
        users: 1,
        interactions: 5,
      });
      const org = await request(own.app)
        .get('/orgs/acme/metrics')
        .set('Authorization', CALLERS.admin);
      expect(org.body.breakdowns.ide).toEqual([
        expect.objectContaining({ key: 'vscode', interactions: 5 }),
      ]);
      for (const path of [PLATFORM_METRICS, '/orgs/acme/metrics']) {
        const [full, headline] = await Promise.all(
          ['', `${path.includes('?') ? '&' : '?'}view=headline`].map(view =>
            request(own.app)
              .get(`${path}${view}`)
              .set('Authorization', CALLERS.admin),
          ),
        );
        expect([path, full.status, headline.status]).toEqual([path, 200, 200]);
        expect(headline.body).toEqual({
          ...full.body,
          breakdowns: {
            ide: [],
            language: [],
            feature: [],
            model: [],
            thirdPartyAgent: [],
          },
          clientVersions: undefined,
        });
      }
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

    it("serves the enterprise's own aggregate, not its org's figures", async () => {
      const range = '?from=2026-11-18&to=2026-11-19';
      const [enterprise, org] = await Promise.all(
        ['/enterprises/acme-corp/metrics', '/orgs/acme/metrics'].map(path =>
          request(app)
            .get(path + range)
            .set('Authorization', CALLERS.admin),
        ),
      );
      expect(enterprise.status).toBe(200);
      expect(enterprise.body.scope).toEqual({
        type: 'enterprise',
        enterprise: 'acme-corp',
      });
      expect(enterprise.body.days.map((d: any) => d.activeUsers)).toEqual([
        7, 7,
      ]);
      expect(enterprise.body.totals.interactions).toBe(80);
      expect(org.body.totals.interactions).toBe(15);
      const csv = await request(app)
        .get(`/enterprises/acme-corp/metrics${range}&format=csv`)
        .set('Authorization', CALLERS.admin);
      expect(csv.headers['content-disposition']).toMatch(
        /filename="copilot-usage_acme-corp_2026-11-18_2026-11-19.csv"/,
      );
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
      expect(lines[0].startsWith('day,source,memberCount,activeUsers,')).toBe(
        true,
      );
      expect(lines[1].startsWith('2026-11-18,report,6,2,')).toBe(true);
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

    it('lists every team to a read-only token and none to a write-only one', async () => {
      const list = async (caller: Caller) =>
        (await request(app).get('/teams').set('Authorization', CALLERS[caller]))
          .body.items;
      await expect(list('readOnly')).resolves.toEqual([
        expect.objectContaining({ entityRef: 'group:default/claim-tiny' }),
        expect.objectContaining({ slug: 'platform' }),
        expect.objectContaining({ entityRef: 'group:default/tiny' }),
        expect.objectContaining({ entityRef: 'group:default/ai-champions' }),
      ]);
      await expect(list('writeOnly')).resolves.toEqual([]);
    });

    it.each([
      ['/sync', 'copilot-usage.sync.create'],
      ['/import?org=acme&format=metrics-days', 'copilot-usage.history.import'],
      ['/archive/restore', 'copilot-usage.archive.restore'],
    ])(
      'refuses POST %s to a read-only token (%s) and starts nothing',
      async (path, permission) => {
        triggerSync.mockClear();
        importHistory.mockClear();
        restoreArchive.mockClear();
        const response = await request(app)
          .post(path)
          .set('Authorization', CALLERS.readOnly)
          .set('Content-Type', 'application/json')
          .send('[]');
        expect(response.status).toBe(403);
        expect(response.body.error).toEqual(
          expect.objectContaining({
            name: 'NotAllowedError',
            message: expect.stringContaining(permission),
          }),
        );
        expect(triggerSync).not.toHaveBeenCalled();
        expect(importHistory).not.toHaveBeenCalled();
        expect(restoreArchive).not.toHaveBeenCalled();
        await expect(countRows(knex)).resolves.toEqual(rowsBefore);
      },
    );

    it('lets a write-only token start a sync, import and restore', async () => {
      triggerSync.mockClear();
      importHistory.mockClear();
      restoreArchive.mockClear();
      const post = (path: string) =>
        request(app)
          .post(path)
          .set('Authorization', CALLERS.writeOnly)
          .set('Content-Type', 'application/json')
          .send('[]');
      expect((await post('/sync')).status).toBe(202);
      expect((await post('/import?org=acme')).status).toBe(200);
      expect((await post('/archive/restore')).status).toBe(200);
      expect(triggerSync).toHaveBeenCalledTimes(1);
      expect(importHistory).toHaveBeenCalledWith('[]', {
        file: 'the uploaded file',
        org: 'acme',
        format: undefined,
      });
      expect(restoreArchive).toHaveBeenCalledTimes(1);
    });

    it('lists the seats not used in 30 days, as many as the seat counts say', async () => {
      const counts = await request(app)
        .get('/orgs/acme/seats')
        .set('Authorization', CALLERS.admin);
      expect(counts.body).toMatchObject({
        total: 5,
        activeLast30Days: 2,
        inactive: 2,
        neverUsed: 1,
      });
      const { body } = await request(app)
        .get('/orgs/ACME/seats/inactive')
        .set('Authorization', CALLERS.admin);
      expect(body).toMatchObject({
        org: 'acme',
        snapshotDay: '2026-11-19',
        activeSince: '2026-10-21',
      });
      expect(body.items).toHaveLength(
        counts.body.inactive + counts.body.neverUsed,
      );
      // Never used first, then the longest unused.
      expect(body.items).toEqual([
        expect.objectContaining({ login: '=cmd', status: 'never-used' }),
        expect.objectContaining({
          login: 'old-timer',
          status: 'inactive',
          lastActivityAt: '2026-09-01T08:00:00Z',
          lastActivityEditor: '=HYPERLINK("x")',
          assignedAt: '2026-01-05T00:00:00Z',
        }),
        expect.objectContaining({ login: 'zed', status: 'inactive' }),
      ]);
      const neverUsed = await request(app)
        .get('/orgs/acme/seats/inactive?status=never-used')
        .set('Authorization', CALLERS.admin);
      expect(
        neverUsed.body.items.map((i: { login: string }) => i.login),
      ).toEqual(['=cmd']);
    });

    it('serves the inactive seats as CSV with formulas defused', async () => {
      const response = await request(app)
        .get('/orgs/acme/seats/inactive?format=csv')
        .set('Authorization', CALLERS.admin);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toMatch(
        /filename="copilot-usage_acme_inactive-seats_2026-11-19.csv"/,
      );
      expect(response.text.split('\r\n')).toEqual([
        'login,status,lastActivityAt,lastActivityEditor,assignedAt,pendingCancellationDate,grantedBy',
        "'=cmd,never-used,,,2026-01-05T00:00:00Z,,acme",
        `old-timer,inactive,2026-09-01T08:00:00Z,"'=HYPERLINK(""x"")",2026-01-05T00:00:00Z,,acme`,
        'zed,inactive,2026-10-20T23:00:00+02:00,JetBrains/2024.3,2026-01-05T00:00:00Z,,acme',
        '',
      ]);
    });

    it("counts each of the enterprise's seat holders once and lists every grant", async () => {
      const grantsOf = new Map<string, string[]>();
      for (const granted of simulatedEnterprise.seats()) {
        grantsOf.set(granted.assignee.login, [
          ...(grantsOf.get(granted.assignee.login) ?? []),
          granted.organization.login,
        ]);
      }
      // The simulator's enterprise does list some people more than once.
      expect(simulatedEnterprise.seats().length).toBeGreaterThan(grantsOf.size);
      expect(grantsOf.size).toBe(simulatedEnterprise.seatHolders());

      const counts = await request(app)
        .get('/enterprises/acme-corp/seats')
        .set('Authorization', CALLERS.admin);
      expect(counts.status).toBe(200);
      expect(counts.body).toMatchObject({
        owner: { kind: 'enterprise', name: 'acme-corp' },
        snapshotDay: '2026-11-19',
        total: simulatedEnterprise.seatHolders(),
      });
      expect(counts.body.org).toBeUndefined();
      const { total, activeLast30Days, inactive, neverUsed } = counts.body;
      expect(activeLast30Days + inactive + neverUsed).toBe(total);
      expect(inactive + neverUsed).toBeGreaterThan(0);

      const { body } = await request(app)
        .get('/enterprises/acme-corp/seats/inactive')
        .set('Authorization', CALLERS.admin);
      expect(body.owner).toEqual({ kind: 'enterprise', name: 'acme-corp' });
      expect(body.items).toHaveLength(inactive + neverUsed);
      for (const item of body.items as Array<{
        login: string;
        grantedBy: Array<{ org: string }>;
      }>) {
        expect(item.grantedBy.map(g => g.org)).toEqual(
          grantsOf.get(item.login),
        );
      }
      // The org's own list is untouched by the enterprise's.
      const org = await request(app)
        .get('/orgs/acme/seats')
        .set('Authorization', CALLERS.admin);
      expect(org.body).toMatchObject({
        owner: { kind: 'org', name: 'acme' },
        org: 'acme',
        total: 5,
      });

      const csv = await request(app)
        .get('/enterprises/acme-corp/seats/inactive?format=csv')
        .set('Authorization', CALLERS.admin);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(
        /filename="copilot-usage_acme-corp_inactive-seats_2026-11-19.csv"/,
      );
      const lines = csv.text.split('\r\n');
      expect(lines[0]).toBe(
        'login,status,lastActivityAt,lastActivityEditor,assignedAt,pendingCancellationDate,grantedBy',
      );
      expect(lines).toHaveLength(body.items.length + 2);
    });

    // Runs last: no request above, however malformed, changed the store.
    it('left the store unchanged', async () => {
      await expect(countRows(knex)).resolves.toEqual(rowsBefore);
    });
  });

  // The report of the issue, end to end: a token restricted to reads imported a
  // history file and the database changed.
  describe.each(databases.eachSupportedId())(
    '%p, with the real import',
    databaseId => {
      const file = readFileSync(
        join(__dirname, '../import/__fixtures__/copilotMetricsData.json'),
        'utf8',
      );
      const importPath =
        '/import?org=acme&format=metrics-days&file=copilotMetricsData.json';

      it('a read-only token cannot change the database; a write-only token can, but not read', async () => {
        const { app, knex } = await createApp(databaseId, {
          realImport: true,
        });
        const before = await countRows(knex);

        const refused = await request(app)
          .post(importPath)
          .set('Authorization', CALLERS.readOnly)
          .set('Content-Type', 'application/json')
          .send(file);
        expect(refused.status).toBe(403);
        await expect(countRows(knex)).resolves.toEqual(before);

        const imported = await request(app)
          .post(importPath)
          .set('Authorization', CALLERS.writeOnly)
          .set('Content-Type', 'application/json')
          .send(file);
        expect(imported.status).toBe(200);
        expect(imported.body).toMatchObject({
          scope: 'org:acme',
          orgDays: 3,
          firstDay: '2026-11-14',
          lastDay: '2026-11-16',
        });
        expect(await countRows(knex)).not.toEqual(before);

        const range = '/orgs/acme/metrics?from=2026-11-14&to=2026-11-16';
        const unread = await request(app)
          .get(range)
          .set('Authorization', CALLERS.writeOnly);
        expect(unread.status).toBe(403);
        const read = await request(app)
          .get(range)
          .set('Authorization', CALLERS.readOnly);
        expect(read.status).toBe(200);
        expect(
          read.body.days
            .filter((d: { source?: string }) => d.source === 'import')
            .map((d: { day: string }) => d.day),
        ).toEqual(['2026-11-14', '2026-11-15', '2026-11-16']);
      });
    },
  );
});
