import Box from '@material-ui/core/Box';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { RepositoryDay } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { tooltipFormatter, valueAxisProps } from '../charts/axes';
import { ChartFigure } from '../charts/ChartFigure';
import { SeriesColour, useSeriesColours } from '../charts/useSeriesColours';
import { REPOSITORY_FIGURES, RepositoryFigureKey } from './repositoryFigures';

export interface RepositoryLine {
  key: RepositoryFigureKey;
  colour: SeriesColour;
  dash?: string;
}

/** Daily repository figures as lines, with the table alternative of ChartFigure. */
export function RepositoryTrendChart(props: {
  title: string;
  description: string;
  days: RepositoryDay[];
  lines: RepositoryLine[];
  format: 'count' | 'decimal';
}) {
  const { title, description, days, lines, format } = props;
  const colours = useSeriesColours();
  const keys = lines.map(line => line.key);
  // The chart's table for screen readers is wider than a phone (columns that do not
  // wrap); it is visually hidden, and clipped here so it does not widen the page.
  return (
    <Box style={{ overflow: 'hidden' }}>
      <ChartFigure
        title={title}
        description={description}
        rows={days}
        columns={[
          { key: 'day', label: 'Day', value: row => row.day },
          ...lines.map(line => ({
            key: line.key,
            label: REPOSITORY_FIGURES[line.key].label,
            format,
            value: (row: RepositoryDay) => row[line.key],
          })),
        ]}
        height={240}
      >
        <LineChart data={days}>
          <CartesianGrid strokeDasharray="3 3" stroke={colours.grid} />
          <XAxis dataKey="day" tick={{ fontSize: 12 }} minTickGap={16} />
          <YAxis
            {...valueAxisProps(days, keys, format)}
            tick={{ fontSize: 12 }}
            width={56}
          />
          <Tooltip formatter={tooltipFormatter(format)} />
          <Legend />
          {lines.map(line => (
            <Line
              key={line.key}
              type="monotone"
              dataKey={line.key}
              name={REPOSITORY_FIGURES[line.key].label}
              stroke={colours[line.colour]}
              strokeDasharray={line.dash}
              strokeWidth={2}
              // Minutes have gaps (days without merges): a dot shows a lone day.
              dot={format === 'decimal' || days.length < 3 ? { r: 2 } : false}
              connectNulls={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ChartFigure>
    </Box>
  );
}
