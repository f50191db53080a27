import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  BreakdownDimension,
  BreakdownItem,
  ratio,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { formatFigure } from '../../lib/format';
import { breakdownLabel } from '../../lib/labels';
import { rankBreakdown } from '../../lib/series';
import { CategoryBar, CategoryBarChart } from '../charts/CategoryBarChart';
import { countColumn } from '../charts/columns';
import { DataTableColumn } from '../charts/DataTable';

const DIMENSIONS: Array<{ dimension: BreakdownDimension; title: string }> = [
  { dimension: 'language', title: 'By language' },
  { dimension: 'ide', title: 'By editor' },
  { dimension: 'feature', title: 'By feature' },
  { dimension: 'model', title: 'By model' },
  { dimension: 'thirdPartyAgent', title: 'Third-party agents' },
];

/** The chart shows the most used values; the table lists them all. */
const CHART_LIMIT = 10;

type Row = BreakdownItem & { label: string; acceptanceRate: number | null };

const DIMENSION_NOUNS: Record<BreakdownDimension, string> = {
  language: 'language',
  ide: 'editor',
  feature: 'feature',
  model: 'model',
  thirdPartyAgent: 'third-party agent',
};

/**
 * The share of the period's code generations a breakdown accounts for, when
 * it is visibly less than all of them (GitHub names the model only for part of
 * the activity, for example); `undefined` when it covers them all.
 */
export function breakdownCoverage(
  items: BreakdownItem[],
  totalGenerations: number,
): number | undefined {
  if (totalGenerations <= 0) return undefined;
  const covered = items.reduce((sum, item) => sum + item.codeGenerations, 0);
  const share = covered / totalGenerations;
  return share < 0.995 ? share : undefined;
}

const BARS: CategoryBar<Row>[] = [
  { key: 'codeGenerations', name: 'Generations', colour: 'primary' },
  { key: 'codeAcceptances', name: 'Acceptances', colour: 'secondary' },
];

/** Third-party agents (Claude, Codex) carry only interactions. */
const AGENT_BARS: CategoryBar<Row>[] = [
  { key: 'interactions', name: 'Interactions', colour: 'primary' },
];

function columnsFor(
  showUsers: boolean,
  interactionsOnly = false,
): DataTableColumn<Row>[] {
  const users = showUsers
    ? [
        {
          key: 'peakDailyUsers',
          label: 'Peak daily users',
          format: 'count' as const,
          value: (row: Row) => row.peakDailyUsers,
        },
      ]
    : [];
  if (interactionsOnly) {
    return [
      { key: 'label', label: 'Name', value: row => row.label },
      countColumn<Row>('interactions'),
      ...users,
    ];
  }
  return [
    { key: 'label', label: 'Name', value: row => row.label },
    countColumn<Row>('interactions'),
    countColumn<Row>('codeGenerations'),
    countColumn<Row>('codeAcceptances'),
    {
      key: 'acceptanceRate',
      label: 'Acceptance rate',
      format: 'percent',
      value: row => row.acceptanceRate,
    },
    countColumn<Row>('locSuggestedToAdd'),
    countColumn<Row>('locAdded'),
    ...users,
  ];
}

/**
 * Activity by language, editor, feature (completions, chat modes, agent) and
 * model, with the acceptance rate of each, and the share of all generations a
 * breakdown covers when it covers less than all.
 */
export function Breakdowns(props: {
  breakdowns: Record<BreakdownDimension, BreakdownItem[]>;
  /** The period's code generations, to tell what share each breakdown covers. */
  totalGenerations: number;
}) {
  const { totalGenerations } = props;
  return (
    <Grid container spacing={3}>
      {DIMENSIONS.map(({ dimension, title }) => {
        const agents = dimension === 'thirdPartyAgent';
        // GitHub reports third-party agents since 2026-08: no panel before any.
        if (agents && !props.breakdowns[dimension]?.length) return null;
        const rows: Row[] = rankBreakdown(
          props.breakdowns[dimension] ?? [],
        ).map(item => ({
          ...item,
          label: breakdownLabel(dimension, item.key),
          acceptanceRate: ratio(item.codeAcceptances, item.codeGenerations),
        }));
        const coverage = agents
          ? undefined
          : breakdownCoverage(
              props.breakdowns[dimension] ?? [],
              totalGenerations,
            );
        const noun = DIMENSION_NOUNS[dimension];
        const showUsers = rows.some(row => row.peakDailyUsers > 0);
        const chartRows = (
          agents
            ? [...rows].sort((a, b) => b.interactions - a.interactions)
            : rows
        ).slice(0, CHART_LIMIT);
        return (
          <Grid item xs={12} md={6} key={dimension}>
            <CategoryBarChart
              title={title}
              description={
                agents
                  ? 'User-initiated interactions with third-party agent apps (such as Claude or Codex) summed over the period, as GitHub reports them since August 2026; GitHub counts no generations or lines for them.'
                  : `Activity summed over the period for each ${noun}; the chart shows the ${CHART_LIMIT} with the most code generations. Acceptance rate: code acceptances divided by code generations of that ${noun}, all features.`
              }
              columns={columnsFor(showUsers, agents)}
              rows={rows}
              chartRows={chartRows}
              bars={agents ? AGENT_BARS : BARS}
              height={Math.max(160, chartRows.length * 32 + 60)}
              labelWidth={140}
              note={
                coverage !== undefined && (
                  <Typography
                    variant="body2"
                    color="textSecondary"
                    data-testid={`breakdown-${dimension}-coverage`}
                  >
                    Covers {formatFigure(coverage, 'percent')} of the period’s
                    code generations: GitHub names the {noun} only for part of
                    the activity.
                  </Typography>
                )
              }
            />
          </Grid>
        );
      })}
    </Grid>
  );
}
