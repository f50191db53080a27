import { csvPath } from '../../api/paths';
import { MetricsScopeTarget, useMetrics } from '../../hooks/useMetrics';
import { Range } from '../../lib/days';
import { MetricsView, TeamContext } from './MetricsView';

/** Loads a team's or org's metrics for a range and shows them. */
export function ScopeMetrics(props: {
  target: MetricsScopeTarget;
  range: Range;
  forbidden: { title: string; description: string };
  team?: TeamContext;
}) {
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
