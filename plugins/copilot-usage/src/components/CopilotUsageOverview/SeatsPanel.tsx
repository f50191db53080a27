import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress } from '@backstage/core-components';
import { SeatUtilisation } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { useSeats } from '../../hooks/useCopilotUsageData';
import { formatFigure } from '../../lib/format';
import { CategoryBarChart } from '../charts/CategoryBarChart';
import { FailurePanel } from '../dashboard/FailurePanel';

/** The seat figures, in display order; `seats-<key>` test ids. */
export const SEAT_FIGURES: Array<{
  key: keyof Omit<SeatUtilisation, 'org' | 'snapshotDay'>;
  label: string;
  description: string;
}> = [
  {
    key: 'total',
    label: 'Seats',
    description: 'Seats listed by GitHub billing.',
  },
  {
    key: 'assigned',
    label: 'Assigned',
    description: 'Seats not pending cancellation.',
  },
  {
    key: 'activeLast7Days',
    label: 'Active in 7 days',
    description: 'Seats with Copilot activity in the last 7 days.',
  },
  {
    key: 'activeLast30Days',
    label: 'Active in 30 days',
    description: 'Seats with Copilot activity in the last 30 days.',
  },
  {
    key: 'inactive',
    label: 'Inactive',
    description: 'Seats used before, but not in the last 30 days.',
  },
  {
    key: 'neverUsed',
    label: 'Never used',
    description: 'Seats with no recorded activity at all.',
  },
  {
    key: 'pendingCancellation',
    label: 'Pending cancellation',
    description: 'Seats with a pending cancellation date.',
  },
];

function SeatsContent(props: { seats: SeatUtilisation }) {
  const { seats } = props;
  if (!seats.snapshotDay) {
    return (
      <Typography variant="body2">
        No seat list has been synced for {seats.org} yet.
      </Typography>
    );
  }
  // Active, inactive and never used add up to all seats.
  const split = [
    { label: 'Active in 30 days', seats: seats.activeLast30Days },
    { label: 'Inactive', seats: seats.inactive },
    { label: 'Never used', seats: seats.neverUsed },
  ];
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        Seats of {seats.org} on {seats.snapshotDay}.
      </Typography>
      <Grid container spacing={2} component="dl" style={{ margin: 0 }}>
        {SEAT_FIGURES.map(figure => (
          <Grid
            item
            xs={6}
            sm={4}
            key={figure.key}
            data-testid={`seats-${figure.key}`}
            title={figure.description}
          >
            <Typography variant="body2" color="textSecondary" component="dt">
              {figure.label}
            </Typography>
            <Typography variant="h5" component="dd" style={{ margin: 0 }}>
              {formatFigure(seats[figure.key], 'count')}
            </Typography>
          </Grid>
        ))}
      </Grid>
      <CategoryBarChart
        title="Seat use"
        description="Every seat is either active in the last 30 days, inactive (used before), or never used."
        columns={[
          { key: 'label', label: 'Seats', value: row => row.label },
          {
            key: 'seats',
            label: 'Count',
            format: 'count',
            value: row => row.seats,
          },
        ]}
        rows={split}
        bars={[{ key: 'seats', name: 'Seats', colour: 'primary' }]}
        height={180}
        labelWidth={130}
      />
    </>
  );
}

/** Seat utilisation of an org (admins). */
export function SeatsPanel(props: { org: string }) {
  const { loading, error, value } = useSeats(props.org);
  let content;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = (
      <FailurePanel
        error={error}
        forbidden={{ title: 'Seats are shown to Copilot usage admins' }}
      />
    );
  } else if (value) {
    content = <SeatsContent seats={value} />;
  }
  return (
    <div data-testid="seats-panel">
      <InfoCard title="Seat utilisation">{content}</InfoCard>
    </div>
  );
}
