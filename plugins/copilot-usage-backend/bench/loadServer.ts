/*
 * The backend the load benchmark measures, in its own process (so that the clients'
 * CPU is not counted with the server's): the real copilot-usage plugin with Backstage's
 * own auth, httpAuth, userInfo, httpRouter, permissions and permissions registry, the
 * real permission backend with this repo's policy module, the GitHub simulator's
 * catalog entities (an in-memory catalog) and a first sync of the simulator's
 * enterprise. User tokens are ES256 JWTs signed here and verified by the real auth
 * service through a JWKS endpoint, with the ownership refs left out of the token as
 * the auth backend does by default (the userInfo service asks `/v1/userinfo`).
 *
 * Talks to the parent over IPC:
 *   parent -> { type: 'cpu' }     child -> { type: 'ready', ... } | { type: 'cpu', cpu }
 * BENCH_LOAD_DB=sqlite|postgres; BENCH_LOAD_DAYS days of history (default 35).
 */
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { httpRouterServiceFactory } from '@backstage/backend-defaults/httpRouter';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createSyntheticOrg,
  startGithubSimulator,
} from '@copilot-usage/github-simulator';
import { Router } from 'express';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import crypto, { KeyObject, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { copilotUsagePlugin } from '../src/plugin';

const TODAY = process.env.BENCH_TODAY ?? '2026-11-21';
const DAYS = Number(process.env.BENCH_LOAD_DAYS ?? 35);
const ORG = 'acme';
const ADMIN_GROUP = 'group:default/platform-admins';

/** The simulator's org as the demo's catalog has it (origins of the GitHub org provider). */
function catalogEntities(): Entity[] {
  const org = createSyntheticOrg({ org: ORG, today: TODAY });
  return org.catalogEntities().map(entity => {
    const annotations = entity.metadata.annotations ?? {};
    const team = annotations['github.com/team-slug']?.split('/')[1];
    const location =
      entity.kind === 'Group'
        ? `url:https://github.com/orgs/${ORG}/teams/${team ?? entity.metadata.name}`
        : `url:https://github.com/${annotations['github.com/user-login'] ?? entity.metadata.name}`;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...annotations,
          'backstage.io/managed-by-location': location,
          'backstage.io/managed-by-origin-location': location,
        },
      },
    } as Entity;
  });
}

/** Ownership refs as the auth backend's sign-in resolver gives them: the User and its Groups. */
function ownershipOf(user: Entity): string[] {
  const memberOf = (user.spec?.memberOf as string[] | undefined) ?? [];
  return [
    `user:default/${user.metadata.name}`,
    ...memberOf.map(group => `group:default/${group}`),
  ];
}

/**
 * Backstage's own database service: a SQLite file per plugin in a fresh directory, or
 * a fresh PostgreSQL database per plugin (dropped afterwards).
 */
function databaseConfig() {
  const connection =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (process.env.BENCH_LOAD_DB === 'postgres') {
    if (!connection) throw new Error('PostgreSQL is not configured');
    const prefix = `bench_load_${process.pid}_${Date.now()}_`;
    return {
      name: 'PostgreSQL 15',
      config: { client: 'pg', connection, prefix },
      async dispose() {
        const admin = knexFactory({ client: 'pg', connection });
        const { rows } = await admin.raw(
          'SELECT datname FROM pg_database WHERE datname LIKE ?',
          [`${prefix}%`],
        );
        for (const { datname } of rows as Array<{ datname: string }>) {
          await admin.raw('DROP DATABASE IF EXISTS ??', [datname]);
        }
        await admin.destroy();
      },
    };
  }
  const directory = fs.mkdtempSync(
    path.join(os.tmpdir(), 'copilot-usage-load-'),
  );
  return {
    name: 'SQLite (files)',
    config: { client: 'better-sqlite3', connection: { directory } },
    async dispose() {
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

const base64url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** An ES256 JWS signature (base64url, raw r||s) over exactly these bytes. */
function signEs256(input: string, key: KeyObject): string {
  return crypto
    .sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' })
    .toString('base64url');
}

/** The payload of a JWT signed with `key`, or undefined. */
function verifyEs256(
  token: string,
  key: KeyObject,
): { sub?: string } | undefined {
  const [header, payload, signature] = token.split('.');
  const ok = crypto.verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature ?? '', 'base64url'),
  );
  return ok
    ? JSON.parse(Buffer.from(payload, 'base64url').toString())
    : undefined;
}

async function main() {
  const database = databaseConfig();
  const simulator = await startGithubSimulator({
    today: TODAY,
    host: '127.0.0.1',
    port: 0,
    token: 'simulator-token',
  });
  const entities = catalogEntities();
  const users = entities.filter(e => e.kind === 'User');
  const ownership = new Map(
    users.map(user => [
      `user:default/${user.metadata.name}`,
      ownershipOf(user),
    ]),
  );

  // The auth backend's part: a signing key, its JWKS and /v1/userinfo.
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  const kid = randomUUID();
  const jwk = {
    ...publicKey.export({ format: 'jwk' }),
    kid,
    alg: 'ES256',
    use: 'sig',
  };
  let issuer = '';
  const authStub = createBackendPlugin({
    pluginId: 'auth',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          discovery: coreServices.discovery,
        },
        async init({ httpRouter, discovery }) {
          issuer = await discovery.getExternalBaseUrl('auth');
          const router = Router();
          router.get('/.well-known/jwks.json', (_req, res) => {
            res.json({ keys: [jwk] });
          });
          router.get('/v1/userinfo', async (req, res) => {
            const token = req.headers.authorization?.replace(/^Bearer /, '');
            const payload = verifyEs256(token ?? '', publicKey);
            if (!payload?.sub) {
              res.status(401).json({ error: { message: 'Invalid token' } });
              return;
            }
            const sub = payload.sub;
            res.json({ claims: { sub, ent: ownership.get(sub) ?? [sub] } });
          });
          httpRouter.use(router);
          httpRouter.addAuthPolicy({
            path: '/.well-known/jwks.json',
            allow: 'unauthenticated',
          });
          httpRouter.addAuthPolicy({
            path: '/v1/userinfo',
            allow: 'unauthenticated',
          });
        },
      });
    },
  });

  // The trivial authenticated route the load is compared with: the same token check, no work.
  const baselinePlugin = createBackendPlugin({
    pluginId: 'bench',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = Router();
          router.get('/ping', async (req, res) => {
            await httpAuth.credentials(req, { allow: ['user'] });
            res.json({ ok: true });
          });
          httpRouter.use(router);
        },
      });
    },
  });

  const backend = await startTestBackend({
    features: [
      copilotUsagePlugin,
      import('@backstage/plugin-permission-backend'),
      import('@copilot-usage/backstage-plugin-permission-backend-module-copilot-usage-policy'),
      authStub,
      baselinePlugin,
      catalogServiceMock.factory({ entities }),
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      httpRouterServiceFactory,
      permissionsServiceFactory,
      permissionsRegistryServiceFactory,
      schedulerServiceFactory,
      cacheServiceFactory,
      databaseServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: database.config,
          },
          permission: { enabled: true },
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: simulator.url,
                token: 'simulator-token',
              },
            ],
          },
          copilotUsage: {
            organizations: ['acme', 'acme-labs', 'acme-cloud'],
            enterprise: 'acme-corp',
            backfillDays: DAYS,
            minTeamSize: 5,
            adminGroups: [ADMIN_GROUP],
            orgOverview: 'admins',
            download: { allowedHosts: ['127.0.0.1', 'localhost'] },
            schedule: {
              frequency: { hours: 24 },
              initialDelay: { seconds: 1 },
            },
          },
        },
      }),
    ],
  });
  const address = backend.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://localhost:${port}`;

  /**
   * A user token as the auth backend issues it: its `uip` claim is the signature of
   * the limited user token (header and payload built exactly as the auth service
   * rebuilds them) that plugins forward on the user's behalf.
   */
  const tokenFor = async (userRef: string) => {
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + 2 * 3600;
    const limitedHeader = base64url({
      typ: 'vnd.backstage.limited-user',
      alg: 'ES256',
      kid,
    });
    const limitedPayload = base64url({ sub: userRef, iat, exp });
    const uip = signEs256(`${limitedHeader}.${limitedPayload}`, privateKey);
    const header = base64url({ alg: 'ES256', kid, typ: 'vnd.backstage.user' });
    const payload = base64url({
      sub: userRef,
      aud: 'backstage',
      iss: issuer,
      iat,
      exp,
      uip,
    });
    return `${header}.${payload}.${signEs256(`${header}.${payload}`, privateKey)}`;
  };

  // Wait for the first sync of every scope.
  const adminToken = await tokenFor('user:default/admin');
  const started = Date.now();
  for (;;) {
    const response = await fetch(`${url}/api/copilot-usage/status`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    if (process.env.BENCH_VERBOSE) {
      console.log(
        `  status ${response.status}: ${await response.clone().text()}`.slice(
          0,
          400,
        ),
      );
    }
    if (response.ok) {
      const status = (await response.json()) as {
        scopes: Array<{ running: boolean; lastRunFinishedAt: string | null }>;
      };
      if (
        status.scopes.length > 0 &&
        status.scopes.every(s => !s.running && s.lastRunFinishedAt)
      )
        break;
    }
    if (Date.now() - started > 15 * 60_000) throw new Error('sync too slow');
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  const syncSeconds = (Date.now() - started) / 1000;

  const members = users
    .filter(user => ((user.spec?.memberOf as string[]) ?? []).length > 0)
    .filter(user => user.metadata.name !== 'admin');
  const clients = await Promise.all(
    members.map(async user => ({
      userRef: `user:default/${user.metadata.name}`,
      teams: (user.spec!.memberOf as string[]).map(g => `default/${g}`),
      token: await tokenFor(`user:default/${user.metadata.name}`),
    })),
  );
  const admins = await Promise.all(
    Array.from({ length: 10 }, async () => ({
      userRef: 'user:default/admin',
      token: await tokenFor('user:default/admin'),
    })),
  );
  const teams = entities
    .filter(
      e =>
        e.kind === 'Group' && e.metadata.annotations?.['github.com/team-slug'],
    )
    .map(e => `default/${e.metadata.name}`);

  // BENCH_LOAD_CPU_PROF=<dir>: a CPU profile of the measured metrics phase only.
  const profiler = new inspector.Session();
  profiler.connect();
  const post = (method: string) =>
    new Promise<any>((resolve, reject) =>
      profiler.post(method, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    );
  process.on('message', async (message: { type: string; name?: string }) => {
    if (message.type === 'cpu') {
      process.send!({ type: 'cpu', cpu: process.cpuUsage() });
    } else if (message.type === 'profile-start') {
      await post('Profiler.enable');
      await post('Profiler.start');
      process.send!({ type: 'profile-started' });
    } else if (message.type === 'profile-stop') {
      const { profile } = await post('Profiler.stop');
      const file = path.join(
        process.env.BENCH_LOAD_CPU_PROF ?? os.tmpdir(),
        `${message.name ?? 'load'}.cpuprofile`,
      );
      fs.writeFileSync(file, JSON.stringify(profile));
      process.send!({ type: 'profile-stopped', file });
    }
  });
  process.on('disconnect', async () => {
    await backend.stop().catch(() => {});
    await simulator.close().catch(() => {});
    await database.dispose().catch(() => {});
    process.exit(0);
  });
  process.send!({
    type: 'ready',
    url,
    database: database.name,
    syncSeconds,
    members: clients,
    admins,
    teams,
  });
}

main().catch(error => {
  process.stderr.write(`load server failed: ${error.stack}\n`);
  process.exit(1);
});
