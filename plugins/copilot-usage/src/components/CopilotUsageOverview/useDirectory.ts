import { useApi } from '@backstage/core-plugin-api';
import { TeamListItem } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import useAsync from 'react-use/esm/useAsync';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';

/**
 * The teams the user may view and the orgs to offer: those of the teams, plus
 * (for admins, who can read the sync status) every org the sync covers.
 */
export function useDirectory(options: { includeSyncScopes: boolean }) {
  const api = useApi(copilotUsageApiRef);
  const { includeSyncScopes } = options;
  return useAsync(async (): Promise<{
    teams: TeamListItem[];
    orgs: string[];
  }> => {
    const [teams, status] = await Promise.all([
      api.listTeams(),
      includeSyncScopes
        ? api.getSyncStatus().catch(() => undefined)
        : undefined,
    ]);
    const orgs = new Set(teams.items.map(team => team.org));
    for (const scope of status?.scopes ?? []) {
      if (scope.scope.startsWith('org:')) {
        orgs.add(scope.scope.slice('org:'.length));
      }
    }
    const byTitle = (a: TeamListItem, b: TeamListItem) =>
      a.title.localeCompare(b.title);
    return {
      teams: [...teams.items].sort(byTitle),
      orgs: [...orgs].sort(),
    };
  }, [api, includeSyncScopes]);
}
