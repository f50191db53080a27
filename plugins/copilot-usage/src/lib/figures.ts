import {
  METRIC_DEFINITIONS,
  MetricKey,
  MetricsDay,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { countOf, FigureFormat, formatCount, formatFigure } from './format';

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
  /** Tells figures apart (and names their `headline-<id>` test ids). */
  id: HeadlineFigureId;
  key: MetricKey;
  label: string;
  /** The metric's definition and how the range is summed up. */
  description: string;
  /**
   * Shown under the figure, in its own words: what it counts and, for an
   * average or a rolling window, which days.
   */
  note: string;
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
  id: HeadlineFigureId;
  key: MetricKey;
  format: FigureFormat;
  summary: FigureSummary;
  label?: string;
}

/**
 * The headline figures of every scope (organization, enterprise, team), in
 * display order: one set with one definition each, so an admin can put an org
 * page and a team page side by side.
 */
export const HEADLINE_FIGURE_SPECS: ReadonlyArray<FigureSpec> = [
  { id: 'activeUsers', key: 'activeUsers', format: 'count', summary: 'range' },
  {
    id: 'averageActiveUsers',
    key: 'activeUsers',
    format: 'decimal',
    summary: 'daily-average',
    label: 'Average daily active users',
  },
  {
    id: 'weeklyActiveUsers',
    key: 'weeklyActiveUsers',
    format: 'count',
    summary: 'last-day',
  },
  {
    id: 'monthlyActiveUsers',
    key: 'monthlyActiveUsers',
    format: 'count',
    summary: 'last-day',
  },
  {
    id: 'completionAcceptanceRate',
    key: 'completionAcceptanceRate',
    format: 'percent',
    summary: 'range',
  },
  {
    id: 'locAcceptanceRate',
    key: 'locAcceptanceRate',
    format: 'percent',
    summary: 'range',
  },
  { id: 'locAdded', key: 'locAdded', format: 'count', summary: 'range' },
  {
    id: 'chatUsers',
    key: 'chatUsers',
    format: 'decimal',
    summary: 'daily-average',
    label: 'Chat users per day',
  },
  {
    id: 'agentUsers',
    key: 'agentUsers',
    format: 'decimal',
    summary: 'daily-average',
    label: 'Agent users per day',
  },
  {
    id: 'cliUsers',
    key: 'cliUsers',
    format: 'decimal',
    summary: 'daily-average',
    label: 'CLI users per day',
  },
  {
    id: 'cloudAgentUsers',
    key: 'cloudAgentUsers',
    format: 'decimal',
    summary: 'daily-average',
    label: 'Cloud agent users per day',
  },
  {
    id: 'copilotAppUsers',
    key: 'copilotAppUsers',
    format: 'decimal',
    summary: 'daily-average',
    label: 'Copilot app users per day',
  },
  { id: 'aiCredits', key: 'aiCredits', format: 'decimal', summary: 'range' },
];

/** The ids of the headline figures. */
export type HeadlineFigureId =
  | 'activeUsers'
  | 'averageActiveUsers'
  | 'weeklyActiveUsers'
  | 'monthlyActiveUsers'
  | 'completionAcceptanceRate'
  | 'locAcceptanceRate'
  | 'locAdded'
  | 'chatUsers'
  | 'agentUsers'
  | 'cliUsers'
  | 'cloudAgentUsers'
  | 'copilotAppUsers'
  | 'aiCredits';

function summaryNote(summary: FigureSummary, lastDay?: string): string {
  switch (summary) {
    case 'last-day':
      return lastDay
        ? ` Shown for the last day with data (${lastDay}).`
        : ' Shown for the last day with data.';
    case 'daily-average':
      return ' Shown as the average over the days of the period that have a value; the note under the figure says which.';
    default:
      return ' Over the whole selected period.';
  }
}

function dayValues(days: MetricsDay[], key: MetricKey) {
  return days.map(day => {
    const value = (day as unknown as Record<string, unknown>)[key];
    return typeof value === 'number' ? value : null;
  });
}

function figureValue(
  document: MetricsDocument,
  spec: FigureSpec,
): number | null {
  const days = sortedDays(document);
  if (days.length === 0) {
    return null;
  }
  switch (spec.summary) {
    case 'last-day': {
      const values = dayValues(days, spec.key);
      return values[values.length - 1];
    }
    case 'daily-average':
      return mean(dayValues(days, spec.key));
    default: {
      const value = (document.totals as unknown as Record<string, unknown>)[
        spec.key
      ];
      return typeof value === 'number' ? value : null;
    }
  }
}

const WINDOW_DAYS: Partial<Record<MetricKey, number>> = {
  weeklyActiveUsers: 7,
  monthlyActiveUsers: 28,
};

/** What the figure counts, and over which days, in a line under it. */
function figureNote(
  document: MetricsDocument,
  spec: FigureSpec,
  days: MetricsDay[],
): string {
  const isTeam = document.scope.type === 'team';
  const lastDay = days.length ? days[days.length - 1].day : undefined;
  switch (spec.summary) {
    case 'last-day':
      return lastDay
        ? `People active in the ${WINDOW_DAYS[spec.key]} days to ${lastDay}${
            isTeam ? ', while members' : ''
          }`
        : 'No day with data';
    case 'daily-average': {
      const values = dayValues(days, spec.key);
      const withValue = values.filter(value => value !== null).length;
      if (withValue === 0) {
        if (
          !isTeam &&
          (spec.key === 'chatUsers' || spec.key === 'agentUsers')
        ) {
          const monthlyKey =
            spec.key === 'chatUsers'
              ? 'monthlyActiveChatUsers'
              : 'monthlyActiveAgentUsers';
          const monthly = dayValues(days, monthlyKey).pop();
          return `GitHub's organization report has no daily count${
            typeof monthly === 'number' && lastDay
              ? `; it counts ${formatCount(monthly)} in the 28 days to ${lastDay}`
              : ''
          }`;
        }
        return 'GitHub reported no value on any day of the period';
      }
      const missing = days.length - withValue;
      return `Average of ${countOf(withValue, 'day')} with data${
        missing > 0
          ? `; ${countOf(missing, 'day')} without a value left out`
          : ''
      }`;
    }
    default:
      if (spec.key === 'activeUsers') {
        return isTeam
          ? 'Different people over the period, counted on days they were members'
          : 'Different people over the period';
      }
      if (spec.format === 'percent') {
        return 'Summed over the period, then divided';
      }
      if (spec.key === 'aiCredits') {
        if (
          document.totals.aiCredits === null ||
          document.totals.aiCredits === undefined
        ) {
          return 'GitHub reported no credits for the period';
        }
        return isTeam
          ? 'A metrics signal, not a billed total; split 1/n for people in n teams'
          : 'A metrics signal, not a billed total';
      }
      return 'Summed over the period';
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
  return HEADLINE_FIGURE_SPECS.map(spec => {
    const definition = METRIC_DEFINITIONS[spec.key];
    const value = figureValue(document, spec);
    const previous = comparable
      ? figureValue(previousDocument, spec)
      : undefined;
    return {
      id: spec.id,
      note: figureNote(document, spec, days),
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
  const round1 = (value: number) => formatFigure(Math.abs(value), 'decimal');
  if (format === 'percent') {
    return `${sign(change.absolute)}${round1(change.absolute * 100)} pts ${period}`;
  }
  if (change.relative === null) {
    const amount =
      format === 'count'
        ? formatFigure(Math.abs(change.absolute), 'count')
        : round1(change.absolute);
    return `${sign(change.absolute)}${amount} ${period}`;
  }
  return `${sign(change.relative)}${round1(change.relative * 100)}% ${period}`;
}
