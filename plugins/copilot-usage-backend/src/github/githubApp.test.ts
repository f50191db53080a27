import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  GithubSimulator,
  startGithubSimulator,
} from '@copilot-usage/github-simulator';
import { createAppAuth } from '@octokit/auth-app';
import { generateKeyPairSync } from 'node:crypto';
import { SyncRunner } from '../ingest/SyncRunner';
import { Scope } from '../lib/scope';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { EnterpriseInstallationTokens } from './EnterpriseInstallationTokens';
import { GithubAccessError } from './errors';
import { GithubCopilotClient } from './GithubCopilotClient';
import { ReportReader } from './ReportReader';

jest.setTimeout(120_000);

const TODAY = '2026-11-21';
const LAST = '2026-11-19';
const APP_ID = 4242;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_KEY = keys.privateKey.export({
  type: 'pkcs8',
  format: 'pem',
}) as string;
const PUBLIC_KEY = keys.publicKey.export({
  type: 'spki',
  format: 'pem',
}) as string;

const enterprise: Scope = { kind: 'enterprise', name: 'acme-corp' };
const org: Scope = { kind: 'org', name: 'acme' };

async function simulatorWithApp(
  installedOn: Array<'org' | 'enterprise'>,
  tokenTtlMs?: number,
) {
  return startGithubSimulator({
    users: 20,
    teams: 2,
    today: TODAY,
    historyDays: 10,
    app: { appId: APP_ID, publicKey: PUBLIC_KEY, installedOn, tokenTtlMs },
  });
}

/** The config an adopter writes for a GitHub App (the key with literal `\n`, as in env vars). */
function appConfig(simulator: GithubSimulator) {
  return new ConfigReader({
    integrations: {
      github: [
        {
          host: 'github.com',
          apiBaseUrl: simulator.url,
          apps: [
            {
              appId: APP_ID,
              clientId: 'Iv1.simulated',
              clientSecret: 'simulated',
              privateKey: PRIVATE_KEY.replace(/\n/g, '\\n'),
            },
          ],
        },
      ],
    },
  });
}

const clientFor = (simulator: GithubSimulator) =>
  GithubCopilotClient.fromConfig(appConfig(simulator), {
    githubHost: 'github.com',
  });

describe('a GitHub App installed on the enterprise and the org', () => {
  let simulator: GithubSimulator;
  beforeAll(async () => {
    simulator = await simulatorWithApp(['org', 'enterprise']);
  });
  afterAll(() => simulator.close());

  it('reads enterprise reports with the enterprise installation and org reports with the org installation', async () => {
    const client = clientFor(simulator);
    // Each installation's token only reads its own account (403 otherwise).
    for (const scope of [enterprise, org, enterprise, org]) {
      const links = await client.getReportLinks(scope, 'users', LAST);
      expect(links.status).toBe('ok');
    }
    // One token per installation, kept for the later calls.
    expect(simulator.githubApp!.tokensIssued).toBe(2);
  });

  it('explains the 403 an organization installation gets on enterprise reports', async () => {
    const orgToken = (await clientOrgToken(simulator)).token;
    const client = new GithubCopilotClient({
      baseUrl: simulator.url,
      getAuthHeaders: async () => ({ authorization: `token ${orgToken}` }),
    });
    const error = await client
      .getReportLinks(enterprise, 'aggregate', LAST)
      .catch(e => e);
    expect(error).toBeInstanceOf(GithubAccessError);
    expect(error.status).toBe(403);
    expect(error.message).toMatch(
      /^GitHub answered 403 to GET \/enterprises\/acme-corp\/copilot\/metrics\/reports\/enterprise-1-day: Resource not accessible by integration; .*installation on the enterprise \(not an organization's\) with "Enterprise Copilot metrics: read"/,
    );
    expect(error.message).not.toContain(orgToken);
  });
});

/** The org installation's token, as Backstage's credentials provider would get it. */
async function clientOrgToken(simulator: GithubSimulator) {
  const installations = await fetch(`${simulator.url}/app/installations`, {
    headers: { authorization: `bearer ${await appJwt()}` },
  }).then(r => r.json());
  const orgInstallation = installations.find(
    (i: { target_type: string }) => i.target_type === 'Organization',
  );
  return fetch(
    `${simulator.url}/app/installations/${orgInstallation.id}/access_tokens`,
    {
      method: 'POST',
      headers: { authorization: `bearer ${await appJwt()}` },
    },
  ).then(r => r.json());
}

async function appJwt() {
  const auth = createAppAuth({ appId: APP_ID, privateKey: PRIVATE_KEY });
  return (await auth({ type: 'app' })).token;
}

describe('EnterpriseInstallationTokens', () => {
  const apps = [
    {
      appId: APP_ID,
      privateKey: PRIVATE_KEY,
      clientId: 'x',
      clientSecret: 'x',
    },
  ];

  it('keeps a token until five minutes before it expires, then renews it', async () => {
    const simulator = await simulatorWithApp(['enterprise']);
    try {
      let now = Date.now();
      const tokens = new EnterpriseInstallationTokens({
        apps,
        baseUrl: simulator.url,
        now: () => now,
      });
      const first = await tokens.headers('acme-corp');
      expect(await tokens.headers('ACME-corp')).toEqual(first);
      now += 54 * 60_000;
      expect(await tokens.headers('acme-corp')).toEqual(first);
      now += 2 * 60_000; // 56 minutes: within five minutes of the hour
      const renewed = await tokens.headers('acme-corp');
      expect(renewed).not.toEqual(first);
      expect(simulator.githubApp!.tokensIssued).toBe(2);
    } finally {
      await simulator.close();
    }
  });

  it('renews a token that expired, so the reports keep answering', async () => {
    // A one-second token is always within the renewal margin: every call gets a fresh one.
    const simulator = await simulatorWithApp(['enterprise'], 1000);
    try {
      const client = clientFor(simulator);
      await client.getReportLinks(enterprise, 'users', LAST);
      await new Promise(resolve => setTimeout(resolve, 1100));
      const links = await client.getReportLinks(enterprise, 'users', LAST);
      expect(links.status).toBe('ok');
      expect(simulator.githubApp!.tokensIssued).toBe(2);
    } finally {
      await simulator.close();
    }
  });

  it('says how to fix an App that is installed on the organizations only', async () => {
    const simulator = await simulatorWithApp(['org']);
    try {
      const client = clientFor(simulator);
      await expect(
        client.getReportLinks(enterprise, 'users', LAST),
      ).rejects.toThrow(
        "No installation of the GitHub App 4242 on the enterprise 'acme-corp': install the App on the enterprise itself",
      );
      // The org keeps working through its own installation.
      expect((await client.getReportLinks(org, 'users', LAST)).status).toBe(
        'ok',
      );
    } finally {
      await simulator.close();
    }
  });

  it('skips an App whose allowedInstallationOwners leave the enterprise out', async () => {
    const simulator = await simulatorWithApp(['enterprise']);
    try {
      const tokens = new EnterpriseInstallationTokens({
        apps: [{ ...apps[0], allowedInstallationOwners: ['acme'] }],
        baseUrl: simulator.url,
      });
      await expect(tokens.headers('acme-corp')).rejects.toThrow(
        'No installation of the GitHub App (none allowed for this enterprise)',
      );
      expect(simulator.githubApp!.tokensIssued).toBe(0);
    } finally {
      await simulator.close();
    }
  });
});

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'an enterprise-only setup with a GitHub App (%s)',
  databaseId => {
    it.each([
      ['installed on the enterprise', ['enterprise'] as const, undefined],
      [
        'installed on the organization only',
        ['org'] as const,
        /No installation of the GitHub App 4242 on the enterprise 'acme-corp'/,
      ],
    ])('syncs when %s, or says why not', async (_name, installedOn, error) => {
      const simulator = await simulatorWithApp([...installedOn]);
      const knex = await databases.init(databaseId as TestDatabaseId);
      try {
        const store = await DatabaseCopilotUsageStore.create({
          database: mockServices.database({ knex }),
          clock: () => new Date(`${TODAY}T06:00:00Z`),
        });
        const runner = new SyncRunner({
          config: {
            organizations: [],
            enterprise: 'acme-corp',
            backfillFrom: '2026-11-15',
            refreshDays: 3,
            concurrency: 2,
          },
          store,
          github: clientFor(simulator),
          reader: new ReportReader({ allowedHosts: ['127.0.0.1'] }),
          clock: () => new Date(`${TODAY}T06:00:00Z`),
        });
        const summary = await runner.run({
          logger: mockServices.logger.mock(),
        });
        expect(summary.scopes.map(s => s.scope)).toEqual([
          'enterprise:acme-corp',
        ]);
        const state = await store.getSyncState('enterprise:acme-corp');
        expect(summary.scopes[0].stored).toHaveLength(error ? 0 : 5);
        expect(state?.lastError ?? '').toMatch(error ?? /^$/);
      } finally {
        await simulator.close();
        await knex.destroy();
      }
    });
  },
);
