import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleCopilotUsagePolicy from '@copilot-usage/backstage-plugin-permission-backend-module-copilot-usage-policy';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AddressInfo } from 'node:net';
import { copilotUsagePlugin } from '../plugin';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { DayFixture, group, seedDays, user } from '../service/testFixtures';

jest.setTimeout(60_000);

/*
 * The actions as an assistant reaches them: the MCP SDK's client against the
 * MCP actions backend's endpoint, Backstage's own actions registry and actions
 * service, and the real permission backend deciding with this repo's policy
 * module. Only identity (who owns what) and the catalog are stand-ins.
 */

const ADMINS = 'group:default/platform-admins';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/platform'],
  'user:default/bob': ['user:default/bob', 'group:default/outsiders'],
  'user:default/carol': ['user:default/carol', ADMINS],
};

const members = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

// platform: 6 members (alice is user 1); tiny: 3 members, below minTeamSize (5).
const DAYS: DayFixture[] = [
  {
    day: '2026-11-18',
    teams: { platform: members(1, 6), tiny: members(7, 9) },
    users: {
      1: { interactions: 5, usedAgent: true },
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
const RANGE = { from: '2026-11-18', to: '2026-11-19' };

const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    getUserInfo: async (credentials: any) => {
      const userEntityRef = credentials.principal.userEntityRef as string;
      return {
        userEntityRef,
        ownershipEntityRefs: OWNERSHIP[userEntityRef] ?? [userEntityRef],
      };
    },
  }),
});

/**
 * Backstage's mock auth, except that a token a plugin gets on behalf of a user
 * names that plugin as the actor, as the real auth service does: the permission
 * backend tells such forwarded requests from a user's own (which may not ask for
 * conditional decisions).
 */
const onBehalfOfAuthFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const issue = auth.getPluginRequestToken.bind(auth);
    auth.getPluginRequestToken = async options => {
      const { principal } = options.onBehalfOf;
      if (!auth.isPrincipal(options.onBehalfOf, 'user')) return issue(options);
      const sub = (principal as { userEntityRef: string }).userEntityRef;
      const actor = { subject: `plugin:${plugin.getId()}` };
      return { token: `mock-user-token:${JSON.stringify({ sub, actor })}` };
    };
    return auth;
  },
});

type Caller = 'member' | 'nonMember' | 'admin';
const USERS: Record<Caller, string> = {
  member: 'user:default/alice',
  nonMember: 'user:default/bob',
  admin: 'user:default/carol',
};

describe('Copilot usage MCP actions', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let endpoint: URL;
  const clients: Client[] = [];

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    await seedDays(store, 'org:acme', DAYS);
    backend = await startTestBackend({
      features: [
        copilotUsagePlugin,
        mcpActionsPlugin,
        permissionPlugin,
        permissionModuleCopilotUsagePolicy,
        permissionsServiceFactory,
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        userInfoFactory,
        onBehalfOfAuthFactory,
        mockServices.database.factory({ knex }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        catalogServiceMock.factory({
          entities: [
            group('platform', { teamSlug: 'acme/platform', title: 'Platform' }),
            group('tiny', { teamSlug: 'acme/tiny', title: 'Tiny' }),
            group('platform-admins'),
            user('alice', 'user-1'),
            user('bob'),
            user('carol'),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            backend: { actions: { pluginSources: ['copilot-usage'] } },
            copilotUsage: {
              organizations: ['acme'],
              adminGroups: [ADMINS],
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
    const { port } = backend.server.address() as AddressInfo;
    endpoint = new URL(`http://localhost:${port}/api/mcp-actions/v1`);
  });

  afterAll(async () => {
    await Promise.all(clients.map(client => client.close()));
    await backend?.stop();
  });

  /** An MCP session as `caller`, signed in with a Backstage user token. */
  async function connect(caller: Caller): Promise<Client> {
    const client = new Client({ name: 'copilot-usage-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(endpoint, {
        requestInit: {
          headers: {
            Authorization: mockCredentials.user.header(USERS[caller]),
          },
        },
      }),
    );
    clients.push(client);
    return client;
  }

  const sessions = new Map<Caller, Promise<Client>>();
  const session = (caller: Caller) => {
    if (!sessions.has(caller)) sessions.set(caller, connect(caller));
    return sessions.get(caller)!;
  };

  /** The tool's name as the MCP server lists it (namespaced by plugin). */
  async function toolName(action: string): Promise<string> {
    const { tools } = await (await session('admin')).listTools();
    const tool = tools.find(t => t.name.endsWith(action));
    if (!tool)
      throw new Error(`no tool ${action} in ${tools.map(t => t.name)}`);
    return tool.name;
  }

  async function call(
    caller: Caller,
    action: string,
    args: Record<string, unknown> = {},
  ): Promise<{ isError: boolean; text: string; output: any }> {
    const client = await session(caller);
    const result = await client.callTool({
      name: await toolName(action),
      arguments: args,
    });
    const [content] = result.content as Array<{ type: string; text: string }>;
    return {
      isError: Boolean(result.isError),
      text: content.text,
      output: result.structuredContent,
    };
  }

  it('lists the four read-only, idempotent tools with descriptions', async () => {
    const { tools } = await (await session('member')).listTools();
    const ours = tools.filter(t => /copilot/.test(t.name));
    expect(ours.map(t => t.name.replace(/^.*[.:_]/, '')).sort()).toEqual([
      'get-copilot-org-usage',
      'get-copilot-sync-status',
      'get-copilot-team-usage',
      'list-copilot-teams',
    ]);
    for (const tool of ours) {
      expect(tool.annotations).toMatchObject({
        readOnlyHint: true,
        idempotentHint: true,
        destructiveHint: false,
      });
      expect(tool.description!.length).toBeGreaterThan(100);
    }
    const team = ours.find(t => t.name.endsWith('get-copilot-team-usage'))!;
    expect(team.inputSchema.required).toEqual(['team']);
  });

  it('list-copilot-teams: own teams for a member, none for a non-member, all for an admin', async () => {
    const refs = async (caller: Caller) =>
      (await call(caller, 'list-copilot-teams')).output.teams.map(
        (t: { entityRef: string }) => t.entityRef,
      );
    await expect(refs('member')).resolves.toEqual(['group:default/platform']);
    await expect(refs('nonMember')).resolves.toEqual([]);
    await expect(refs('admin')).resolves.toEqual([
      'group:default/platform',
      'group:default/tiny',
    ]);
    const [team] = (await call('member', 'list-copilot-teams')).output.teams;
    expect(team).toEqual({
      entityRef: 'group:default/platform',
      title: expect.any(String),
      githubTeam: 'acme/platform',
      owner: 'org',
      eligible: true,
    });
  });

  it('get-copilot-team-usage: a member reads their team, a non-member is refused', async () => {
    const member = await call('member', 'get-copilot-team-usage', {
      team: 'group:default/platform',
      ...RANGE,
    });
    expect(member.text).not.toMatch(/Error/);
    expect(member.isError).toBe(false);
    expect(member.output).toMatchObject({
      eligible: true,
      coverage: { daysInRange: 2, daysWithData: 2, lastDay: '2026-11-19' },
      totals: { activeUsers: 2, interactions: 9 },
      peakDailyAgentUsers: 1,
    });
    // The schema keeps only the fields it names of the document's objects.
    expect(Object.keys(member.output.totals).sort()).toEqual([
      'activeUsers',
      'codeAcceptances',
      'codeGenerations',
      'completionAcceptanceRate',
      'interactions',
      'locAcceptanceRate',
      'locAdded',
      'locSuggestedToAdd',
      'members',
    ]);
    expect(Object.keys(member.output.lastDay).sort()).toEqual([
      'activeUsers',
      'agentUsers',
      'chatUsers',
      'day',
      'memberCount',
      'monthlyActiveAgentUsers',
      'monthlyActiveUsers',
      'weeklyActiveUsers',
    ]);
    expect(member.output.summary).toMatch(
      /^Platform \(group:default\/platform/,
    );

    const refused = await call('nonMember', 'get-copilot-team-usage', {
      team: 'platform',
      ...RANGE,
    });
    expect(refused).toEqual({
      isError: true,
      text: 'NotAllowedError: You may not view the Copilot usage of group:default/platform',
      output: undefined,
    });
  });

  it('get-copilot-team-usage: admins see a team below the privacy floor, its members do not', async () => {
    const admin = await call('admin', 'get-copilot-team-usage', {
      team: 'tiny',
      ...RANGE,
    });
    expect(admin.output).toMatchObject({
      eligible: false,
      notEligibleReason: 'below-min-team-size',
      totals: { activeUsers: 2 },
    });
    const member = await call('member', 'get-copilot-team-usage', {
      team: 'tiny',
    });
    expect(member.text).toMatch(/^NotAllowedError/);
  });

  it.each([
    [
      { team: 'user:default/alice' },
      /InputError: Invalid team: .* is not a Group/,
    ],
    [{ team: "'; DROP TABLE user_day; --" }, /InputError: Invalid team/],
    [
      { team: 'ghost' },
      /NotFoundError: group:default\/ghost is not a Group mapped/,
    ],
    [
      { team: 'platform', from: '2026-02-30' },
      /InputError: .*from must be a real calendar day/,
    ],
    [
      { team: 'platform', from: '2026-11-19', to: '2026-11-18' },
      /InputError: .*is after to/,
    ],
    [{ team: 42 }, /InputError: Invalid input to action/],
    [{}, /InputError: Invalid input to action/],
  ])('get-copilot-team-usage: bad input %j is refused', async (args, error) => {
    const result = await call('admin', 'get-copilot-team-usage', args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(error);
  });

  it('get-copilot-org-usage: admins only, the configured org by default; bad input refused', async () => {
    const admin = await call('admin', 'get-copilot-org-usage', RANGE);
    expect(admin.output).toMatchObject({
      scope: { type: 'org', org: 'acme', entityRef: null },
      coverage: { daysWithData: 2 },
    });
    for (const caller of ['member', 'nonMember'] as const) {
      const refused = await call(caller, 'get-copilot-org-usage', RANGE);
      expect(refused.text).toBe(
        'NotAllowedError: You may not view the organization overview (permission copilot-usage.org.read)',
      );
    }
    await expect(
      call('admin', 'get-copilot-org-usage', { org: 'nope' }),
    ).resolves.toMatchObject({
      text: "NotFoundError: Organization 'nope' is not configured for Copilot usage",
    });
    await expect(
      call('admin', 'get-copilot-org-usage', { org: 'a/../b' }),
    ).resolves.toMatchObject({ text: /^InputError: Invalid organization/ });
  });

  it('get-copilot-sync-status: admins learn whether the sync is healthy, others are refused', async () => {
    const admin = await call('admin', 'get-copilot-sync-status');
    expect(admin.output).toMatchObject({
      healthy: false,
      scopes: [
        expect.objectContaining({
          scope: 'org:acme',
          lastCompleteDay: '2026-11-19',
        }),
      ],
    });
    expect(Object.keys(admin.output.scopes[0]).sort()).toEqual([
      'archiveDaysPending',
      'daysBehind',
      'daysComplete',
      'daysMissing',
      'interrupted',
      'lastCompleteDay',
      'lastError',
      'lastRunFinishedAt',
      'recentFailures',
      'running',
      'scope',
    ]);
    expect(admin.output.problems.join()).toMatch(
      /org:acme: the last complete day \(2026-11-19\) is \d+ days behind today/,
    );
    const member = await call('member', 'get-copilot-sync-status');
    expect(member.text).toBe(
      'NotAllowedError: You may not do this (permission copilot-usage.admin)',
    );
  });

  it('refuses an MCP request without a Backstage token', async () => {
    const client = new Client({ name: 'anonymous', version: '1.0.0' });
    await expect(
      client.connect(new StreamableHTTPClientTransport(endpoint)),
    ).rejects.toThrow(/401/);
  });
});
