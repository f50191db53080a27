import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { Theme } from '@material-ui/core/styles';
import { Progress, Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  METRIC_DEFINITIONS,
  MetricKey,
  TeamComparisonRow,
  TeamOwner,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { teamComparisonPath } from '../../api/paths';
import { useTeamComparison } from '../../hooks/useCopilotUsageData';
import { Range } from '../../lib/days';
import { formatFigure } from '../../lib/format';
import { hasSeveralOwners, teamOwnerLabel } from '../../lib/teamOwner';
import { CsvDownloadButton } from '../controls/CsvDownloadButton';
import { FailurePanel } from '../dashboard/FailurePanel';
import { TeamComparisonCards } from './TeamComparisonCards';

/** A comparison row flattened for sorting and searching. */
export interface ComparisonTableRow {
  id: string;
  title: string;
  slug: string;
  /** The team's org, or the enterprise for an enterprise team. */
  owner: string;
  entityRef: string | null;
  /** `null` when GitHub's user-teams report has no row for the team in the range. */
  memberCount: number | null;
  /** Different people who were members on a day of the period; `null` when unknown. */
  members: number | null;
  activeUsers: number;
  dailyAdoption: number | null;
  completionAcceptanceRate: number | null;
  locAcceptanceRate: number | null;
  codeGenerations: number;
  locAdded: number;
  interactions: number;
  /** "Yes", or "No: " and why. */
  eligible: string;
}

function eligibility(row: TeamComparisonRow, minTeamSize: number): string {
  if (row.eligible) {
    return 'Yes';
  }
  return row.notEligibleReason === 'no-data'
    ? 'No: not in GitHub’s report'
    : `No: under ${minTeamSize} members`;
}

export function toComparisonTableRow(
  row: TeamComparisonRow,
  minTeamSize: number,
): ComparisonTableRow {
  return {
    id: `${row.owner.kind}:${row.owner.name}/${row.slug}`,
    title: row.title,
    slug: row.slug,
    owner: teamOwnerLabel(row.owner),
    entityRef: row.entityRef,
    memberCount: row.memberCount,
    members: row.totals.members ?? null,
    activeUsers: row.totals.activeUsers,
    dailyAdoption: row.dailyAdoption,
    completionAcceptanceRate: row.totals.completionAcceptanceRate,
    locAcceptanceRate: row.totals.locAcceptanceRate,
    codeGenerations: row.totals.codeGenerations,
    locAdded: row.totals.locAdded,
    interactions: row.totals.interactions,
    eligible: eligibility(row, minTeamSize),
  };
}

// Figures that do not exist sort below every real figure.
const byNullableNumber =
  (
    field:
      | 'memberCount'
      | 'members'
      | 'dailyAdoption'
      | 'completionAcceptanceRate'
      | 'locAcceptanceRate',
  ) =>
  (a: ComparisonTableRow, b: ComparisonTableRow) =>
    (a[field] ?? -1) - (b[field] ?? -1);

/** A numeric column of a metric, titled and explained (header tooltip) by its definition. */
function metricColumn(
  key: MetricKey & keyof ComparisonTableRow,
  column: Partial<TableColumn<ComparisonTableRow>> = {},
): TableColumn<ComparisonTableRow> {
  return {
    title: METRIC_DEFINITIONS[key].label,
    tooltip: METRIC_DEFINITIONS[key].description,
    field: key,
    type: 'numeric',
    ...column,
  };
}

function rateColumn(
  key: 'dailyAdoption' | 'completionAcceptanceRate' | 'locAcceptanceRate',
): TableColumn<ComparisonTableRow> {
  return metricColumn(key, {
    customSort: byNullableNumber(key),
    render: row => formatFigure(row[key], 'percent'),
  });
}

// The owner is a line under the team's name, not a column of its own: at 1440 px
// another column pushed Eligible out of view. Shown for the enterprise's teams and
// for a list of several owners' teams only (see showsOwnerColumn).
function teamColumn(showOwner: boolean): TableColumn<ComparisonTableRow> {
  return {
    title: 'Team',
    field: 'title',
    highlight: true,
    // Team names stay on one line when many numeric columns compete for width.
    cellStyle: { minWidth: 180, whiteSpace: 'nowrap' },
    headerStyle: { minWidth: 180 },
    render: row => (
      <>
        {row.entityRef ? (
          <EntityRefLink entityRef={row.entityRef} title={row.title} />
        ) : (
          row.title
        )}
        {showOwner && (
          <Typography
            variant="caption"
            color="textSecondary"
            display="block"
            data-testid="comparison-row-owner"
          >
            {row.owner}
          </Typography>
        )}
      </>
    ),
  };
}

const columns: TableColumn<ComparisonTableRow>[] = [
  // The owner stays searchable (filter "acme-labs") without a visible column.
  { title: 'Organization', field: 'owner', hidden: true, searchable: true },
  { title: 'Slug', field: 'slug', hidden: true, searchable: true },
  metricColumn('memberCount', {
    title: 'Members (last day)',
    customSort: byNullableNumber('memberCount'),
    render: row => formatFigure(row.memberCount, 'count'),
  }),
  {
    title: 'Members (period)',
    tooltip:
      'Different people who were members of the team on at least one day of the period (GitHub’s user-teams report). Active users count only while members, so they never pass this figure.',
    field: 'members',
    type: 'numeric',
    customSort: byNullableNumber('members'),
    render: row => formatFigure(row.members, 'count'),
  },
  metricColumn('activeUsers', {
    title: 'Active users (period)',
    render: row => formatFigure(row.activeUsers, 'count'),
  }),
  rateColumn('dailyAdoption'),
  rateColumn('completionAcceptanceRate'),
  rateColumn('locAcceptanceRate'),
  // Before the counters: on a laptop the table's last columns need scrolling.
  { title: 'Eligible', field: 'eligible', cellStyle: { whiteSpace: 'nowrap' } },
  ...(['locAdded', 'codeGenerations', 'interactions'] as const).map(key =>
    metricColumn(key, { render: row => formatFigure(row[key], 'count') }),
  ),
];

/**
 * Whether the comparison names each team's owner: for the enterprise's teams
 * (whose members come from several orgs), or when the list holds teams of
 * more than one owner; never for one org's own teams.
 */
export function showsOwnerColumn(
  owner: TeamOwner,
  items: readonly Pick<TeamComparisonRow, 'owner'>[],
): boolean {
  return (
    owner.kind === 'enterprise' ||
    hasSeveralOwners(items.map(item => item.owner))
  );
}

/**
 * Every team of an org, or every enterprise team, side by side (admins).
 * Client-side search, sorting and paging (25 a page) keep it usable with
 * thousands of teams.
 */
export function TeamComparisonTable(props: { owner: TeamOwner; range: Range }) {
  const { owner, range } = props;
  const { loading, error, value } = useTeamComparison(owner, range);
  // A phone gets cards: a table of ten columns would scroll sideways to its figures.
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('xs'));
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <FailurePanel
        error={error}
        forbidden={{
          title: 'Team comparison is for Copilot usage admins',
          description: 'Ask a Copilot usage admin if you need it.',
        }}
      />
    );
  }
  const minTeamSize = value?.minTeamSize ?? 0;
  const items = value?.items ?? [];
  const rows = items.map(row => toComparisonTableRow(row, minTeamSize));
  const showOwner = showsOwnerColumn(owner, items);
  return (
    // The table scrolls sideways on a narrow screen instead of widening the page.
    <Box
      data-testid="team-comparison"
      style={{ maxWidth: '100%', overflowX: 'auto' }}
    >
      {owner.kind === 'enterprise' && (
        <Typography variant="body2" paragraph>
          Enterprise teams of {owner.name}: teams across its organizations, from
          the enterprise’s own reports.
        </Typography>
      )}
      <Typography variant="body2" color="textSecondary" paragraph>
        Members (last day): on the team’s last day with data (“–”: GitHub’s
        membership report leaves the team out, as it does for teams with fewer
        than 5 seated members). Members (period): different people who were
        members on any day of the period. Active users: different people active
        on a day of the period while members, so never more than the period’s
        members, though more than the last day’s when people joined or left.
        Teams with fewer than {minTeamSize} members are not eligible for others
        to see.
      </Typography>
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <CsvDownloadButton
          path={teamComparisonPath(owner, range, 'csv')}
          label="Download team comparison CSV"
        />
      </Box>
      {narrow ? (
        <TeamComparisonCards rows={rows} showOwner={showOwner} />
      ) : (
        <ComparisonTable rows={rows} showOwner={showOwner} />
      )}
    </Box>
  );
}

function ComparisonTable(props: {
  rows: ComparisonTableRow[];
  showOwner: boolean;
}) {
  const { rows, showOwner } = props;
  return (
    <Table<ComparisonTableRow>
      title={`Team comparison (${rows.length} ${
        rows.length === 1 ? 'team' : 'teams'
      })`}
      subtitle="Teams side by side over the period; sort by any column."
      columns={[teamColumn(showOwner), ...columns]}
      data={rows}
      options={{
        search: true,
        paging: true,
        pageSize: 25,
        pageSizeOptions: [25, 50, 100],
        padding: 'dense',
        emptyRowsWhenPaging: false,
      }}
    />
  );
}
