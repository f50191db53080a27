import Box from '@material-ui/core/Box';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  METRIC_DEFINITIONS,
  TeamComparisonRow,
  ratio,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { teamComparisonPath } from '../../api/paths';
import { useTeamComparison } from '../../hooks/useCopilotUsageData';
import { Range } from '../../lib/days';
import { formatFigure } from '../../lib/format';
import { CsvDownloadButton } from '../common/CsvDownloadButton';
import { statusOf } from '../common/MetricsView';

/** A comparison row flattened for sorting and searching. */
export interface ComparisonTableRow {
  id: string;
  title: string;
  slug: string;
  entityRef: string | null;
  memberCount: number;
  activeUsers: number;
  /** Active users over the period / members: how much of the team uses Copilot. */
  adoption: number | null;
  completionAcceptanceRate: number | null;
  locAcceptanceRate: number | null;
  codeGenerations: number;
  locAdded: number;
  interactions: number;
  eligible: string;
}

export function toComparisonTableRow(
  row: TeamComparisonRow,
): ComparisonTableRow {
  return {
    id: `${row.org}/${row.slug}`,
    title: row.title,
    slug: row.slug,
    entityRef: row.entityRef,
    memberCount: row.memberCount,
    activeUsers: row.totals.activeUsers,
    adoption: ratio(row.totals.activeUsers, row.memberCount),
    completionAcceptanceRate: row.totals.completionAcceptanceRate,
    locAcceptanceRate: row.totals.locAcceptanceRate,
    codeGenerations: row.totals.codeGenerations,
    locAdded: row.totals.locAdded,
    interactions: row.totals.interactions,
    eligible: row.eligible ? 'Yes' : 'No',
  };
}

// Rates that do not exist sort below every real rate.
const byNullableNumber =
  (field: 'adoption' | 'completionAcceptanceRate' | 'locAcceptanceRate') =>
  (a: ComparisonTableRow, b: ComparisonTableRow) =>
    (a[field] ?? -1) - (b[field] ?? -1);

const columns: TableColumn<ComparisonTableRow>[] = [
  {
    title: 'Team',
    field: 'title',
    highlight: true,
    // Team names must not wrap mid-word when many numeric columns compete for width.
    cellStyle: { minWidth: 180 },
    headerStyle: { minWidth: 180 },
    render: row =>
      row.entityRef ? (
        <EntityRefLink entityRef={row.entityRef} title={row.title} />
      ) : (
        row.title
      ),
  },
  { title: 'Slug', field: 'slug', hidden: true, searchable: true },
  { title: 'Members', field: 'memberCount', type: 'numeric' },
  {
    title: METRIC_DEFINITIONS.activeUsers.label,
    field: 'activeUsers',
    type: 'numeric',
  },
  {
    title: 'Adoption',
    field: 'adoption',
    type: 'numeric',
    customSort: byNullableNumber('adoption'),
    render: row => formatFigure(row.adoption, 'percent'),
  },
  {
    title: METRIC_DEFINITIONS.completionAcceptanceRate.label,
    field: 'completionAcceptanceRate',
    type: 'numeric',
    customSort: byNullableNumber('completionAcceptanceRate'),
    render: row => formatFigure(row.completionAcceptanceRate, 'percent'),
  },
  {
    title: METRIC_DEFINITIONS.locAcceptanceRate.label,
    field: 'locAcceptanceRate',
    type: 'numeric',
    customSort: byNullableNumber('locAcceptanceRate'),
    render: row => formatFigure(row.locAcceptanceRate, 'percent'),
  },
  {
    title: METRIC_DEFINITIONS.codeGenerations.label,
    field: 'codeGenerations',
    type: 'numeric',
  },
  {
    title: METRIC_DEFINITIONS.locAdded.label,
    field: 'locAdded',
    type: 'numeric',
  },
  {
    title: METRIC_DEFINITIONS.interactions.label,
    field: 'interactions',
    type: 'numeric',
  },
  { title: 'Eligible', field: 'eligible' },
];

/**
 * Every team of an org side by side (admins). Client-side search, sorting and
 * paging (25 a page) keep it usable with thousands of teams.
 */
export function TeamComparisonTable(props: { org: string; range: Range }) {
  const { org, range } = props;
  const { loading, error, value } = useTeamComparison(org, range);
  if (loading) {
    return <Progress />;
  }
  if (error) {
    if (statusOf(error) === 403) {
      return (
        <EmptyState
          missing="info"
          title="Team comparison is for Copilot usage admins"
          description="Ask a Copilot usage admin if you need it."
        />
      );
    }
    return <ResponseErrorPanel error={error} />;
  }
  const rows = (value?.items ?? []).map(toComparisonTableRow);
  return (
    <Box data-testid="team-comparison">
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <CsvDownloadButton
          path={teamComparisonPath(org, range, 'csv')}
          fileName={`copilot-usage-${org}-teams-${range.from}-${range.to}.csv`}
          label="Download team comparison CSV"
        />
      </Box>
      <Table<ComparisonTableRow>
        title={`Team comparison (${rows.length} teams)`}
        subtitle={`Members are counted on the last day with data; teams with fewer than ${value?.minTeamSize} members are not eligible for others to see.`}
        columns={columns}
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
    </Box>
  );
}
