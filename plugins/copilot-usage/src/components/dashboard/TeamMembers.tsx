import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import {
  MetricsDocument,
  METRIC_DEFINITIONS,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { formatCount } from '../../lib/format';
import { MetricInfo } from '../charts/MetricInfo';

/** A team's members on the last day with data and over the period, from the days' member counts. */
export function teamMembership(document: MetricsDocument) {
  const days = [...document.days]
    .filter(day => typeof day.memberCount === 'number')
    .sort((a, b) => a.day.localeCompare(b.day));
  if (days.length === 0) return undefined;
  const counts = days.map(day => day.memberCount as number);
  const last = days[days.length - 1];
  return {
    lastDay: last.day,
    today: last.memberCount as number,
    fewest: Math.min(...counts),
    most: Math.max(...counts),
    /** Distinct members over the period, when the backend says. */
    distinct:
      typeof document.totals.members === 'number'
        ? document.totals.members
        : undefined,
  };
}

/**
 * The team's members, today and over the period, next to what "active users"
 * counts: people who used Copilot on a day they were a member. Someone who left
 * the team still counts for the days before, so active users over a period can
 * pass today's member count. Test ids `team-members`, `team-members-value`.
 */
export function TeamMembers(props: { document: MetricsDocument }) {
  const { document } = props;
  const membership = teamMembership(document);
  if (document.scope.type !== 'team' || !membership) return null;
  const { today, lastDay, fewest, most, distinct } = membership;
  const range =
    fewest === most
      ? `${formatCount(most)} every day of the period`
      : `between ${formatCount(fewest)} and ${formatCount(most)} a day over the period`;
  return (
    <Paper variant="outlined" data-testid="team-members">
      <Box p={1.5} display="flex" flexWrap="wrap" style={{ gap: 24 }}>
        <Box>
          <Box display="flex" alignItems="center">
            <Typography variant="body2" color="textSecondary">
              Members on {lastDay}
            </Typography>
            <MetricInfo
              label="Members"
              description={METRIC_DEFINITIONS.memberCount.description}
            />
          </Box>
          <Typography
            variant="h4"
            component="p"
            data-testid="team-members-value"
          >
            {formatCount(today)}
          </Typography>
        </Box>
        <Box flex="1 1 260px" alignSelf="center">
          <Typography variant="body2" data-testid="team-members-range">
            Members: {range}
            {distinct !== undefined
              ? `; ${formatCount(distinct)} different people were members at some point.`
              : '.'}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Active users count the people who used Copilot on a day they were a
            member. People who joined or left during the period count for the
            days they were members, so the period’s active users can be more
            than the members on any one day.
          </Typography>
        </Box>
      </Box>
    </Paper>
  );
}
