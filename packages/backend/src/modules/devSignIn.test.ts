import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  authModuleCopilotUsageDevSignIn,
  DEV_SIGN_IN_USER_HEADER,
  devSignInRefusals,
  isLoopbackHost,
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

/** What app-config.yaml sets: a development backend on loopback. */
const LOCAL = {
  auth: { environment: 'development' },
  backend: {
    baseUrl: 'http://localhost:7007',
    listen: { host: '127.0.0.1', port: 7007 },
  },
};

async function startBackend(
  devSignIn: object,
  options: { config?: { auth?: object; backend?: object }; logger?: any } = {},
) {
  const { auth, backend } = options.config ?? LOCAL;
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleCopilotUsageDevSignIn,
      catalogServiceMock.factory({ entities }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ...(backend && { backend }),
          auth: { ...auth, providers: { 'copilot-usage-dev': {} } },
          copilotUsage: { devSignIn },
        },
      }),
      ...(options.logger ? [options.logger.factory] : []),
    ],
  });
  return server;
}

/** Runs `fn` with NODE_ENV set to `value` (or unset), then restores it. */
async function withNodeEnv<T>(
  value: string | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const saved = process.env.NODE_ENV;
  if (value === undefined) {
    delete process.env.NODE_ENV;
  } else {
    process.env.NODE_ENV = value;
  }
  try {
    return await fn();
  } finally {
    process.env.NODE_ENV = saved;
  }
}

const REFRESH = '/api/auth/copilot-usage-dev/refresh?user=alice';

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

  describe('stays off unless the backend is a local development one', () => {
    /** Starts with the dev sign-in enabled; the refresh status and the warnings. */
    async function attempt(
      nodeEnv: string | undefined,
      config: { auth?: object; backend?: object },
      devSignIn: object = { enabled: true },
    ) {
      return withNodeEnv(nodeEnv, async () => {
        const logger = mockServices.logger.mock();
        const server = await startBackend(devSignIn, { config, logger });
        const { status } = await request(server).get(REFRESH);
        const warnings = logger.warn.mock.calls.map(([message]) =>
          String(message),
        );
        return {
          status,
          off: warnings.find(m => m.startsWith('Dev sign-in is off')),
        };
      });
    }

    const PUBLIC = {
      baseUrl: 'https://backstage.example.com',
      listen: { port: 7007 },
    };

    // The cases that used to open it, each alone.
    it.each([
      [
        'NODE_ENV unset, with the production settings',
        undefined,
        { auth: { environment: 'production' }, backend: PUBLIC },
        /auth.environment is 'production'.*every network interface.*backend.baseUrl/,
      ],
      [
        'NODE_ENV unset and auth.environment unset (Backstage defaults it to development)',
        undefined,
        { backend: LOCAL.backend },
        /auth.environment is not set/,
      ],
      [
        'auth.environment: production',
        'development',
        { ...LOCAL, auth: { environment: 'production' } },
        /auth.environment is 'production', not 'development'/,
      ],
      [
        'auth.environment: Development',
        'development',
        { ...LOCAL, auth: { environment: 'Development' } },
        /auth.environment is 'Development'/,
      ],
      ['NODE_ENV=Production', 'Production', LOCAL, /NODE_ENV is 'Production'/],
      ['NODE_ENV=production', 'production', LOCAL, /NODE_ENV is 'production'/],
      [
        'listen host unset (every interface)',
        'development',
        { ...LOCAL, backend: { ...LOCAL.backend, listen: { port: 7007 } } },
        /listens on every network interface/,
      ],
      [
        'listen host 0.0.0.0',
        'development',
        {
          ...LOCAL,
          backend: {
            ...LOCAL.backend,
            listen: { host: '0.0.0.0', port: 7007 },
          },
        },
        /listens on '0.0.0.0', not on loopback/,
      ],
      [
        "listen ':7007' (every interface)",
        'development',
        { ...LOCAL, backend: { ...LOCAL.backend, listen: ':7007' } },
        /listens on every network interface/,
      ],
      [
        'a public backend.baseUrl in front of a loopback listener',
        'development',
        {
          ...LOCAL,
          backend: { ...LOCAL.backend, baseUrl: PUBLIC.baseUrl },
        },
        /backend.baseUrl 'https:\/\/backstage.example.com' is not a loopback URL/,
      ],
    ])(
      '%s: refresh 404, a warning says why',
      async (_, nodeEnv, config, why) => {
        const { status, off } = await attempt(nodeEnv, config);
        expect(status).toBe(404);
        expect(off).toMatch(why);
      },
    );

    it('no longer has a production override', async () => {
      const { status, off } = await attempt(
        'production',
        { ...LOCAL, auth: { environment: 'production' } },
        { enabled: true, dangerouslyAllowInProduction: true },
      );
      expect(status).toBe(404);
      expect(off).toMatch(/auth.environment is 'production'.*NODE_ENV/);
    });

    // app-config.yaml under `yarn start` (NODE_ENV=development), and under
    // scripts/e2e.sh, which runs the backend with node and no NODE_ENV.
    it.each([
      ['development', '127.0.0.1'],
      [undefined, '127.0.0.1'],
      ['test', 'localhost'],
      ['development', '::1'],
    ])(
      'runs with NODE_ENV %s, development and listen host %s',
      async (nodeEnv, host) => {
        const { status, off } = await attempt(nodeEnv, {
          ...LOCAL,
          backend: { ...LOCAL.backend, listen: { host, port: 7007 } },
        });
        expect(status).toBe(200);
        expect(off).toBeUndefined();
      },
    );

    it("runs with listen '127.0.0.1:7007'", async () => {
      const { status } = await attempt('development', {
        ...LOCAL,
        backend: { ...LOCAL.backend, listen: '127.0.0.1:7007' },
      });
      expect(status).toBe(200);
    });
  });
});

describe('devSignInRefusals', () => {
  const config = (data: object) => new ConfigReader(data);

  it('accepts the embedded default, app-config.yaml', () => {
    expect(devSignInRefusals(config(LOCAL), {})).toEqual([]);
    expect(
      devSignInRefusals(config(LOCAL), { NODE_ENV: 'development' }),
    ).toEqual([]);
  });

  it('names every reason at once', () => {
    expect(devSignInRefusals(config({}), { NODE_ENV: 'PRODUCTION' })).toEqual([
      "auth.environment is not set (it must be 'development')",
      'the backend listens on every network interface (set backend.listen.host: 127.0.0.1)',
      'backend.baseUrl (not set) is not a loopback URL',
      "NODE_ENV is 'PRODUCTION' (only unset, 'development' or 'test' allow it)",
    ]);
  });

  it('refuses an unreadable listen setting', () => {
    const refusals = devSignInRefusals(
      config({ ...LOCAL, backend: { ...LOCAL.backend, listen: 'nonsense' } }),
      {},
    );
    expect(refusals).toEqual([
      expect.stringMatching(/^backend.listen cannot be read/),
    ]);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    'localhost',
    'LOCALHOST',
    '::1',
    '::ffff:127.0.0.1',
  ])('takes %s for loopback', host => expect(isLoopbackHost(host)).toBe(true));

  it.each([
    '',
    '0.0.0.0',
    '::',
    '10.0.0.1',
    '128.0.0.1',
    '127.0.0.256',
    '127.0.0.1.example.com',
    'localhost.example.com',
    'backstage.example.com',
    ' 127.0.0.1',
  ])('does not take %p for loopback', host =>
    expect(isLoopbackHost(host)).toBe(false),
  );
});
