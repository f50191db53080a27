import {
  BasicPermission,
  ResourcePermission,
  createPermission,
} from '@backstage/plugin-permission-common';
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
 * Read what only Copilot usage admins see: sync status, seats, the team
 * comparison, per-user data and figures of teams below `minTeamSize`. A read
 * permission: it lets nobody change anything; the writes have their own
 * permissions below.
 *
 * @public
 */
export const copilotUsageAdminPermission = createPermission({
  name: 'copilot-usage.admin',
  attributes: { action: 'read' },
});

/**
 * Start a sync now (`POST /sync`).
 *
 * @public
 */
export const copilotUsageSyncCreatePermission = createPermission({
  name: 'copilot-usage.sync.create',
  attributes: { action: 'create' },
});

/**
 * Import a history file of another tool into the database (`POST /import`).
 *
 * @public
 */
export const copilotUsageHistoryImportPermission = createPermission({
  name: 'copilot-usage.history.import',
  attributes: { action: 'create' },
});

/**
 * Rebuild the database from the S3 archive, replacing every archived day
 * (`POST /archive/restore`).
 *
 * @public
 */
export const copilotUsageArchiveRestorePermission = createPermission({
  name: 'copilot-usage.archive.restore',
  attributes: { action: 'update' },
});

/**
 * Erase one person's Copilot usage data: their per-user rows in the database
 * and their lines in the archive (`DELETE /users/:login`).
 *
 * @public
 */
export const copilotUsageUserDeletePermission = createPermission({
  name: 'copilot-usage.user.delete',
  attributes: { action: 'delete' },
});

/**
 * The permissions that change data: start a sync, import history, restore
 * the archive, erase one person.
 *
 * @public
 */
export const copilotUsageWritePermissions = [
  copilotUsageSyncCreatePermission,
  copilotUsageHistoryImportPermission,
  copilotUsageArchiveRestorePermission,
  copilotUsageUserDeletePermission,
];

/**
 * All permissions of the Copilot usage plugin.
 *
 * @public
 */
// Typed, not inferred: an inferred union's member order differs between machines,
// and so would the API report.
export const copilotUsagePermissions: Array<
  BasicPermission | ResourcePermission<typeof COPILOT_USAGE_TEAM_RESOURCE_TYPE>
> = [
  copilotUsageTeamReadPermission,
  copilotUsageOrgReadPermission,
  copilotUsageAdminPermission,
  ...copilotUsageWritePermissions,
];
