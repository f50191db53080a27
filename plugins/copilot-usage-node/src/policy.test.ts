import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import {
  copilotUsageAdminPermission,
  copilotUsageArchiveRestorePermission,
  copilotUsageHistoryImportPermission,
  copilotUsageOrgReadPermission,
  copilotUsageSyncCreatePermission,
  copilotUsageTeamReadPermission,
  copilotUsageWritePermissions,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  createCopilotUsagePolicyDecision,
  readCopilotUsagePolicyOptions,
} from './policy';

const options = { adminGroups: ['group:default/platform-admins'] };
const admin = {
  ownershipEntityRefs: ['user:default/ada', 'group:default/platform-admins'],
};
const member = {
  ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
};
const loner = { ownershipEntityRefs: ['user:default/lou'] };

const decide = (
  permission: Parameters<
    typeof createCopilotUsagePolicyDecision
  >[0]['permission'],
  user: { ownershipEntityRefs: string[] },
  opts: Parameters<typeof createCopilotUsagePolicyDecision>[2] = options,
) => createCopilotUsagePolicyDecision({ permission }, user, opts);

describe('createCopilotUsagePolicyDecision', () => {
  it('allows admins everything', () => {
    for (const permission of [
      copilotUsageTeamReadPermission,
      copilotUsageOrgReadPermission,
      copilotUsageAdminPermission,
      copilotUsageSyncCreatePermission,
      copilotUsageHistoryImportPermission,
      copilotUsageArchiveRestorePermission,
    ]) {
      expect(decide(permission, admin)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('matches admin Groups case-insensitively', () => {
    expect(
      decide(copilotUsageAdminPermission, {
        ownershipEntityRefs: ['group:default/Platform-Admins'],
      }),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('lets others read teams on condition of membership, parents included', () => {
    expect(decide(copilotUsageTeamReadPermission, member)).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'copilot-usage',
      resourceType: 'copilot-usage-team',
      conditions: {
        rule: 'IS_TEAM_MEMBER',
        resourceType: 'copilot-usage-team',
        params: {
          claims: ['user:default/alice', 'group:default/team-a'],
          includeParents: true,
        },
      },
    });
  });

  it('leaves parent Groups out when nestedGroups is false', () => {
    const decision = decide(copilotUsageTeamReadPermission, member, {
      ...options,
      nestedGroups: false,
    });
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { includeParents: false } },
    });
  });

  it('gives a user in no team a condition that matches no team', () => {
    expect(decide(copilotUsageTeamReadPermission, loner)).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { claims: ['user:default/lou'] } },
    });
  });

  it('denies the org overview and admin permission to non-admins', () => {
    for (const user of [member, loner]) {
      expect(decide(copilotUsageOrgReadPermission, user)).toEqual({
        result: AuthorizeResult.DENY,
      });
      expect(decide(copilotUsageAdminPermission, user)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('denies every write to non-admins, whatever the options', () => {
    expect(copilotUsageWritePermissions).toHaveLength(4);
    for (const permission of copilotUsageWritePermissions) {
      for (const user of [member, loner]) {
        for (const opts of [
          options,
          { ...options, orgOverview: 'everyone' as const, nestedGroups: true },
        ]) {
          expect(decide(permission, user, opts)).toEqual({
            result: AuthorizeResult.DENY,
          });
        }
      }
    }
  });

  it('answers the writes by name, as policies receive permissions over HTTP', () => {
    for (const permission of copilotUsageWritePermissions) {
      // The permission backend hands the policy a deserialized copy.
      const copy = JSON.parse(JSON.stringify(permission));
      expect(decide(copy, admin)).toEqual({ result: AuthorizeResult.ALLOW });
      expect(decide(copy, member)).toEqual({ result: AuthorizeResult.DENY });
    }
  });

  it('opens the org overview, not admin, with orgOverview everyone', () => {
    const everyone = { ...options, orgOverview: 'everyone' as const };
    expect(decide(copilotUsageOrgReadPermission, loner, everyone)).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(decide(copilotUsageAdminPermission, loner, everyone)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it("leaves other plugins' permissions to the caller", () => {
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    expect(decide(catalogRead, admin)).toBeUndefined();
    expect(decide(catalogRead, loner)).toBeUndefined();
  });
});

describe('readCopilotUsagePolicyOptions', () => {
  it('reads the copilotUsage keys, completing short Group refs', () => {
    const config = new ConfigReader({
      copilotUsage: {
        adminGroups: ['platform-admins', 'group:acme/Leads'],
        orgOverview: 'everyone',
        nestedGroups: false,
      },
    });
    expect(readCopilotUsagePolicyOptions(config)).toEqual({
      adminGroups: ['group:default/platform-admins', 'group:acme/leads'],
      orgOverview: 'everyone',
      nestedGroups: false,
    });
  });

  it('defaults to no admins, admin-only org overview and nested Groups', () => {
    expect(readCopilotUsagePolicyOptions(new ConfigReader({}))).toEqual({
      adminGroups: [],
      orgOverview: 'admins',
      nestedGroups: true,
    });
  });

  it('rejects an unknown orgOverview value', () => {
    const config = new ConfigReader({ copilotUsage: { orgOverview: 'all' } });
    expect(() => readCopilotUsagePolicyOptions(config)).toThrow(
      /copilotUsage.orgOverview/,
    );
  });
});
