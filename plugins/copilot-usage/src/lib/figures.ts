import {
  METRIC_DEFINITIONS,
  MetricKey,
  MetricsDay,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { FigureFormat } from './format';

/**
 * How a headline figure sums up a range:
 * - `range`: the document's totals over the whole range;
 * - `last-day`: the value on the last day with data (rolling windows: WAU, MAU);
 * - `daily-average`: the mean over days with data (daily distinct counts cannot be summed).
 */
export type FigureSummary = 'range' | 'last-day' | 'daily-average';

/** A change against the previous period of equal length. */
export interface FigureChange {
  /** `current - previous`; percentage points × 0.01 for rates. */
  absolute: number;
  /** `(current - previous) / previous`; `null` when the previous value was 0. */
  relative: number | null;
}

export interface HeadlineFigure {
  key: MetricKey;
  label: string;
  /** The metric's definition and how the range is summed up. */
  description: string;
  format: FigureFormat;
  value: number | null;
  /** `undefined` when the previous period is unknown (not fetched or no data). */
  previous?: number | null;
  change: FigureChange | null;
}

function sortedDays(document: MetricsDocument): MetricsDay[] {
  return [...document.days].sort((a, b) => a.day.localeCompare(b.day));
}

/** Mean of the non-null values, `null` when there are none. */
export function mean(values: Array<number | null | undefined>): number | null {
  const present = values.filter(
    (value): value is number => typeof value === 'number',
  );
  if (present.length === 0) {
    return null;
  }
  return present.reduce((sum, value) => sum + value, 0) / present.length;
}

interface FigureSpec {
  key: MetricKey;
  format: FigureFormat;
  summary: FigureSummary;
  label?: string;
}

/** The headline figures of a scope, in display order. */
function figureSpecs(document: MetricsDocument): FigureSpec[] {
  const perScope: FigureSpec[] =
    document.scope.type === 'org'
      ? [
          {
            key: 'monthlyActiveChatUsers',
            format: 'count',
            summary: 'last-day',
          },
          {
            key: 'monthlyActiveAgentUsers',
            format: 'count',
            summary: 'last-day',
          },
        ]
      : [
          {
            key: 'chatUsers',
            format: 'decimal',
            summary: 'daily-average',
            label: 'Chat users per day',
          },
          {
            key: 'agentUsers',
            format: 'decimal',
            summary: 'daily-average',
            label: 'Agent users per day',
          },
        ];
  return [
    { key: 'activeUsers', format: 'count', summary: 'range' },
    { key: 'weeklyActiveUsers', format: 'count', summary: 'last-day' },
    { key: 'monthlyActiveUsers', format: 'count', summary: 'last-day' },
    { key: 'completionAcceptanceRate', format: 'percent', summary: 'range' },
    { key: 'locAdded', format: 'count', summary: 'range' },
    ...perScope,
    {
      key: 'cliUsers',
      format: 'decimal',
      summary: 'daily-average',
      label: 'CLI users per day',
    },
  ];
}

function summaryNote(summary: FigureSummary, lastDay?: string): string {
  switch (summary) {
    case 'last-day':
      return lastDay
        ? ` Shown for the last day with data (${lastDay}).`
        : ' Shown for the last day with data.';
    case 'daily-average':
      return ' Shown as the average over the days with data.';
    default:
      return ' Over the whole selected period.';
  }
}

function figureValue(
  document: MetricsDocument,
  spec: FigureSpec,
): number | null {
  const days = sortedDays(document);
  if (days.length === 0) {
    return null;
  }
  const key = spec.key as keyof MetricsDay & MetricKey;
  switch (spec.summary) {
    case 'last-day': {
      const value = days[days.length - 1][key];
      return typeof value === 'number' ? value : null;
    }
    case 'daily-average':
      return mean(days.map(day => day[key] as number | null));
    default: {
      const value = (document.totals as unknown as Record<string, unknown>)[
        spec.key
      ];
      return typeof value === 'number' ? value : null;
    }
  }
}

/** The change from `previous` to `current`, `null` when either is missing. */
export function changeBetween(
  current: number | null | undefined,
  previous: number | null | undefined,
): FigureChange | null {
  if (
    current === null ||
    current === undefined ||
    previous === null ||
    previous === undefined
  ) {
    return null;
  }
  const absolute = current - previous;
  return { absolute, relative: previous === 0 ? null : absolute / previous };
}

/**
 * The headline figures of a metrics document, each with its change against the
 * document of the previous period (when given and it has data).
 */
export function headlineFigures(
  document: MetricsDocument,
  previousDocument?: MetricsDocument,
): HeadlineFigure[] {
  const days = sortedDays(document);
  const lastDay = days.length ? days[days.length - 1].day : undefined;
  const comparable =
    previousDocument !== undefined && previousDocument.days.length > 0;
  return figureSpecs(document).map(spec => {
    const definition = METRIC_DEFINITIONS[spec.key];
    const value = figureValue(document, spec);
    const previous = comparable
      ? figureValue(previousDocument, spec)
      : undefined;
    return {
      key: spec.key,
      label: spec.label ?? definition.label,
      description: `${definition.description}${summaryNote(
        spec.summary,
        lastDay,
      )}`,
      format: spec.format,
      value,
      previous,
      change: changeBetween(value, previous),
    };
  });
}

/** "+12% vs previous 28 days", "−3.1 pts vs previous 7 days", or `undefined` without a change. */
export function describeChange(
  change: FigureChange | null,
  format: FigureFormat,
  periodDays: number,
): string | undefined {
  if (!change) {
    return undefined;
  }
  const period = `vs previous ${periodDays} days`;
  const sign = (value: number) => {
    if (value > 0) return '+';
    if (value < 0) return '−';
    return '±';
  };
  const round1 = (value: number) =>
    (Math.round(Math.abs(value) * 10) / 10).toLocaleString('en-US');
  if (format === 'percent') {
    return `${sign(change.absolute)}${round1(change.absolute * 100)} pts ${period}`;
  }
  if (change.relative === null) {
    return `${sign(change.absolute)}${round1(change.absolute)} ${period}`;
  }
  return `${sign(change.relative)}${round1(change.relative * 100)}% ${period}`;
}
