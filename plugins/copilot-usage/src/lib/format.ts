/*
 * The plugin's one number formatter. Every figure on screen (cards, tables,
 * chart axes, tooltips, captions) goes through here, so a number reads the
 * same wherever it appears: the reader's locale (thousands separators and
 * decimal mark from `Intl.NumberFormat`), whole counts, and one precision for
 * rates and averages.
 */

/** How a figure is shown: a count of things, a 0–1 rate as a percentage, or a decimal (averages). */
export type FigureFormat = 'count' | 'percent' | 'decimal';

/** Digits after the decimal mark of every rate (as a percentage) and average. */
export const FRACTION_DIGITS = 1;

const formatters = new Map<string, Intl.NumberFormat>();

/** `undefined` is the reader's locale (the browser's). */
function formatter(
  locale: string | undefined,
  format: FigureFormat,
): Intl.NumberFormat {
  const cacheKey = `${locale ?? ''}|${format}`;
  let cached = formatters.get(cacheKey);
  if (!cached) {
    cached = new Intl.NumberFormat(
      locale,
      format === 'count'
        ? { maximumFractionDigits: 0 }
        : {
            style: format === 'percent' ? 'percent' : 'decimal',
            minimumFractionDigits: FRACTION_DIGITS,
            maximumFractionDigits: FRACTION_DIGITS,
          },
    );
    formatters.set(cacheKey, cached);
  }
  return cached;
}

/** What is shown for a figure that does not exist (a rate of nothing, a day without a value). */
export const NO_FIGURE = '–';

/**
 * A figure as shown to people; {@link NO_FIGURE} for a figure that does not
 * exist. `locale` is for tests; the page uses the reader's.
 */
export function formatFigure(
  value: number | null | undefined,
  format: FigureFormat,
  locale?: string,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return NO_FIGURE;
  }
  return formatter(locale, format).format(value);
}

/** A count, e.g. `14,210`. */
export function formatCount(value: number | null | undefined): string {
  return formatFigure(value, 'count');
}

/** "1 day", "3 days": a count with its noun, singular for one. */
export function countOf(
  value: number,
  singular: string,
  plural = `${singular}s`,
): string {
  return `${formatCount(value)} ${value === 1 ? singular : plural}`;
}

function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / magnitude;
  let nice = 10;
  if (fraction <= 1) nice = 1;
  else if (fraction <= 2) nice = 2;
  else if (fraction <= 2.5) nice = 2.5;
  else if (fraction <= 5) nice = 5;
  return nice * magnitude;
}

/**
 * Round axis ticks from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a
 * power of ten (0/1,000/2,000/3,000/4,000, never 0/950/1,900). With `whole`
 * (counts of users, seats), the step is a whole number, so no tick reads 0.9
 * users.
 */
export function niceTicks(
  max: number,
  options: { count?: number; whole?: boolean } = {},
): number[] {
  const { count = 5, whole = true } = options;
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  let step = niceStep(top / Math.max(1, count - 1));
  if (whole) {
    step = Math.max(1, Math.ceil(step));
    // 2.5 × 10^k is whole from k = 1 on; below that, round to a whole step.
  }
  const ticks: number[] = [];
  const last = Math.ceil(top / step - 1e-9) * step;
  for (let i = 0; i * step <= last + 1e-9; i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/** The largest value of `keys` over `rows` (0 without values), for {@link niceTicks}. */
export function maxOf<T>(rows: ReadonlyArray<T>, keys: ReadonlyArray<string>) {
  let max = 0;
  for (const row of rows) {
    for (const key of keys) {
      const value = (row as Record<string, unknown>)[key];
      if (typeof value === 'number' && value > max) max = value;
    }
  }
  return max;
}
