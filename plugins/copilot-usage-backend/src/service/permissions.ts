import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
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
