import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  COPILOT_USAGE_PLUGIN_ID,
  COPILOT_USAGE_TEAM_RESOURCE_TYPE,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';

/**
 * A team as the permission framework sees it when it checks one team.
 *
 * @public
 */
export type CopilotUsageTeamResource = {
  /** The team's Group entity ref, e.g. `group:default/team-a`. */
  groupRef: string;
  /**
   * Whether the Group's catalog membership may be trusted: it comes from an
   * origin the adopter trusts (the GitHub org provider, or
   * `copilotUsage.trustedGroupOrigins`) and is the only such Group claiming
   * its GitHub team. Anyone may register a Group that claims any team, so an
   * untrusted Group's members and parents grant nothing.
   */
  membershipTrusted: boolean;
  /**
   * Refs of the Group's trusted parent Groups, nearest first. Empty for an
   * untrusted Group.
   */
  ancestorRefs: string[];
  /**
   * User entity refs proven to be in the GitHub team by GitHub's own
   * membership (the latest user-teams report), lowercase. Filled for untrusted
   * Groups, so that the team's real members still see it.
   */
  githubMemberRefs: string[];
};

/**
 * The query form of the team rule: the claimed refs. The backend decides
 * conditions on the team resources themselves (with the rule's `apply`), so
 * that membership trust and GitHub's membership count; this form exists
 * because every permission rule has one.
 *
 * @public
 */
export type CopilotUsageTeamFilter = {
  /** Group refs, in lowercase. */
  groupRefs: string[];
  /** Whether teams nested (at any depth) under these Groups match too. */
  includeDescendants: boolean;
};

/**
 * The permission resource ref of a team's Copilot usage.
 *
 * @public
 */
export const copilotUsageTeamPermissionResourceRef =
  createPermissionResourceRef<
    CopilotUsageTeamResource,
    CopilotUsageTeamFilter
  >().with({
    pluginId: COPILOT_USAGE_PLUGIN_ID,
    resourceType: COPILOT_USAGE_TEAM_RESOURCE_TYPE,
  });
