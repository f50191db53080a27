import { usePermission } from '@backstage/plugin-permission-react';
import {
  copilotUsageAdminPermission,
  copilotUsageOrgReadPermission,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';

/**
 * What the signed-in user may see on the org page. Cosmetic only: it hides what
 * the backend would refuse anyway, and the backend enforces every check.
 */
export function useCopilotUsageAccess() {
  const orgRead = usePermission({ permission: copilotUsageOrgReadPermission });
  const admin = usePermission({ permission: copilotUsageAdminPermission });
  return {
    loading: orgRead.loading || admin.loading,
    canReadOrg: orgRead.allowed,
    isAdmin: admin.allowed,
  };
}
