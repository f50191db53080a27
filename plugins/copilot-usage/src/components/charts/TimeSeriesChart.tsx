import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { tooltipFormatter, valueAxisProps } from './axes';
import { ChartFigure } from './ChartFigure';
import { countColumn, dayColumn, MetricKeyOf } from './columns';
import { DataTableColumn } from './DataTable';
import { useSeriesBreaks } from '../../hooks/useSeriesBreaks';
import {
  breakMarkers,
  breaksColumn,
  placeBreaks,
  SeriesBreakNotes,
} from './seriesBreakMarkers';
import { referenceLines, SourceMarker } from './sourceMarkers';
import { SeriesColour, useSeriesColours } from './useSeriesColours';

/** One line of a time-series chart: a count metric of the daily rows. */
export interface TimeSeriesLine<T> {
  key: MetricKeyOf<T>;
  /** The line's name in the legend and tooltip. */
  name: string;
  colour: SeriesColour;
  /** An SVG dash pattern, e.g. `6 3`; solid when left out. */
  dash?: string;
  /** Line width in pixels (2 when left out). */
  width?: number;
  /** Opacity of the line (1 when left out). */
  opacity?: number;
}

/** Code generations against acceptances, drawn alike on every chart. */
export function generationLines<
  T extends { codeGenerations: number; codeAcceptances: number },
>(): TimeSeriesLine<T>[] {
  return [
    { key: 'codeGenerations', name: 'Generations', colour: 'primary' },
    {
      key: 'codeAcceptances',
      name: 'Acceptances',
      colour: 'secondary',
      dash: '6 3',
    },
  ];
}

/**
 * Daily counts as lines, one per metric, with the table alternative of
 * ChartFigure: the day and each line's metric, then `extraColumns`. Every
 * such chart marks the breaks in the series (GitHub's and config's) in its range.
 */
export function TimeSeriesChart<T extends { day: string }>(props: {
  title: string;
  description?: string;
  rows: T[];
  lines: TimeSeriesLine<T>[];
  extraColumns?: DataTableColumn<T>[];
  /** Where the source of the days changes. */
  markers?: SourceMarker[];
  height?: number;
}) {
  const {
    title,
    description,
    rows,
    lines,
    extraColumns = [],
    markers = [],
    height,
  } = props;
  const colours = useSeriesColours();
  const placed = placeBreaks(
    useSeriesBreaks().breaks,
    rows.map(row => row.day),
  );
  const breakLines = breakMarkers(placed);
  const allMarkers = [...markers, ...breakLines];
  return (
    <ChartFigure
      title={title}
      description={description}
      columns={[
        dayColumn<T>(),
        ...lines.map(line => countColumn<T>(line.key)),
        ...extraColumns,
        ...(placed.length ? [breaksColumn<T>(placed, row => row.day)] : []),
      ]}
      rows={rows}
      height={height}
      markers={allMarkers.map(marker => marker.description)}
      footer={<SeriesBreakNotes placed={placed} />}
    >
      <LineChart data={rows}>
        <CartesianGrid strokeDasharray="3 3" stroke={colours.grid} />
        <XAxis dataKey="day" tick={{ fontSize: 12 }} minTickGap={16} />
        <YAxis
          {...valueAxisProps(
            rows,
            lines.map(line => line.key),
            'count',
            { labelRoom: markers.length + breakLines.length > 0 },
          )}
          tick={{ fontSize: 12 }}
          width={56}
        />
        <Tooltip formatter={tooltipFormatter('count')} />
        <Legend />
        {referenceLines(markers, colours.muted)}
        {referenceLines(breakLines, colours.secondary)}
        {lines.map(line => (
          <Line
            key={line.key}
            type="monotone"
            dataKey={line.key}
            name={line.name}
            stroke={colours[line.colour]}
            strokeDasharray={line.dash}
            strokeWidth={line.width ?? 2}
            strokeOpacity={line.opacity ?? 1}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartFigure>
  );
}
