import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  copilotUsageAdminPermission,
  copilotUsageOrgReadPermission,
  copilotUsageTeamReadPermission,
  copilotUsageWritePermissions,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  CopilotUsageTeamResource,
  copilotUsagePermissionRules,
  copilotUsageTeamPermissionResourceRef,
} from '@copilot-usage/backstage-plugin-copilot-usage-node';

/**
 * Registers the plugin's permissions, the team resource type and its rules.
 * Call it in the plugin's `init` (the registry refuses additions after start).
 */
export function registerPermissions(
  permissionsRegistry: PermissionsRegistryService,
  options: {
    /** Resources for Group refs, in order; `TeamDirectory.getResources`. */
    getResources(
      entityRefs: string[],
    ): Promise<Array<CopilotUsageTeamResource | undefined>>;
  },
): void {
  permissionsRegistry.addResourceType({
    resourceRef: copilotUsageTeamPermissionResourceRef,
    permissions: [copilotUsageTeamReadPermission],
    rules: Object.values(copilotUsagePermissionRules),
    getResources: options.getResources,
  });
  permissionsRegistry.addPermissions([
    copilotUsageOrgReadPermission,
    copilotUsageAdminPermission,
    ...copilotUsageWritePermissions,
  ]);
}

/** The routes' basic permission checks: a decision, or a 403 saying what was refused. */
export class PermissionChecks {
  constructor(private readonly permissions: PermissionsService) {}

  /**
   * A 403 "You may not <what>" unless allowed. Writes check their own permission
   * (action create or update), never the admin read: a token restricted to reads
   * must not change anything.
   */
  async require(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    what: string,
  ): Promise<void> {
    const [decision] = await this.permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not ${what} (permission ${permission.name})`,
      );
    }
  }

  requireAdmin(credentials: BackstageCredentials): Promise<void> {
    return this.require(copilotUsageAdminPermission, credentials, 'do this');
  }
}
