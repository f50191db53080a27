import { useApi } from '@backstage/core-plugin-api';
import { TeamOwner } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { copilotUsageApiRef } from '../api/CopilotUsageApi';
import { Range } from '../lib/days';

/** The admin team comparison of an org or of the enterprise for a range. */
export function useTeamComparison(owner: TeamOwner, range: Range) {
  const api = useApi(copilotUsageApiRef);
  const { kind, name } = owner;
  return useAsync(
    () =>
      kind === 'enterprise'
        ? api.getEnterpriseTeamComparison(name, range)
        : api.getTeamComparison(name, range),
    [api, kind, name, range.from, range.to],
  );
}

/** Copilot seat utilisation of an org or of the enterprise (admins). */
export function useSeats(owner: TeamOwner) {
  const api = useApi(copilotUsageApiRef);
  const { kind, name } = owner;
  return useAsync(
    () =>
      kind === 'enterprise' ? api.getEnterpriseSeats(name) : api.getSeats(name),
    [api, kind, name],
  );
}

/** The seats of an org or of the enterprise nobody used in 30 days (admins). */
export function useInactiveSeats(owner: TeamOwner) {
  const api = useApi(copilotUsageApiRef);
  const { kind, name } = owner;
  return useAsync(
    () =>
      kind === 'enterprise'
        ? api.getEnterpriseInactiveSeats(name)
        : api.getInactiveSeats(name),
    [api, kind, name],
  );
}

/** The sync status; `retry` reloads it (after "Sync now", or while a sync runs). */
export function useSyncStatus() {
  const api = useApi(copilotUsageApiRef);
  return useAsyncRetry(() => api.getSyncStatus(), [api]);
}

/** The signed-in user's own usage over a range. */
export function useMyMetrics(range: Range) {
  const api = useApi(copilotUsageApiRef);
  return useAsync(() => api.getMyMetrics(range), [api, range.from, range.to]);
}
