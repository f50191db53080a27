import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionRuleset } from '@backstage/plugin-permission-node';
import { copilotUsagePermissionRules } from '@copilot-usage/backstage-plugin-copilot-usage-node';
import { TeamFactsResponse } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import express from 'express';
import request from 'supertest';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { createRouter } from './router';
import { TeamDirectory } from './TeamDirectory';
import { group, seedDays } from './testFixtures';

jest.setTimeout(60_000);

const ruleset: PermissionRuleset<any, any> = {
  getRuleByName: name =>
    Object.values(copilotUsagePermissionRules).find(
      rule => rule.name === name,
    )!,
};

const TEAM_A = [1, 2, 3, 4, 5, 6];
const TEAM_B = [7, 8, 9, 10, 11];
const TEAM_C = [12, 13]; // below minTeamSize 5

const entities = [
  group('team-a', { teamSlug: 'acme/team-a' }),
  group('team-b', { teamSlug: 'acme/team-b' }),
  group('team-c', { teamSlug: 'acme/team-c' }),
];

describe('GET /facts/teams', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createApp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    await seedDays(store, 'org:acme', [
      {
        day: '2026-11-17',
        users: {
          1: {
            usedAgent: true,
            completionGenerations: 10,
            completionAcceptances: 4,
          },
          2: { completionGenerations: 10, completionAcceptances: 1 },
          12: { usedAgent: true },
        },
        teams: { 'team-a': TEAM_A, 'team-b': TEAM_B, 'team-c': TEAM_C },
      },
      {
        day: '2026-11-18',
        users: { 1: { usedAgent: true }, 3: { usedAgent: true } },
        teams: { 'team-a': TEAM_A, 'team-b': TEAM_B, 'team-c': TEAM_C },
      },
    ]);
    const catalog = catalogServiceMock({ entities });
    const auth = mockServices.auth();
    const teamDirectory = new TeamDirectory({
      catalog,
      auth,
      membership: store,
      organizations: ['acme'],
      trustedGroupOrigins: [],
    });
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      userInfo: mockServices.userInfo(),
      auth,
      // Everything allowed: the route must refuse users on its own.
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
      permissionsRegistry: mockServices.permissionsRegistry.mock({
        getPermissionRuleset: () => ruleset as any,
      }),
      catalog,
      store,
      teamDirectory,
      config: { organizations: ['acme'], minTeamSize: 5 },
      triggerSync: async () => 'started',
      now: () => new Date('2026-11-21T09:00:00Z'),
    });
    return express().use(router).use(mockErrorHandler());
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('answers 401 without credentials and 403 to a user (even one allowed everything)', async () => {
      const app = await createApp(databaseId);
      const none = await request(app).get('/facts/teams');
      expect(none.status).toBe(401);
      const user = await request(app)
        .get('/facts/teams')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alice'),
        );
      expect(user.status).toBe(403);
      expect(user.body.error.message).toMatch(/backend services/);
      expect(JSON.stringify(user.body)).not.toContain('team-a');
    });

    it('gives a service one entry per known team with its 28-day facts', async () => {
      const app = await createApp(databaseId);
      const res = await request(app)
        .get('/facts/teams')
        .set('Authorization', mockCredentials.service.header());
      expect(res.status).toBe(200);
      const body: TeamFactsResponse = res.body;
      const byRef = new Map(body.items.map(item => [item.entityRef, item]));
      expect([...byRef.keys()].sort()).toEqual([
        'group:default/team-a',
        'group:default/team-b',
        'group:default/team-c',
      ]);
      expect(byRef.get('group:default/team-a')).toEqual({
        entityRef: 'group:default/team-a',
        owner: { kind: 'org', name: 'acme' },
        slug: 'team-a',
        from: '2026-10-22',
        to: '2026-11-18',
        eligible: true,
        members: 6,
        activeUsers: 3,
        adoption: 0.5,
        // agent users 1 + 2 over member-days 6 + 6
        agentAdoption: 0.25,
        // acceptances 4 + 1 over generations 10 + 10
        completionAcceptanceRate: 0.25,
        daysOfData: 2,
      });
      expect(byRef.get('group:default/team-b')).toMatchObject({
        eligible: true,
        members: 5,
        activeUsers: 0,
        adoption: 0,
        agentAdoption: 0,
        completionAcceptanceRate: null,
        daysOfData: 2,
      });
      // Below the privacy floor: no numbers, no days.
      expect(byRef.get('group:default/team-c')).toMatchObject({
        eligible: false,
        activeUsers: 0,
        agentAdoption: null,
        daysOfData: 0,
      });
    });
  });
});
