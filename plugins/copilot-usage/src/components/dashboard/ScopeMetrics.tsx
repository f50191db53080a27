import { EmptyState, Progress } from '@backstage/core-components';
import { csvPath } from '../../api/paths';
import { MetricsScopeTarget, useMetrics } from '../../hooks/useMetrics';
import { useTeamReadAllowed } from '../../hooks/useTeamReadAllowed';
import { Range } from '../../lib/days';
import { MetricsView, TeamContext } from './MetricsView';

interface ScopeMetricsProps {
  target: MetricsScopeTarget;
  range: Range;
  forbidden: { title: string; description: string };
  team?: TeamContext;
}

function LoadedScopeMetrics(props: ScopeMetricsProps) {
  const { target, range, forbidden, team } = props;
  const state = useMetrics(target, range);
  return (
    <MetricsView
      loading={state.loading}
      error={state.error}
      value={state.value}
      forbidden={forbidden}
      csvPath={csvPath(target, range)}
      team={team}
    />
  );
}

/**
 * Loads a team's or org's metrics for a range and shows them. For a team, the
 * permission backend is asked first, so a non-member gets the explanation
 * without a refused request.
 */
export function ScopeMetrics(props: ScopeMetricsProps) {
  const { target, forbidden } = props;
  const access = useTeamReadAllowed(
    target.type === 'team' ? target.entityRef : undefined,
  );
  if (access.loading) {
    return <Progress />;
  }
  if (!access.allowed) {
    return (
      <EmptyState
        missing="info"
        title={forbidden.title}
        description={forbidden.description}
      />
    );
  }
  return <LoadedScopeMetrics {...props} />;
}
