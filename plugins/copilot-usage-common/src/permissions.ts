import { createPermission } from '@backstage/plugin-permission-common';
import { COPILOT_USAGE_TEAM_RESOURCE_TYPE } from './constants';

/**
 * Read one team's Copilot usage metrics. A resource permission: the resource
 * ref is the team's Group entity ref.
 *
 * @public
 */
export const copilotUsageTeamReadPermission = createPermission({
  name: 'copilot-usage.team.read',
  attributes: { action: 'read' },
  resourceType: COPILOT_USAGE_TEAM_RESOURCE_TYPE,
});

/**
 * Read the organization-wide Copilot usage overview.
 *
 * @public
 */
export const copilotUsageOrgReadPermission = createPermission({
  name: 'copilot-usage.org.read',
  attributes: { action: 'read' },
});

/**
 * Administer Copilot usage: sync status, "sync now", seats, team comparison
 * and per-user data.
 *
 * @public
 */
export const copilotUsageAdminPermission = createPermission({
  name: 'copilot-usage.admin',
  attributes: { action: 'read' },
});

/**
 * All permissions of the Copilot usage plugin.
 *
 * @public
 */
export const copilotUsagePermissions = [
  copilotUsageTeamReadPermission,
  copilotUsageOrgReadPermission,
  copilotUsageAdminPermission,
];
