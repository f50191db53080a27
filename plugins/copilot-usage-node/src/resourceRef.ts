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
   * Refs of the Group's parent Groups, nearest first. Empty when nested
   * Groups are not considered.
   */
  ancestorRefs: string[];
};

/**
 * The query form of the team rule: the store turns it into a filter on the
 * teams' Group refs.
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
