import { EmptyState, Progress, WarningPanel } from '@backstage/core-components';
import {
  MetricsDocument,
  PUBLISHING_LAG_DAYS,
  scopeOwner,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { lastDaysRange } from '../../lib/days';
import { countOf } from '../../lib/format';
import { MetricsWithPrevious } from '../../hooks/useMetrics';
import { FailurePanel } from './FailurePanel';
import { MetricsDashboard } from './MetricsDashboard';

/** GitHub leaves teams with fewer seated members than this out of its team reports. */
export const GITHUB_TEAM_REPORT_MIN_MEMBERS = 5;

/** What the page knows about the team beyond the metrics document. */
export interface TeamContext {
  title?: string;
  /** Members of the Group in the catalog, when known. */
  catalogMembers?: number;
}

function privacyFloorPanel(
  document: MetricsDocument,
  team: TeamContext | undefined,
  reason: 'below-min-team-size' | 'not-reported',
) {
  const floor = Math.max(document.minTeamSize, GITHUB_TEAM_REPORT_MIN_MEMBERS);
  const name = team?.title ?? 'This team';
  const members =
    team?.catalogMembers !== undefined
      ? ` ${name} has ${countOf(team.catalogMembers, 'member')} in the catalog.`
      : '';
  const why =
    reason === 'not-reported'
      ? `GitHub reports Copilot usage only for teams with at least ${GITHUB_TEAM_REPORT_MIN_MEMBERS} members who hold a Copilot seat (its privacy floor), so it never reports this team, whatever the period.${members}`
      : `To protect individuals, team figures are shown only for days on which the team had at least ${floor} members (the privacy floor); on every day of this period with data it had fewer.${members}`;
  return (
    <EmptyState
      missing="info"
      title={`${name} is below the privacy floor of ${floor} members`}
      description={
        <span data-testid="privacy-floor-message">
          {why} What to do: look at the figures of a larger team this one is
          part of, or of the organization (Copilot usage admins); see your own
          usage under “My usage” on the Copilot usage page; or, if the team has{' '}
          {floor} or more members with a seat, check that GitHub lists them in
          the team. Figures appear from the first day the team reaches {floor}{' '}
          seated members.
        </span>
      }
    />
  );
}

function notEligiblePanel(document: MetricsDocument, team?: TeamContext) {
  if (document.notEligibleReason === 'below-min-team-size') {
    return privacyFloorPanel(document, team, 'below-min-team-size');
  }
  if (
    document.scope.type === 'team' &&
    team?.catalogMembers !== undefined &&
    team.catalogMembers <
      Math.max(document.minTeamSize, GITHUB_TEAM_REPORT_MIN_MEMBERS)
  ) {
    return privacyFloorPanel(document, team, 'not-reported');
  }
  const what =
    document.scope.type === 'team' ? 'this team' : scopeOwner(document.scope);
  const recent = document.to >= lastDaysRange(7).from;
  return (
    <EmptyState
      missing="data"
      title={`No Copilot usage data from ${document.from} to ${document.to}`}
      description={
        recent
          ? `There is no Copilot usage data for ${what} in this period yet. The data is synced daily from GitHub, which publishes each day about ${PUBLISHING_LAG_DAYS} days late.`
          : `Nothing is stored for ${what} in this period: the history kept here may start after it, or GitHub had no usage on these days. Choose a period that ends more recently.`
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
  team?: TeamContext;
}) {
  const { loading, error, value, forbidden, csvPath, team } = props;
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
    return notEligiblePanel(current, team);
  }
  return (
    <>
      {!current.eligible && (
        <WarningPanel
          severity="info"
          title="Below the privacy floor: only Copilot usage admins see these figures"
          message={`This team had fewer than ${current.minTeamSize} members on every day of this period, so its figures are hidden from its members and everyone else but admins.`}
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
