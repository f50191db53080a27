import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  SeatUtilisation,
  TeamOwner,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { useSeats } from '../../hooks/useCopilotUsageData';
import { ReactNode } from 'react';
import { formatCount } from '../../lib/format';
import { CategoryBarChart } from '../charts/CategoryBarChart';
import { SeatsCard } from './SeatsCard';

/** `acme` for an org, `the enterprise acme-corp` for the enterprise. */
export function ownerName(owner: TeamOwner): string {
  return owner.kind === 'enterprise'
    ? `the enterprise ${owner.name}`
    : owner.name;
}

/** The seat figures, in display order; `seats-<key>` test ids. */
export const SEAT_FIGURES: Array<{
  key: keyof Omit<SeatUtilisation, 'owner' | 'org' | 'snapshotDay'>;
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
    description:
      'Seats not pending cancellation: all seats less those pending cancellation.',
  },
  {
    key: 'activeLast7Days',
    label: 'Active in 7 days',
    description:
      'Seats with Copilot activity in the 7 days up to the seat list’s day; part of those active in 30 days.',
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

/** The ways the seat figures relate, checked: each holds or the panel says it does not. */
export function seatSums(seats: SeatUtilisation) {
  return {
    byUse:
      seats.activeLast30Days + seats.inactive + seats.neverUsed === seats.total,
    byBilling: seats.assigned + seats.pendingCancellation === seats.total,
    weekWithinMonth: seats.activeLast7Days <= seats.activeLast30Days,
  };
}

function Figure(props: {
  figureKey: (typeof SEAT_FIGURES)[number]['key'];
  value: number;
  /** A figure shown a second time: no test ids of its own. */
  repeated?: boolean;
}) {
  const figure = SEAT_FIGURES.find(f => f.key === props.figureKey)!;
  const testId = props.repeated ? undefined : `seats-${figure.key}`;
  return (
    <Box
      component="span"
      display="inline-flex"
      flexDirection="column"
      data-testid={testId}
      title={figure.description}
    >
      <Typography variant="caption" color="textSecondary" component="span">
        {figure.label}
      </Typography>
      <Typography
        variant="h5"
        component="span"
        data-testid={testId && `${testId}-value`}
      >
        {formatCount(props.value)}
      </Typography>
    </Box>
  );
}

function Operator(props: { children: string }) {
  return (
    <Typography
      variant="h6"
      component="span"
      color="textSecondary"
      aria-hidden
      style={{ alignSelf: 'flex-end' }}
    >
      {props.children}
    </Typography>
  );
}

/** An operator and the figure after it, kept on one line when the sum wraps. */
function Term(props: { operator: string; children: ReactNode }) {
  return (
    <Box
      component="span"
      display="inline-flex"
      alignItems="flex-end"
      style={{ gap: 12 }}
    >
      <Operator>{props.operator}</Operator>
      {props.children}
    </Box>
  );
}

/** One line of figures that add up, read out as a sentence. */
function Sum(props: { label: string; children: ReactNode; testId: string }) {
  return (
    <Box
      role="group"
      aria-label={props.label}
      data-testid={props.testId}
      display="flex"
      flexWrap="wrap"
      alignItems="flex-end"
      style={{ gap: 12 }}
      mb={2}
    >
      {props.children}
    </Box>
  );
}

function SeatsContent(props: { seats: SeatUtilisation }) {
  const { seats } = props;
  if (!seats.snapshotDay) {
    return (
      <Typography variant="body2">
        No seat list has been synced for {ownerName(seats.owner)} yet.
      </Typography>
    );
  }
  const sums = seatSums(seats);
  // Active, inactive and never used add up to all seats.
  const split = [
    { label: 'Active in 30 days', seats: seats.activeLast30Days },
    { label: 'Inactive', seats: seats.inactive },
    { label: 'Never used', seats: seats.neverUsed },
  ];
  const mismatches = [
    !sums.byUse &&
      `active in 30 days, inactive and never used add up to ${formatCount(
        seats.activeLast30Days + seats.inactive + seats.neverUsed,
      )}, not ${formatCount(seats.total)}`,
    !sums.byBilling &&
      `assigned and pending cancellation add up to ${formatCount(
        seats.assigned + seats.pendingCancellation,
      )}, not ${formatCount(seats.total)}`,
  ].filter(Boolean);
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        Seats of {ownerName(seats.owner)} in GitHub’s seat list on{' '}
        {seats.snapshotDay}, by each seat’s last Copilot activity.
        {seats.owner.kind === 'enterprise' &&
          ' A person with seats from several organizations or teams counts once, by their latest activity.'}
      </Typography>
      <Sum
        testId="seats-sum-use"
        label={`${formatCount(seats.total)} seats: ${formatCount(
          seats.activeLast30Days,
        )} active in 30 days, ${formatCount(seats.inactive)} inactive, ${formatCount(
          seats.neverUsed,
        )} never used`}
      >
        <Figure figureKey="total" value={seats.total} />
        <Term operator="=">
          <Figure figureKey="activeLast30Days" value={seats.activeLast30Days} />
        </Term>
        <Term operator="+">
          <Figure figureKey="inactive" value={seats.inactive} />
        </Term>
        <Term operator="+">
          <Figure figureKey="neverUsed" value={seats.neverUsed} />
        </Term>
      </Sum>
      <Sum
        testId="seats-sum-billing"
        label={`${formatCount(seats.assigned)} assigned: ${formatCount(
          seats.total,
        )} seats less ${formatCount(seats.pendingCancellation)} pending cancellation`}
      >
        <Figure figureKey="assigned" value={seats.assigned} />
        <Term operator="=">
          <Figure figureKey="total" value={seats.total} repeated />
        </Term>
        <Term operator="−">
          <Figure
            figureKey="pendingCancellation"
            value={seats.pendingCancellation}
          />
        </Term>
      </Sum>
      <Sum
        testId="seats-sum-week"
        label={`${formatCount(seats.activeLast7Days)} of the ${formatCount(
          seats.activeLast30Days,
        )} seats active in 30 days were active in the last 7`}
      >
        <Figure figureKey="activeLast7Days" value={seats.activeLast7Days} />
        <Typography variant="body2" component="span" color="textSecondary">
          of the {formatCount(seats.activeLast30Days)} active in 30 days
        </Typography>
      </Sum>
      {mismatches.length > 0 && (
        <Typography
          variant="body2"
          color="error"
          paragraph
          data-testid="seats-mismatch"
        >
          GitHub’s seat list does not add up: {mismatches.join('; ')}.
        </Typography>
      )}
      <Typography variant="body2" color="textSecondary" paragraph>
        Why “Active in 7 days” can differ from the weekly active users on the
        Organization tab: seats count each seat’s last activity in GitHub’s seat
        list up to {seats.snapshotDay}; the usage reports count people active in
        the 7 days to their last published day (about two days earlier), so the
        two count different days.
      </Typography>
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

/** Seat utilisation of an org or of the enterprise (admins). */
export function SeatsPanel(props: { owner: TeamOwner }) {
  return (
    <SeatsCard
      testId="seats-panel"
      title="Seat utilisation"
      state={useSeats(props.owner)}
    >
      {seats => <SeatsContent seats={seats} />}
    </SeatsCard>
  );
}
