import { useApi } from '@backstage/core-plugin-api';
import { TeamListItem } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import useAsync from 'react-use/esm/useAsync';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';

/**
 * The teams the user may view and the orgs to offer: those of the teams, plus
 * (for admins, who can read the sync status) every org and the enterprise the
 * sync covers.
 */
export function useDirectory(options: { includeSyncScopes: boolean }) {
  const api = useApi(copilotUsageApiRef);
  const { includeSyncScopes } = options;
  return useAsync(async (): Promise<{
    teams: TeamListItem[];
    orgs: string[];
    enterprises: string[];
  }> => {
    const [teams, status] = await Promise.all([
      api.listTeams(),
      includeSyncScopes
        ? api.getSyncStatus().catch(() => undefined)
        : undefined,
    ]);
    const orgs = new Set(
      teams.items.flatMap(team =>
        team.owner.kind === 'org' ? [team.owner.name] : [],
      ),
    );
    const enterprises = new Set<string>();
    for (const { scope } of status?.scopes ?? []) {
      const [kind, name] = [
        scope.slice(0, scope.indexOf(':')),
        scope.slice(scope.indexOf(':') + 1),
      ];
      if (kind === 'org') orgs.add(name);
      if (kind === 'enterprise') enterprises.add(name);
    }
    const byTitle = (a: TeamListItem, b: TeamListItem) =>
      a.title.localeCompare(b.title);
    return {
      teams: [...teams.items].sort(byTitle),
      orgs: [...orgs].sort(),
      enterprises: [...enterprises].sort(),
    };
  }, [api, includeSyncScopes]);
}
