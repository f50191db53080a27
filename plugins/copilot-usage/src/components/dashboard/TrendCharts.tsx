import { WarningPanel } from '@backstage/core-components';
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
  Cell,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useSeriesBreaks } from '../../hooks/useSeriesBreaks';
import { WeeklyAverage, weeklyAverages } from '../../lib/series';
import {
  SOURCE_LABELS,
  daySource,
  importedHistoryNote,
  sourceChanges,
  sourcesByWeek,
} from '../../lib/sources';
import { tooltipFormatter, valueAxisProps } from '../charts/axes';
import { ChartFigure } from '../charts/ChartFigure';
import { DataTableColumn } from '../charts/DataTable';
import {
  breakMarkers,
  breaksColumn,
  placeBreaks,
  SeriesBreakNotes,
  weekOfDay,
} from '../charts/seriesBreakMarkers';
import {
  SourceMarker,
  dailyMarkers,
  referenceLines,
  weeklyMarkers,
} from '../charts/sourceMarkers';
import {
  generationLines,
  TimeSeriesChart,
  TimeSeriesLine,
} from '../charts/TimeSeriesChart';
import { useSeriesColours } from '../charts/useSeriesColours';

interface DailyChart {
  title: string;
  description: string;
  lines: TimeSeriesLine<MetricsDay>[];
}

/**
 * Daily, 7-day and 28-day active users (and a team's members). The 28-day line
 * is drawn first, wide and pale, so where the windows count the same people
 * the 7-day line lies visibly on top of it instead of hiding it.
 */
function activeUsersChart(withMembers: boolean): DailyChart {
  return {
    title: withMembers ? 'Active users and members' : 'Active users',
    description: `${METRIC_DEFINITIONS.activeUsers.description} The 7- and 28-day lines count distinct users over the trailing window.${
      withMembers ? ` ${METRIC_DEFINITIONS.memberCount.description}` : ''
    }`,
    lines: [
      ...(withMembers
        ? [
            {
              key: 'memberCount' as const,
              name: 'Members',
              colour: 'muted' as const,
              dash: '1 3',
            },
          ]
        : []),
      {
        key: 'monthlyActiveUsers',
        name: 'Active in 28 days',
        colour: 'tertiary',
        width: 6,
        opacity: 0.45,
      },
      {
        key: 'weeklyActiveUsers',
        name: 'Active in 7 days',
        colour: 'secondary',
        dash: '6 3',
      },
      { key: 'activeUsers', name: 'Daily active', colour: 'primary' },
    ],
  };
}

const GENERATIONS_CHART: DailyChart = {
  title: 'Code generations and acceptances',
  description: `${METRIC_DEFINITIONS.codeGenerations.description} ${METRIC_DEFINITIONS.codeAcceptances.description}`,
  lines: generationLines(),
};

const LINES_OF_CODE_CHART: DailyChart = {
  title: 'Lines suggested and added',
  description: `${METRIC_DEFINITIONS.locSuggestedToAdd.description} ${METRIC_DEFINITIONS.locAdded.description}`,
  lines: [
    { key: 'locSuggestedToAdd', name: 'Suggested', colour: 'primary' },
    { key: 'locAdded', name: 'Added', colour: 'secondary', dash: '6 3' },
  ],
};

const sourceColumn: DataTableColumn<MetricsDay> = {
  key: 'source',
  label: 'Source',
  value: row => SOURCE_LABELS[daySource(row)],
};

const WEEKLY_COLUMNS: DataTableColumn<WeeklyAverage>[] = [
  { key: 'week', label: 'Week', value: row => row.week },
  { key: 'monday', label: 'Starts on', value: row => row.monday },
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
];

function WeeklyAverageChart(props: {
  days: MetricsDay[];
  markers: SourceMarker[];
  showSource: boolean;
}) {
  const { days, markers, showSource } = props;
  const colours = useSeriesColours();
  const weeks = weeklyAverages(days);
  const weekSources = sourcesByWeek(days);
  const placed = placeBreaks(
    useSeriesBreaks().breaks,
    days.map(day => day.day),
    weekOfDay,
  );
  const breakLines = breakMarkers(placed, true);
  const sourceOfWeek: DataTableColumn<WeeklyAverage> = {
    key: 'source',
    label: 'Source',
    value: row =>
      (weekSources.get(row.week) ?? [])
        .map(source => SOURCE_LABELS[source])
        .join(' and '),
  };
  return (
    <ChartFigure
      title="Weekly average active users"
      description="The mean of daily active users over the days of each ISO week (Monday to Sunday) that have data. Lighter bars: weeks with fewer than 7 days of data in the period, whose mean leans on the weekdays they happen to hold."
      columns={[
        ...WEEKLY_COLUMNS,
        ...(showSource ? [sourceOfWeek] : []),
        ...(placed.length
          ? [breaksColumn<WeeklyAverage>(placed, row => row.week)]
          : []),
      ]}
      rows={weeks}
      markers={[...markers, ...breakLines].map(marker => marker.description)}
      footer={<SeriesBreakNotes placed={placed} />}
    >
      <BarChart data={weeks}>
        <CartesianGrid strokeDasharray="3 3" stroke={colours.grid} />
        <XAxis dataKey="week" tick={{ fontSize: 12 }} />
        <YAxis
          {...valueAxisProps(weeks, ['averageActiveUsers'], 'count', {
            labelRoom: markers.length + breakLines.length > 0,
          })}
          tick={{ fontSize: 12 }}
          width={56}
        />
        <Tooltip formatter={tooltipFormatter('decimal')} />
        {referenceLines(markers, colours.muted)}
        {referenceLines(breakLines, colours.secondary)}
        <Bar
          dataKey="averageActiveUsers"
          name="Average active users"
          fill={colours.primary}
          isAnimationActive={false}
        >
          {weeks.map(week => (
            <Cell
              key={week.week}
              fillOpacity={week.daysWithData < 7 ? 0.45 : 1}
            />
          ))}
        </Bar>
      </BarChart>
    </ChartFigure>
  );
}

/**
 * Daily active users (with 7- and 28-day lines), generations vs acceptances,
 * lines suggested vs added, weekly averages. Where imported history and
 * GitHub's usage reports meet, every chart marks the day and a note explains
 * the step in the values; GitHub's breaks in the series and the adopter's
 * events are marked too, and config entries that could not be read are named.
 */
export function TrendCharts(props: { days: MetricsDay[] }) {
  const { days } = props;
  const changes = sourceChanges(days);
  const note = importedHistoryNote(days);
  // Tables name each day's source once any day was imported.
  const hasImported = days.some(day => daySource(day) === 'import');
  const markers = dailyMarkers(changes);
  const extraColumns = hasImported ? [sourceColumn] : [];
  const { problems } = useSeriesBreaks();
  const daily = (chart: DailyChart) => (
    <Grid item xs={12} lg={6}>
      <TimeSeriesChart
        {...chart}
        rows={days}
        extraColumns={extraColumns}
        markers={markers}
      />
    </Grid>
  );
  return (
    <Grid container spacing={3}>
      {problems.length > 0 && (
        <Grid item xs={12}>
          <WarningPanel
            severity="warning"
            title="Some events in the app config are not marked on the charts"
            defaultExpanded
          >
            <ul data-testid="series-events-problems">
              {problems.map(problem => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          </WarningPanel>
        </Grid>
      )}
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
      {daily(activeUsersChart(days.some(day => day.memberCount !== null)))}
      <Grid item xs={12} lg={6}>
        <WeeklyAverageChart
          days={days}
          markers={weeklyMarkers(changes)}
          showSource={hasImported}
        />
      </Grid>
      {daily(GENERATIONS_CHART)}
      {daily(LINES_OF_CODE_CHART)}
    </Grid>
  );
}
