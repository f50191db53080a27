import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { tooltipFormatter, valueAxisProps } from './axes';
import { ReactNode } from 'react';
import { ChartFigure } from './ChartFigure';
import { DataTableColumn } from './DataTable';
import { SeriesColour, useSeriesColours } from './useSeriesColours';

/** One bar of each category. */
export interface CategoryBar<T> {
  key: keyof T & string;
  /** The bar's name in the legend and tooltip. */
  name: string;
  colour: SeriesColour;
}

/**
 * Counts per category as horizontal bars, labelled by each row's `label`, with
 * the table alternative of ChartFigure. A legend appears when there is more
 * than one bar to tell apart.
 */
export function CategoryBarChart<T extends { label: string }>(props: {
  title: string;
  description?: string;
  columns: DataTableColumn<T>[];
  /** The table's rows. */
  rows: T[];
  /** The chart's rows, when it shows fewer than the table. */
  chartRows?: T[];
  bars: CategoryBar<T>[];
  height: number;
  /** Room for the category labels, in pixels. */
  labelWidth: number;
  /** A line under the title, e.g. what share of the activity the chart covers. */
  note?: ReactNode;
}) {
  const {
    title,
    description,
    columns,
    rows,
    chartRows = rows,
    bars,
    height,
    labelWidth,
    note,
  } = props;
  const colours = useSeriesColours();
  return (
    <ChartFigure
      title={title}
      description={description}
      columns={columns}
      rows={rows}
      height={height}
      note={note}
    >
      <BarChart
        data={chartRows}
        layout="vertical"
        // Room for the last tick's label at the right end of the value axis.
        margin={{ top: 5, right: 28, bottom: 5, left: 5 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke={colours.grid} />
        <XAxis
          type="number"
          {...valueAxisProps(
            chartRows,
            bars.map(bar => bar.key),
          )}
          tick={{ fontSize: 12 }}
        />
        <YAxis
          type="category"
          dataKey="label"
          width={labelWidth}
          tick={{ fontSize: 12 }}
        />
        <Tooltip formatter={tooltipFormatter('count')} />
        {bars.length > 1 && <Legend />}
        {bars.map(bar => (
          <Bar
            key={bar.key}
            // recharts cannot check a key against a generic row type.
            dataKey={bar.key as string}
            name={bar.name}
            fill={colours[bar.colour]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFigure>
  );
}
