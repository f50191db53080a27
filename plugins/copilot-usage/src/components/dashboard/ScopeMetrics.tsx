import { parseEntityRef } from '@backstage/catalog-model';
import { csvPath } from '../../api/paths';
import { MetricsScopeTarget, useMetrics } from '../../hooks/useMetrics';
import { Range } from '../../lib/days';
import { MetricsView } from './MetricsView';

function fileLabel(target: MetricsScopeTarget): string {
  return target.type === 'team'
    ? parseEntityRef(target.entityRef, { defaultKind: 'group' }).name
    : target.org;
}

/** Loads a team's or org's metrics for a range and shows them. */
export function ScopeMetrics(props: {
  target: MetricsScopeTarget;
  range: Range;
  forbidden: { title: string; description: string };
}) {
  const { target, range, forbidden } = props;
  const state = useMetrics(target, range);
  return (
    <MetricsView
      loading={state.loading}
      error={state.error}
      value={state.value}
      forbidden={forbidden}
      csvPath={csvPath(target, range)}
      csvFileName={`copilot-usage-${fileLabel(target)}-${range.from}-${
        range.to
      }.csv`}
    />
  );
}
