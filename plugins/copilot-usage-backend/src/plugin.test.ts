import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { copilotUsagePlugin } from './plugin';
import { group } from './service/testFixtures';

// The plugin as an adopter installs it: every core service real or Backstage's own mock.
describe('copilotUsagePlugin', () => {
  async function start() {
    return startTestBackend({
      features: [
        copilotUsagePlugin,
        catalogServiceMock.factory({
          entities: [group('platform', { teamSlug: 'acme/platform' })],
        }),
        // Requests without a token are anonymous, as in a real backend.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: {
            copilotUsage: {
              organizations: ['acme'],
              // No sync during the test: nothing answers for GitHub here.
              schedule: {
                frequency: { hours: 24 },
                initialDelay: { hours: 1 },
              },
            },
          },
        }),
      ],
    });
  }

  it('serves /health without credentials and nothing else', async () => {
    const backend = await start();
    const { server } = backend;
    try {
      const health = await request(server).get('/api/copilot-usage/health');
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: 'ok' });
      for (const path of ['/teams', '/status', '/orgs/acme/metrics']) {
        const response = await request(server).get(`/api/copilot-usage${path}`);
        expect(response.status).toBe(401);
      }
    } finally {
      await backend.stop();
    }
  });

  it('registers its permissions, the team resource and its rule', async () => {
    const backend = await start();
    const { server } = backend;
    try {
      // The permission backend asks with a service token.
      const { body } = await request(server)
        .get('/api/copilot-usage/.well-known/backstage/permissions/metadata')
        .set('Authorization', mockCredentials.service.header());
      expect(
        body.permissions.map((p: { name: string }) => p.name).sort(),
      ).toEqual([
        'copilot-usage.admin',
        'copilot-usage.archive.restore',
        'copilot-usage.history.import',
        'copilot-usage.org.read',
        'copilot-usage.sync.create',
        'copilot-usage.team.read',
        'copilot-usage.user.delete',
      ]);
      expect(body.rules).toEqual([
        expect.objectContaining({
          name: 'IS_TEAM_MEMBER',
          resourceType: 'copilot-usage-team',
        }),
      ]);
    } finally {
      await backend.stop();
    }
  });
});
