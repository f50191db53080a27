const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** How a figure is shown: a count of things, a 0–1 rate as a percentage, or a decimal (averages). */
export type FigureFormat = 'count' | 'percent' | 'decimal';

/** A figure as shown to people; `–` for a figure that does not exist (e.g. a rate of nothing). */
export function formatFigure(
  value: number | null | undefined,
  format: FigureFormat,
): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '–';
  }
  switch (format) {
    case 'percent':
      return `${decimal.format(value * 100)}%`;
    case 'decimal':
      return decimal.format(value);
    default:
      return integer.format(value);
  }
}
