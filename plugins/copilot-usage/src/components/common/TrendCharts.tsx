import Grid from '@material-ui/core/Grid';
import {
  METRIC_DEFINITIONS,
  MetricsDay,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { weeklyAverages } from '../../lib/series';
import { ChartFigure } from './ChartFigure';
import { DataTableColumn } from './DataTable';
import { useSeriesColours } from './useSeriesColours';

const dayColumn: DataTableColumn<MetricsDay> = {
  key: 'day',
  label: 'Day',
  value: row => row.day,
};

function countColumn(
  key: keyof MetricsDay & keyof typeof METRIC_DEFINITIONS,
): DataTableColumn<MetricsDay> {
  return {
    key,
    label: METRIC_DEFINITIONS[key].label,
    format: 'count',
    value: row => row[key] as number | null,
  };
}

function commonAxes(props: { stroke: string }) {
  return (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke={props.stroke} />
      <XAxis dataKey="day" tick={{ fontSize: 12 }} minTickGap={16} />
      <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={56} />
      <Tooltip />
      <Legend />
    </>
  );
}

/** Daily active users (with 7- and 28-day lines), generations vs acceptances, lines suggested vs added, weekly averages. */
export function TrendCharts(props: { days: MetricsDay[] }) {
  const { days } = props;
  const colours = useSeriesColours();
  const weeks = weeklyAverages(days);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={6}>
        <ChartFigure
          title="Active users"
          description={`${METRIC_DEFINITIONS.activeUsers.description} The 7- and 28-day lines count distinct users over the trailing window.`}
          columns={[
            dayColumn,
            countColumn('activeUsers'),
            countColumn('weeklyActiveUsers'),
            countColumn('monthlyActiveUsers'),
          ]}
          rows={days}
        >
          <LineChart data={days}>
            {commonAxes({ stroke: colours.grid })}
            <Line
              type="monotone"
              dataKey="activeUsers"
              name="Daily active"
              stroke={colours.primary}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="weeklyActiveUsers"
              name="Active in 7 days"
              stroke={colours.secondary}
              strokeDasharray="6 3"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="monthlyActiveUsers"
              name="Active in 28 days"
              stroke={colours.tertiary}
              strokeDasharray="2 2"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ChartFigure>
      </Grid>
      <Grid item xs={12} lg={6}>
        <ChartFigure
          title="Weekly average active users"
          description="The mean of daily active users over the days of each ISO week (Monday to Sunday) that have data."
          columns={[
            { key: 'week', label: 'Week', value: row => row.week },
            {
              key: 'monday',
              label: 'Starts on',
              value: row => row.monday,
            },
            {
              key: 'daysWithData',
              label: 'Days with data',
              format: 'count',
              value: row => row.daysWithData,
            },
            {
              key: 'averageActiveUsers',
              label: 'Average active users',
              format: 'decimal',
              value: row => row.averageActiveUsers,
            },
          ]}
          rows={weeks}
        >
          <BarChart data={weeks}>
            <CartesianGrid strokeDasharray="3 3" stroke={colours.grid} />
            <XAxis dataKey="week" tick={{ fontSize: 12 }} />
            <YAxis tick={{ fontSize: 12 }} width={56} />
            <Tooltip />
            <Bar
              dataKey="averageActiveUsers"
              name="Average active users"
              fill={colours.primary}
              isAnimationActive={false}
            />
          </BarChart>
        </ChartFigure>
      </Grid>
      <Grid item xs={12} lg={6}>
        <ChartFigure
          title="Code generations and acceptances"
          description={`${METRIC_DEFINITIONS.codeGenerations.description} ${METRIC_DEFINITIONS.codeAcceptances.description}`}
          columns={[
            dayColumn,
            countColumn('codeGenerations'),
            countColumn('codeAcceptances'),
          ]}
          rows={days}
        >
          <LineChart data={days}>
            {commonAxes({ stroke: colours.grid })}
            <Line
              type="monotone"
              dataKey="codeGenerations"
              name="Generations"
              stroke={colours.primary}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="codeAcceptances"
              name="Acceptances"
              stroke={colours.secondary}
              strokeDasharray="6 3"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ChartFigure>
      </Grid>
      <Grid item xs={12} lg={6}>
        <ChartFigure
          title="Lines suggested and added"
          description={`${METRIC_DEFINITIONS.locSuggestedToAdd.description} ${METRIC_DEFINITIONS.locAdded.description}`}
          columns={[
            dayColumn,
            countColumn('locSuggestedToAdd'),
            countColumn('locAdded'),
          ]}
          rows={days}
        >
          <LineChart data={days}>
            {commonAxes({ stroke: colours.grid })}
            <Line
              type="monotone"
              dataKey="locSuggestedToAdd"
              name="Suggested"
              stroke={colours.primary}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="locAdded"
              name="Added"
              stroke={colours.secondary}
              strokeDasharray="6 3"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ChartFigure>
      </Grid>
    </Grid>
  );
}
