import Grid from '@material-ui/core/Grid';
import {
  BreakdownDimension,
  BreakdownItem,
  METRIC_DEFINITIONS,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { breakdownLabel, rankBreakdown } from '../../lib/series';
import { ChartFigure } from './ChartFigure';
import { DataTableColumn } from './DataTable';
import { useSeriesColours } from './useSeriesColours';

const DIMENSIONS: Array<{ dimension: BreakdownDimension; title: string }> = [
  { dimension: 'language', title: 'By language' },
  { dimension: 'ide', title: 'By IDE' },
  { dimension: 'feature', title: 'By feature' },
  { dimension: 'model', title: 'By model' },
];

/** The chart shows the most used values; the table lists them all. */
const CHART_LIMIT = 10;

type Row = BreakdownItem & { label: string };

function columnsFor(showUsers: boolean): DataTableColumn<Row>[] {
  const count = (
    key: keyof BreakdownItem & keyof typeof METRIC_DEFINITIONS,
  ): DataTableColumn<Row> => ({
    key,
    label: METRIC_DEFINITIONS[key].label,
    format: 'count',
    value: row => row[key] as number,
  });
  return [
    { key: 'label', label: 'Name', value: row => row.label },
    count('interactions'),
    count('codeGenerations'),
    count('codeAcceptances'),
    count('locSuggestedToAdd'),
    count('locAdded'),
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
  const colours = useSeriesColours();
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
            <ChartFigure
              title={title}
              description={`Activity summed over the period for each ${dimension}; the chart shows the ${CHART_LIMIT} with the most code generations.`}
              columns={columnsFor(showUsers)}
              rows={rows}
              height={Math.max(160, chartRows.length * 32 + 60)}
            >
              <BarChart data={chartRows} layout="vertical">
                <CartesianGrid strokeDasharray="3 3" stroke={colours.grid} />
                <XAxis type="number" tick={{ fontSize: 12 }} />
                <YAxis
                  type="category"
                  dataKey="label"
                  width={140}
                  tick={{ fontSize: 12 }}
                />
                <Tooltip />
                <Legend />
                <Bar
                  dataKey="codeGenerations"
                  name="Generations"
                  fill={colours.primary}
                  isAnimationActive={false}
                />
                <Bar
                  dataKey="codeAcceptances"
                  name="Acceptances"
                  fill={colours.secondary}
                  isAnimationActive={false}
                />
              </BarChart>
            </ChartFigure>
          </Grid>
        );
      })}
    </Grid>
  );
}
