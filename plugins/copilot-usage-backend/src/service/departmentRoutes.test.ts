import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Permission } from '@backstage/plugin-permission-common';
import { PermissionRuleset } from '@backstage/plugin-permission-node';
import {
  copilotUsagePermissionRules,
  createCopilotUsagePolicyDecision,
} from '@copilot-usage/backstage-plugin-copilot-usage-node';
import { DepartmentDocument } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import express from 'express';
import request from 'supertest';
import { addDays } from '../lib/days';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { createRouter } from './router';
import { TeamDirectory } from './TeamDirectory';
import { DayFixture, group, seedDays } from './testFixtures';

jest.setTimeout(60_000);

const ruleset: PermissionRuleset<any, any> = {
  getRuleByName: name =>
    Object.values(copilotUsagePermissionRules).find(
      rule => rule.name === name,
    )!,
};

const DEPARTMENTS_FILE =
  'url:https://github.com/acme/catalog/blob/main/departments.yaml';
const ROGUE_FILE = 'url:https://example.com/anyone/catalog.yaml';

/**
 * engineering (unannotated, trusted file)
 * ├── platform (unannotated, trusted file): team-a, team-b
 * ├── team-c (3 members: below the floor of 5)
 * ├── team-d
 * └── rogue (untrusted origin): team-e, which must not count
 * Person 3 is in team-a and team-b, person 9 in team-b and team-d.
 */
const entities = [
  group('engineering', { origin: DEPARTMENTS_FILE, title: 'Engineering' }),
  group('platform', {
    origin: DEPARTMENTS_FILE,
    parent: 'engineering',
    title: 'Platform',
  }),
  group('team-a', { teamSlug: 'acme/team-a', parent: 'platform' }),
  group('team-b', { teamSlug: 'acme/team-b', parent: 'platform' }),
  group('team-c', { teamSlug: 'acme/team-c', parent: 'engineering' }),
  group('team-d', { teamSlug: 'acme/team-d', parent: 'engineering' }),
  group('rogue', { origin: ROGUE_FILE, parent: 'engineering' }),
  group('team-e', { teamSlug: 'acme/team-e', parent: 'rogue' }),
  group('loose', { origin: ROGUE_FILE }),
  group('team-f', { teamSlug: 'acme/team-f', parent: 'loose' }),
];

const TEAMS: Record<string, number[]> = {
  'team-a': [1, 2, 3, 4, 5],
  'team-b': [3, 6, 7, 8, 9],
  'team-c': [10, 11, 12],
  'team-d': [9, 13, 14, 15, 16],
  'team-e': [20, 21, 22, 23, 24],
  'team-f': [30, 31, 32, 33, 34],
};

const FIRST = '2026-11-01';
const DAYS: DayFixture[] = Array.from({ length: 10 }, (_, i) => {
  const users: DayFixture['users'] = {};
  for (let id = 1; id <= 34; id++) {
    if ((id * 7 + i * 3) % 5 < 3) {
      users[id] = { interactions: id + i, usedChat: (id + i) % 2 === 0 };
    }
  }
  return { day: addDays(FIRST, i), users, teams: TEAMS };
});
const RANGE = `from=${FIRST}&to=${addDays(FIRST, 9)}`;

const ADMINS = 'group:default/platform-admins';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/director': [
    'user:default/director',
    'group:default/engineering',
  ],
  'user:default/lead': ['user:default/lead', 'group:default/platform'],
  'user:default/alice': ['user:default/alice', 'group:default/team-a'],
  'user:default/carol': ['user:default/carol', ADMINS],
};
const as = (name: string) =>
  mockCredentials.user.header(`user:default/${name}`);

/** The -node policy helper's decisions, as this repo's permission policy gives them. */
function createPermissions(userInfo: UserInfoService): PermissionsService {
  const decide = async (
    permission: Permission,
    credentials: BackstageCredentials,
  ) => {
    const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
    return (
      createCopilotUsagePolicyDecision(
        { permission },
        { ownershipEntityRefs },
        { adminGroups: [ADMINS], nestedGroups: true },
      ) ?? { result: 'DENY' }
    );
  };
  return {
    authorizeConditional: async (requests, { credentials }) =>
      Promise.all(requests.map(r => decide(r.permission, credentials))) as any,
    authorize: async (requests, { credentials }) =>
      Promise.all(
        requests.map(async r => {
          const decision = await decide(r.permission, credentials);
          // The department route asks only basic permissions through authorize.
          return decision.result === 'CONDITIONAL'
            ? { result: 'DENY' }
            : decision;
        }),
      ) as any,
  };
}

/** Distinct members and active people of a set of teams, recomputed from the fixtures. */
function recompute(slugs: string[]) {
  const days = DAYS.map(fixture => {
    const members = new Set(slugs.flatMap(slug => fixture.teams[slug]));
    const active = [...members].filter(id => fixture.users[id]);
    return {
      day: fixture.day,
      memberCount: members.size,
      activeUsers: active.length,
      chatUsers: active.filter(id => fixture.users[id].usedChat).length,
      interactions: active.reduce(
        (sum, id) => sum + (fixture.users[id].interactions ?? 0),
        0,
      ),
      members,
      active,
    };
  });
  const everyone = new Set(days.flatMap(day => [...day.members]));
  const everyActive = new Set(days.flatMap(day => day.active));
  return { days, members: everyone.size, activeUsers: everyActive.size };
}

describe('GET /groups/:namespace/:name/metrics', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createApp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    await seedDays(store, 'org:acme', DAYS);
    const auth = mockServices.auth();
    const teamDirectory = new TeamDirectory({
      catalog: catalogServiceMock({ entities }),
      auth,
      membership: store,
      organizations: ['acme'],
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
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      userInfo,
      auth,
      permissions: createPermissions(userInfo),
      permissionsRegistry: mockServices.permissionsRegistry.mock({
        getPermissionRuleset: () => ruleset as any,
      }),
      catalog: catalogServiceMock({ entities }),
      store,
      teamDirectory,
      config: { organizations: ['acme'], minTeamSize: 5 },
      triggerSync: async () => 'started',
      now: () => new Date('2026-11-21T09:00:00Z'),
    });
    return express().use(router).use(mockErrorHandler());
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it("gives the director the subtree's distinct people, as a recomputation from the raw rows", async () => {
      const app = await createApp(databaseId);
      const res = await request(app)
        .get(`/groups/default/engineering/metrics?${RANGE}`)
        .set('Authorization', as('director'));
      expect(res.status).toBe(200);
      const body: DepartmentDocument = res.body;
      const expected = recompute(['team-a', 'team-b', 'team-c', 'team-d']);
      expect(body.scope).toEqual({
        type: 'department',
        entityRef: 'group:default/engineering',
        title: 'Engineering',
        teamCount: 4,
        owners: [{ kind: 'org', name: 'acme' }],
      });
      expect(
        body.days.map(day => ({
          day: day.day,
          memberCount: day.memberCount,
          activeUsers: day.activeUsers,
          chatUsers: day.chatUsers,
          interactions: day.interactions,
        })),
      ).toEqual(
        expected.days.map(({ members, active, ...figures }) => figures),
      );
      expect(body.totals.activeUsers).toBe(expected.activeUsers);
      expect(body.totals.members).toBe(expected.members);
      // 3 and 9 are in two teams each: the sum of the teams is 18, the department 16.
      expect(body.days[0].memberCount).toBe(16);
      // Nobody of the untrusted branch (team-e: 20 to 24) counts.
      expect(body.totals.members).toBe(16);
      expect(body.eligible).toBe(true);
    });

    it('lists the direct children with their own figures; team-c below the floor shows none', async () => {
      const app = await createApp(databaseId);
      const res = await request(app)
        .get(`/groups/default/engineering/metrics?${RANGE}`)
        .set('Authorization', as('director'));
      const body: DepartmentDocument = res.body;
      expect(body.children.map(child => [child.entityRef, child.kind])).toEqual(
        [
          ['group:default/platform', 'department'],
          ['group:default/team-c', 'team'],
          ['group:default/team-d', 'team'],
        ],
      );
      const [platform, teamC, teamD] = body.children;
      const platformExpected = recompute(['team-a', 'team-b']);
      expect(platform.totals?.activeUsers).toBe(platformExpected.activeUsers);
      expect(platform.totals?.members).toBe(9);
      expect(platform.memberCount).toBe(9);
      const adoption =
        platformExpected.days.reduce((n, day) => n + day.activeUsers, 0) /
        platformExpected.days.reduce((n, day) => n + day.memberCount, 0);
      expect(platform.adoption).toBeCloseTo(adoption, 10);
      expect(teamC).toEqual({
        entityRef: 'group:default/team-c',
        title: 'team-c',
        kind: 'team',
        teamCount: 1,
        eligible: false,
        notEligibleReason: 'below-min-team-size',
        memberCount: null,
        totals: null,
        adoption: null,
      });
      expect(teamD.totals?.activeUsers).toBe(recompute(['team-d']).activeUsers);
    });

    it('shows admins the child below the floor, still flagged', async () => {
      const app = await createApp(databaseId);
      const res = await request(app)
        .get(`/groups/default/engineering/metrics?${RANGE}`)
        .set('Authorization', as('carol'));
      expect(res.status).toBe(200);
      const teamC = (res.body as DepartmentDocument).children[1];
      expect(teamC.eligible).toBe(false);
      expect(teamC.totals?.activeUsers).toBe(recompute(['team-c']).activeUsers);
    });

    it('allows a member of the department but not a member of a child or an outsider', async () => {
      const app = await createApp(databaseId);
      const lead = await request(app)
        .get(`/groups/default/platform/metrics?${RANGE}`)
        .set('Authorization', as('lead'));
      expect(lead.status).toBe(200);
      // The director is a member of an ancestor.
      const director = await request(app)
        .get(`/groups/default/platform/metrics?${RANGE}`)
        .set('Authorization', as('director'));
      expect(director.status).toBe(200);
      for (const [name, path] of [
        ['lead', 'engineering'],
        ['alice', 'engineering'],
        ['alice', 'platform'],
        ['bob', 'engineering'],
      ]) {
        const res = await request(app)
          .get(`/groups/default/${path}/metrics?${RANGE}`)
          .set('Authorization', as(name));
        expect([name, path, res.status]).toEqual([name, path, 403]);
        expect(JSON.stringify(res.body)).not.toMatch(/activeUsers/);
      }
      const none = await request(app).get(
        `/groups/default/engineering/metrics?${RANGE}`,
      );
      expect(none.status).toBe(401);
    });

    it('answers 404 to admins for a Group that is no department, 403 to others', async () => {
      const app = await createApp(databaseId);
      for (const path of ['team-a', 'nobody', 'loose', 'rogue']) {
        const admin = await request(app)
          .get(`/groups/default/${path}/metrics`)
          .set('Authorization', as('carol'));
        expect([path, admin.status]).toEqual([path, 404]);
        expect(admin.body.error.message).toMatch(/not a department/);
        const outsider = await request(app)
          .get(`/groups/default/${path}/metrics`)
          .set('Authorization', as('bob'));
        expect([path, outsider.status]).toEqual([path, 403]);
      }
    });

    it('answers 400 with a message to bad parameters', async () => {
      const app = await createApp(databaseId);
      for (const path of [
        '/groups/default/engineering/metrics?from=2026-13-01',
        '/groups/default/engineering/metrics?from=2026-11-10&to=2026-11-01',
        '/groups/default/engineering/metrics?format=csv',
        '/groups/default/bad%20name/metrics',
      ]) {
        const res = await request(app)
          .get(path)
          .set('Authorization', as('director'));
        expect([path, res.status]).toEqual([path, 400]);
        expect(res.body.error.message).toBeTruthy();
      }
    });
  });
});
