import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
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
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { isoWeek } from '../../lib/days';
import { WeeklyAverage, weeklyAverages } from '../../lib/series';
import {
  SOURCE_LABELS,
  SourceChange,
  daySource,
  importedHistoryNote,
  sourceChangeLabel,
  sourceChanges,
  sourcesByWeek,
} from '../../lib/sources';
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

const sourceColumn: DataTableColumn<MetricsDay> = {
  key: 'source',
  label: 'Source',
  value: row => SOURCE_LABELS[daySource(row)],
};

/** A marker where the series' source changes, at `x` on the chart's axis. */
interface SourceMarker {
  x: string;
  label: string;
  /** For the chart's accessible name. */
  description: string;
}

function dailyMarkers(changes: SourceChange[]): SourceMarker[] {
  return changes.map(change => ({
    x: change.day,
    label: sourceChangeLabel(change),
    description: `on ${change.day}: ${sourceChangeLabel(change)}`,
  }));
}

/** The weekly chart marks the week of each change (once per week). */
function weeklyMarkers(changes: SourceChange[]): SourceMarker[] {
  const byWeek = new Map<string, SourceMarker>();
  for (const change of changes) {
    const { week } = isoWeek(change.day);
    if (!byWeek.has(week)) {
      byWeek.set(week, {
        x: week,
        label: sourceChangeLabel(change),
        description: `in ${week} (on ${change.day}): ${sourceChangeLabel(change)}`,
      });
    }
  }
  return [...byWeek.values()];
}

// recharts collects reference lines from anywhere in the chart's children.
function referenceLines(markers: SourceMarker[], colour: string) {
  return markers.map(marker => (
    <ReferenceLine
      key={marker.x}
      x={marker.x}
      stroke={colour}
      strokeDasharray="4 4"
      label={{
        value: marker.label,
        position: 'insideTopLeft',
        fontSize: 11,
        fill: colour,
      }}
    />
  ));
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

/**
 * Daily active users (with 7- and 28-day lines), generations vs acceptances,
 * lines suggested vs added, weekly averages. Where imported history and
 * GitHub's usage reports meet, every chart marks the day and a note explains
 * the step in the values.
 */
export function TrendCharts(props: { days: MetricsDay[] }) {
  const { days } = props;
  const colours = useSeriesColours();
  const weeks = weeklyAverages(days);
  const changes = sourceChanges(days);
  const note = importedHistoryNote(days);
  const hasImported = days.some(day => daySource(day) === 'import');
  const daily = dailyMarkers(changes);
  const weekly = weeklyMarkers(changes);
  const dailyLines = referenceLines(daily, colours.muted);
  const weekSources = sourcesByWeek(days);
  const withSource = (columns: DataTableColumn<MetricsDay>[]) =>
    hasImported ? [...columns, sourceColumn] : columns;
  return (
    <Grid container spacing={3}>
      {note && (
        <Grid item xs={12}>
          <Typography
            variant="body2"
            color="textSecondary"
            data-testid="imported-history-note"
          >
            {note}
          </Typography>
        </Grid>
      )}
      <Grid item xs={12} lg={6}>
        <ChartFigure
          title="Active users"
          description={`${METRIC_DEFINITIONS.activeUsers.description} The 7- and 28-day lines count distinct users over the trailing window.`}
          columns={withSource([
            dayColumn,
            countColumn('activeUsers'),
            countColumn('weeklyActiveUsers'),
            countColumn('monthlyActiveUsers'),
          ])}
          rows={days}
          markers={daily.map(marker => marker.description)}
        >
          <LineChart data={days}>
            {commonAxes({ stroke: colours.grid })}
            {dailyLines}
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
            ...(hasImported
              ? [
                  {
                    key: 'source',
                    label: 'Source',
                    value: (row: WeeklyAverage) =>
                      (weekSources.get(row.week) ?? [])
                        .map(source => SOURCE_LABELS[source])
                        .join(' and '),
                  },
                ]
              : []),
          ]}
          rows={weeks}
          markers={weekly.map(marker => marker.description)}
        >
          <BarChart data={weeks}>
            <CartesianGrid strokeDasharray="3 3" stroke={colours.grid} />
            <XAxis dataKey="week" tick={{ fontSize: 12 }} />
            <YAxis tick={{ fontSize: 12 }} width={56} />
            <Tooltip />
            {referenceLines(weekly, colours.muted)}
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
          columns={withSource([
            dayColumn,
            countColumn('codeGenerations'),
            countColumn('codeAcceptances'),
          ])}
          rows={days}
          markers={daily.map(marker => marker.description)}
        >
          <LineChart data={days}>
            {commonAxes({ stroke: colours.grid })}
            {dailyLines}
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
          columns={withSource([
            dayColumn,
            countColumn('locSuggestedToAdd'),
            countColumn('locAdded'),
          ])}
          rows={days}
          markers={daily.map(marker => marker.description)}
        >
          <LineChart data={days}>
            {commonAxes({ stroke: colours.grid })}
            {dailyLines}
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
