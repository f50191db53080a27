import { EmptyState, Progress, WarningPanel } from '@backstage/core-components';
import { MetricsDocument } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { MetricsWithPrevious } from '../../hooks/useMetrics';
import { FailurePanel } from './FailurePanel';
import { MetricsDashboard } from './MetricsDashboard';

function notEligiblePanel(document: MetricsDocument) {
  if (document.notEligibleReason === 'below-min-team-size') {
    return (
      <EmptyState
        missing="data"
        title="Not enough members to show figures"
        description={`On every day of this period with data, this team had fewer than ${document.minTeamSize} members. To protect individuals' privacy, Copilot usage is only shown for teams with at least ${document.minTeamSize} members.`}
      />
    );
  }
  return (
    <EmptyState
      missing="data"
      title="No Copilot usage data yet"
      description={
        document.scope.type === 'team'
          ? `There is no Copilot usage data for this team from ${document.from} to ${document.to}. GitHub lists a team in its usage reports only on days it has at least 5 members with a Copilot seat, and publishes each day about two days late; try a longer period or check back later.`
          : `There is no Copilot usage data for ${document.from} to ${document.to}. The data is synced daily from GitHub, about two days late; try a longer period or check back later.`
      }
    />
  );
}

/**
 * One scope's metrics in whatever state they are: loading, not allowed, failed,
 * not eligible, no data, or the dashboard.
 */
export function MetricsView(props: {
  loading: boolean;
  error?: Error;
  value?: MetricsWithPrevious;
  /** Shown when the backend answers 403. */
  forbidden: { title: string; description: string };
  csvPath: string;
}) {
  const { loading, error, value, forbidden, csvPath } = props;
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <FailurePanel error={error} forbidden={forbidden} />;
  }
  if (!value) {
    return null;
  }
  const { current, previous } = value;
  if (current.days.length === 0) {
    return notEligiblePanel(current);
  }
  return (
    <>
      {!current.eligible && (
        <WarningPanel
          severity="info"
          title="Only Copilot usage admins see these figures"
          message={`This team had fewer than ${current.minTeamSize} members on every day of this period, so its figures are hidden from everyone else.`}
        />
      )}
      <MetricsDashboard
        document={current}
        previous={previous}
        csvPath={csvPath}
      />
    </>
  );
}
