import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  authModuleCopilotUsageDevSignIn,
  DEV_SIGN_IN_USER_HEADER,
} from './devSignIn';

// The catalog mock holds entities as stored, so relations are spelled out
// the way catalog processing would produce them.
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice', namespace: 'default' },
    spec: { memberOf: ['team-a'] },
    relations: [
      { type: 'memberOf', targetRef: 'group:default/team-a' },
      { type: 'memberOf', targetRef: 'group:default/platform-admins' },
    ],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

async function startBackend(devSignIn: object) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleCopilotUsageDevSignIn,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: { providers: { 'copilot-usage-dev': {} } },
          copilotUsage: { devSignIn },
        },
      }),
    ],
  });
  return server;
}

describe('authModuleCopilotUsageDevSignIn', () => {
  it('signs a catalog User in, with their Group memberships', async () => {
    const server = await startBackend({ enabled: true });

    const response = await request(server).get(
      '/api/auth/copilot-usage-dev/refresh?user=alice',
    );

    expect(response.status).toBe(200);
    expect(response.body.backstageIdentity.token).toEqual(expect.any(String));
    expect(response.body.backstageIdentity.identity).toEqual({
      type: 'user',
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: [
        'user:default/alice',
        'group:default/team-a',
        'group:default/platform-admins',
      ],
    });
  });

  it('issues a user token for that user, by header too', async () => {
    const server = await startBackend({ enabled: true });

    const response = await request(server)
      .get('/api/auth/copilot-usage-dev/refresh')
      .set(DEV_SIGN_IN_USER_HEADER, 'user:default/alice');

    expect(response.status).toBe(200);
    const [, payload] = response.body.backstageIdentity.token.split('.');
    expect(
      JSON.parse(Buffer.from(payload, 'base64url').toString()),
    ).toMatchObject({
      sub: 'user:default/alice',
      aud: 'backstage',
    });
  });

  it('refuses a user who is not in the catalog', async () => {
    const server = await startBackend({ enabled: true });

    const response = await request(server).get(
      '/api/auth/copilot-usage-dev/refresh?user=mallory',
    );

    expect(response.status).toBe(401);
    expect(response.body.error.message).toMatch(/user:default\/mallory/);
    expect(response.body.backstageIdentity).toBeUndefined();
  });

  it('refuses non-User refs and requests that name nobody', async () => {
    const server = await startBackend({ enabled: true });

    const group = await request(server).get(
      '/api/auth/copilot-usage-dev/refresh?user=group:default/team-a',
    );
    expect(group.status).toBe(401);

    const nobody = await request(server).get(
      '/api/auth/copilot-usage-dev/refresh',
    );
    expect(nobody.status).toBe(401);
  });

  it('signs the default user in when the request names nobody', async () => {
    const server = await startBackend({ enabled: true, defaultUser: 'alice' });

    const response = await request(server).get(
      '/api/auth/copilot-usage-dev/refresh',
    );

    expect(response.status).toBe(200);
    expect(response.body.backstageIdentity.identity.userEntityRef).toBe(
      'user:default/alice',
    );
  });

  it('registers no provider unless enabled', async () => {
    const server = await startBackend({ enabled: false });

    const response = await request(server).get(
      '/api/auth/copilot-usage-dev/refresh?user=alice',
    );

    expect(response.status).toBe(404);
  });

  it('stays off with NODE_ENV=production unless dangerously allowed', async () => {
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const refused = await startBackend({ enabled: true });
      const allowed = await startBackend({
        enabled: true,
        dangerouslyAllowInProduction: true,
      });
      const path = '/api/auth/copilot-usage-dev/refresh?user=alice';
      expect((await request(refused).get(path)).status).toBe(404);
      expect((await request(allowed).get(path)).status).toBe(200);
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });
});
