import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  copilotUsageAdminPermission,
  copilotUsageOrgReadPermission,
  copilotUsageTeamReadPermission,
  copilotUsageWritePermissions,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import permissionPlugin from '@backstage/plugin-permission-backend';
import request from 'supertest';
import {
  CopilotUsagePermissionPolicy,
  permissionModuleCopilotUsagePolicy,
} from './module';

const catalogEntityRead = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

describe('CopilotUsagePermissionPolicy', () => {
  const options = { adminGroups: ['group:default/platform-admins'] };

  function policyFor(ownershipEntityRefs: string[]) {
    return new CopilotUsagePermissionPolicy(
      mockServices.userInfo({ ownershipEntityRefs }),
      options,
    );
  }

  const asUser = (userEntityRef: string) => ({
    credentials: mockCredentials.user(userEntityRef),
    info: { userEntityRef, ownershipEntityRefs: [userEntityRef] },
  });

  it('allows admins the admin permission, denies it to others', async () => {
    const admin = policyFor([
      'user:default/ada',
      'group:default/platform-admins',
    ]);
    const member = policyFor(['user:default/alice', 'group:default/team-a']);

    await expect(
      admin.handle(
        { permission: copilotUsageAdminPermission },
        asUser('user:default/ada'),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      member.handle(
        { permission: copilotUsageAdminPermission },
        asUser('user:default/alice'),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('allows admins the writes (sync, import, restore), denies them to others', async () => {
    const admin = policyFor([
      'user:default/ada',
      'group:default/platform-admins',
    ]);
    const member = policyFor(['user:default/alice', 'group:default/team-a']);
    for (const permission of copilotUsageWritePermissions) {
      await expect(
        admin.handle({ permission }, asUser('user:default/ada')),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
      await expect(
        member.handle({ permission }, asUser('user:default/alice')),
      ).resolves.toEqual({ result: AuthorizeResult.DENY });
      await expect(member.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it("makes team reads conditional on the user's ownership refs from userInfo", async () => {
    const member = policyFor(['user:default/alice', 'group:default/team-a']);
    await expect(
      member.handle(
        { permission: copilotUsageTeamReadPermission },
        asUser('user:default/alice'),
      ),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        rule: 'IS_TEAM_MEMBER',
        params: { claims: ['user:default/alice', 'group:default/team-a'] },
      },
    });
  });

  it('allows everything that is not Copilot usage', async () => {
    const member = policyFor(['user:default/alice']);
    await expect(
      member.handle(
        { permission: catalogEntityRead },
        asUser('user:default/alice'),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('treats a request without a user as owning nothing', async () => {
    const policy = policyFor(['group:default/platform-admins']);
    await expect(
      policy.handle({ permission: copilotUsageOrgReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: copilotUsageTeamReadPermission }),
    ).resolves.toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { claims: [] } },
    });
  });
});

describe('permissionModuleCopilotUsagePolicy', () => {
  const groupsOf: Record<string, string[]> = {
    'user:default/ada': ['group:default/platform-admins'],
    'user:default/alice': ['group:default/team-a'],
  };

  async function startBackend(copilotUsage: object) {
    const { server } = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModuleCopilotUsagePolicy,
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true }, copilotUsage },
        }),
        mockServices.userInfo.mock({
          getUserInfo: async credentials => {
            const userEntityRef = (
              credentials.principal as { userEntityRef: string }
            ).userEntityRef;
            return {
              userEntityRef,
              ownershipEntityRefs: [
                userEntityRef,
                ...(groupsOf[userEntityRef] ?? []),
              ],
            };
          },
        }).factory,
      ],
    });
    return server;
  }

  async function authorize(
    server: Awaited<ReturnType<typeof startBackend>>,
    userEntityRef: string,
    permissions: object[],
  ) {
    const response = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(userEntityRef))
      .send({
        items: permissions.map((permission, i) => ({
          id: String(i),
          permission,
        })),
      });
    expect(response.status).toBe(200);
    return response.body.items.map((item: { result: string }) => item.result);
  }

  it('answers the permission backend with the configured admin Groups', async () => {
    const server = await startBackend({ adminGroups: ['platform-admins'] });
    const permissions = [
      copilotUsageOrgReadPermission,
      copilotUsageAdminPermission,
      ...copilotUsageWritePermissions,
      createPermission({
        name: 'catalog.entity.create',
        attributes: { action: 'create' },
      }),
    ];

    await expect(
      authorize(server, 'user:default/ada', permissions),
    ).resolves.toEqual([
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
      AuthorizeResult.ALLOW,
    ]);
    await expect(
      authorize(server, 'user:default/alice', permissions),
    ).resolves.toEqual([
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
      AuthorizeResult.ALLOW,
    ]);
  });

  it('opens the org overview to everyone when configured', async () => {
    const server = await startBackend({
      adminGroups: [],
      orgOverview: 'everyone',
    });
    await expect(
      authorize(server, 'user:default/alice', [
        copilotUsageOrgReadPermission,
        copilotUsageAdminPermission,
        ...copilotUsageWritePermissions,
      ]),
    ).resolves.toEqual([
      AuthorizeResult.ALLOW,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
      AuthorizeResult.DENY,
    ]);
  });
});
