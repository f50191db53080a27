import { useApiHolder } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { copilotUsageTeamReadPermission } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import useAsync from 'react-use/esm/useAsync';

/**
 * Whether the signed-in user may read a team's Copilot usage, asked of the
 * permission backend before the metrics are: a refused user then gets the
 * explanation without a 403 request (which the browser logs as an error).
 * Cosmetic only: the metrics routes check the same permission. Without a
 * permission API in the app (or when the check fails) the metrics route decides.
 */
export function useTeamReadAllowed(entityRef: string | undefined) {
  const permissionApi = useApiHolder().get(permissionApiRef);
  const state = useAsync(async () => {
    if (!entityRef || !permissionApi) return true;
    try {
      const { result } = await permissionApi.authorize({
        permission: copilotUsageTeamReadPermission,
        resourceRef: entityRef,
      });
      // AuthorizeResult.DENY, without depending on permission-common for one constant.
      return String(result) !== 'DENY';
    } catch {
      return true;
    }
  }, [permissionApi, entityRef]);
  return { loading: state.loading, allowed: state.value ?? false };
}
