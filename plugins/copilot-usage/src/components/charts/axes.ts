import { FigureFormat, formatFigure, maxOf, niceTicks } from '../../lib/format';

/**
 * Props of a value axis (recharts `YAxis`, or `XAxis` of a horizontal bar
 * chart) for `keys` of `rows`: round ticks from 0 ({@link niceTicks}), whole
 * for counts, labelled by the plugin's formatter.
 */
export function valueAxisProps<T>(
  rows: ReadonlyArray<T>,
  keys: ReadonlyArray<string>,
  format: FigureFormat = 'count',
  options: { labelRoom?: boolean } = {},
) {
  // Marker labels sit inside the plot's top edge: leave them a band no series reaches.
  const max = maxOf(rows, keys) * (options.labelRoom ? 1.2 : 1);
  const ticks = niceTicks(max, {
    whole: format === 'count',
    count: 5,
  });
  return {
    ticks,
    domain: [0, ticks[ticks.length - 1]] as [number, number],
    allowDecimals: format !== 'count',
    interval: 0 as const,
    tickFormatter: (value: number) => formatFigure(value, format),
  };
}

/** Tooltip values through the plugin's formatter, never `4.714285714285714`. */
export function tooltipFormatter(format: FigureFormat = 'count') {
  return (value: unknown) =>
    formatFigure(typeof value === 'number' ? value : Number(value), format);
}
