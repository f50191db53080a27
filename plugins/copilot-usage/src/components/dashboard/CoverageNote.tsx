import Typography from '@material-ui/core/Typography';
import {
  MetricsDocument,
  PUBLISHING_LAG_DAYS,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';

/** "N of M days have data" — so nobody mistakes a gap for a drop in usage. */
export function CoverageNote(props: { document: MetricsDocument }) {
  const { coverage, from, to, suppressedDays, minTeamSize } = props.document;
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid="coverage-note"
    >
      {from} to {to}: {coverage.daysWithData} of {coverage.daysInRange} days
      have data
      {coverage.lastDay ? ` (last day with data: ${coverage.lastDay})` : ''}.
      GitHub publishes usage data about {PUBLISHING_LAG_DAYS} days late.
      {suppressedDays > 0 &&
        ` ${suppressedDays} ${
          suppressedDays === 1 ? 'day is' : 'days are'
        } left out because the team had fewer than ${minTeamSize} members.`}
    </Typography>
  );
}
