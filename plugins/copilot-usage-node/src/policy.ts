import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQuery } from '@backstage/plugin-permission-node';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  copilotUsageAdminPermission,
  copilotUsageOrgReadPermission,
  copilotUsageTeamReadPermission,
  copilotUsageWritePermissions,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  copilotUsageConditions,
  createCopilotUsageConditionalDecision,
} from './conditions';

/**
 * How {@link createCopilotUsagePolicyDecision} decides.
 *
 * @public
 */
export type CopilotUsagePolicyOptions = {
  /** Group entity refs whose members may see and administer everything. */
  adminGroups: string[];
  /** Who may read the org overview. Defaults to `'admins'`. */
  orgOverview?: 'admins' | 'everyone';
  /**
   * Whether a member of a parent Group may read its child teams. Defaults to
   * `true`.
   */
  nestedGroups?: boolean;
};

// Entity refs are case-insensitive, like the catalog treats them.
const normalize = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Decides the Copilot usage permissions for a user, so that an adopter's own
 * permission policy can delegate to it.
 *
 * - Members of an admin Group: ALLOW on every Copilot usage permission.
 * - Everyone else: `copilot-usage.team.read` is CONDITIONAL on being a member
 *   of the team (or of a parent Group, with `nestedGroups`);
 *   `copilot-usage.org.read` is ALLOW only with `orgOverview: 'everyone'`;
 *   `copilot-usage.admin` and the writes (`copilot-usage.sync.create`,
 *   `copilot-usage.history.import`, `copilot-usage.archive.restore`,
 *   `copilot-usage.user.delete`) are DENY.
 *
 * @param request - The policy query the permission backend handed the policy.
 * @param user - The caller's ownership entity refs, from
 *   `userInfo.getUserInfo(user.credentials)`.
 * @param options - Admin Groups and access options, e.g. from
 *   {@link readCopilotUsagePolicyOptions}.
 * @returns The decision, or `undefined` when the permission is not one of
 *   the Copilot usage plugin's, so the caller decides it.
 * @public
 */
export function createCopilotUsagePolicyDecision(
  request: PolicyQuery,
  user: { ownershipEntityRefs: string[] },
  options: CopilotUsagePolicyOptions,
): PolicyDecision | undefined {
  const { permission } = request;
  const isTeamRead = isPermission(permission, copilotUsageTeamReadPermission);
  const isOrgRead = isPermission(permission, copilotUsageOrgReadPermission);
  const isAdmin = isPermission(permission, copilotUsageAdminPermission);
  const isWrite = copilotUsageWritePermissions.some(write =>
    isPermission(permission, write),
  );
  if (!isTeamRead && !isOrgRead && !isAdmin && !isWrite) {
    return undefined;
  }

  const adminGroups = new Set(options.adminGroups.map(normalize));
  if (user.ownershipEntityRefs.some(ref => adminGroups.has(normalize(ref)))) {
    return { result: AuthorizeResult.ALLOW };
  }

  if (isPermission(permission, copilotUsageTeamReadPermission)) {
    return createCopilotUsageConditionalDecision(
      permission,
      copilotUsageConditions.isTeamMember({
        claims: user.ownershipEntityRefs,
        includeParents: options.nestedGroups ?? true,
      }),
    );
  }
  if (isOrgRead && options.orgOverview === 'everyone') {
    return { result: AuthorizeResult.ALLOW };
  }
  // The admin read and every write.
  return { result: AuthorizeResult.DENY };
}

/**
 * Reads {@link CopilotUsagePolicyOptions} from the `copilotUsage` config:
 * `adminGroups` (Group refs; `platform-admins` is short for
 * `group:default/platform-admins`), `orgOverview` (`admins` or `everyone`,
 * default `admins`) and `nestedGroups` (default `true`).
 *
 * @public
 */
export function readCopilotUsagePolicyOptions(
  config: Config,
): CopilotUsagePolicyOptions {
  const adminGroups = (
    config.getOptionalStringArray('copilotUsage.adminGroups') ?? []
  ).map(ref =>
    stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'group' })),
  );

  const orgOverview =
    config.getOptionalString('copilotUsage.orgOverview') ?? 'admins';
  if (orgOverview !== 'admins' && orgOverview !== 'everyone') {
    throw new Error(
      `Invalid config value copilotUsage.orgOverview '${orgOverview}', expected 'admins' or 'everyone'`,
    );
  }

  return {
    adminGroups,
    orgOverview,
    nestedGroups:
      config.getOptionalBoolean('copilotUsage.nestedGroups') ?? true,
  };
}
