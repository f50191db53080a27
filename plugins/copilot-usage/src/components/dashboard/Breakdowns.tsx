import Grid from '@material-ui/core/Grid';
import {
  BreakdownDimension,
  BreakdownItem,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { breakdownLabel, rankBreakdown } from '../../lib/series';
import { CategoryBar, CategoryBarChart } from '../charts/CategoryBarChart';
import { countColumn } from '../charts/columns';
import { DataTableColumn } from '../charts/DataTable';

const DIMENSIONS: Array<{ dimension: BreakdownDimension; title: string }> = [
  { dimension: 'language', title: 'By language' },
  { dimension: 'ide', title: 'By IDE' },
  { dimension: 'feature', title: 'By feature' },
  { dimension: 'model', title: 'By model' },
];

/** The chart shows the most used values; the table lists them all. */
const CHART_LIMIT = 10;

type Row = BreakdownItem & { label: string };

const BARS: CategoryBar<Row>[] = [
  { key: 'codeGenerations', name: 'Generations', colour: 'primary' },
  { key: 'codeAcceptances', name: 'Acceptances', colour: 'secondary' },
];

function columnsFor(showUsers: boolean): DataTableColumn<Row>[] {
  return [
    { key: 'label', label: 'Name', value: row => row.label },
    countColumn<Row>('interactions'),
    countColumn<Row>('codeGenerations'),
    countColumn<Row>('codeAcceptances'),
    countColumn<Row>('locSuggestedToAdd'),
    countColumn<Row>('locAdded'),
    ...(showUsers
      ? [
          {
            key: 'peakDailyUsers',
            label: 'Peak daily users',
            format: 'count' as const,
            value: (row: Row) => row.peakDailyUsers,
          },
        ]
      : []),
  ];
}

/** Activity by language, IDE, feature (completions, chat modes, agent) and model. */
export function Breakdowns(props: {
  breakdowns: Record<BreakdownDimension, BreakdownItem[]>;
}) {
  return (
    <Grid container spacing={3}>
      {DIMENSIONS.map(({ dimension, title }) => {
        const rows: Row[] = rankBreakdown(
          props.breakdowns[dimension] ?? [],
        ).map(item => ({
          ...item,
          label: breakdownLabel(dimension, item.key),
        }));
        const showUsers = rows.some(row => row.peakDailyUsers > 0);
        const chartRows = rows.slice(0, CHART_LIMIT);
        return (
          <Grid item xs={12} md={6} key={dimension}>
            <CategoryBarChart
              title={title}
              description={`Activity summed over the period for each ${dimension}; the chart shows the ${CHART_LIMIT} with the most code generations.`}
              columns={columnsFor(showUsers)}
              rows={rows}
              chartRows={chartRows}
              bars={BARS}
              height={Math.max(160, chartRows.length * 32 + 60)}
              labelWidth={140}
            />
          </Grid>
        );
      })}
    </Grid>
  );
}
