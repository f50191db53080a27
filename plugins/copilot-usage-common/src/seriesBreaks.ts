/*
 * Days on which a series steps for a reason other than usage: GitHub changed
 * how its usage reports count (and did not backfill), or an adopter rolled
 * something out ("licences for Payments"). Every trend chart marks them.
 */
import type { IsoDay } from './api/metricsDocument';

/**
 * A day on which the numbers of a series change for a known reason.
 *
 * @public
 */
export interface SeriesBreak {
  /** The first day counted the new way, `YYYY-MM-DD` (UTC). */
  day: IsoDay;
  /** A few words for the chart's marker and its accessible name. */
  label: string;
  /** One or two sentences: what changed and what to expect in the numbers. */
  note?: string;
  /** Where the change is announced. */
  link?: string;
  /** `github`: GitHub changed how it counts; `config`: the adopter's own event. */
  origin: 'github' | 'config';
}

/**
 * How GitHub's usage reports changed their counting, without backfill.
 * Source: GitHub changelog posts as summarised in the project's API reference,
 * "Updates to 2026-12", section "Breaks in the series" (researched 2026-12-01); the
 * reference names the posts by date but gives no address, so no link is set.
 * Left out on purpose: 2026-08-07, a change to GitHub's own impact dashboard
 * only; the API, and so these charts, did not change.
 *
 * @public
 */
export const GITHUB_SERIES_BREAKS: ReadonlyArray<SeriesBreak> = [
  {
    day: '2026-07-28',
    label: 'GitHub counts the Copilot app',
    note: 'From this day GitHub adds Copilot app activity into the code generation, acceptance and lines-of-code totals and into the feature, model and language breakdowns, so these can step up.',
    origin: 'github',
  },
  {
    day: '2026-10-06',
    label: 'GitHub undercounts agents of older clients',
    note: 'From this day agent activity and agent lines from older IDE and plugin versions are undercounted, partly counted as CLI, until the clients update (VS Code 1.139.0 or later; other IDEs through November 2026). GitHub does not backfill.',
    origin: 'github',
  },
];

/**
 * The result of reading the adopter's events from config: the valid events and
 * one sentence per entry left out, naming the entry and why.
 *
 * @public
 */
export interface SeriesBreaksConfigResult {
  /** The events that could be read, in config order. */
  breaks: SeriesBreak[];
  /** One sentence per entry left out, naming it by its config path. */
  problems: string[];
}

/**
 * The config key of the adopter's events.
 *
 * @public
 */
export const SERIES_EVENTS_CONFIG_KEY = 'copilotUsage.seriesEvents';

const MAX_LABEL_LENGTH = 80;

function isRealDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return false;
  }
  const time = Date.parse(`${text}T00:00:00Z`);
  // Date.parse rolls 2026-02-30 over to March; a real day survives the round trip.
  return (
    !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text
  );
}

function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

function optionalText(
  entry: Record<string, unknown>,
  key: string,
  where: string,
  problems: string[],
): string | undefined | null {
  const value = entry[key];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || !value.trim()) {
    problems.push(`${where}.${key} must be a non-empty text`);
    return null;
  }
  return value.trim();
}

function readEntry(
  entry: unknown,
  where: string,
  problems: string[],
): SeriesBreak | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.push(`${where} must be an object with day and label`);
    return undefined;
  }
  const fields = entry as Record<string, unknown>;
  const before = problems.length;
  const { day, label } = fields;
  if (typeof day !== 'string' || !isRealDay(day)) {
    problems.push(
      `${where}.day must be a real day as YYYY-MM-DD, got ${JSON.stringify(day ?? null)}`,
    );
  }
  if (typeof label !== 'string' || !label.trim()) {
    problems.push(`${where}.label must be a non-empty text`);
  } else if (label.trim().length > MAX_LABEL_LENGTH) {
    problems.push(
      `${where}.label must be at most ${MAX_LABEL_LENGTH} characters (put the rest in note)`,
    );
  }
  const note = optionalText(fields, 'note', where, problems);
  const link = optionalText(fields, 'link', where, problems);
  if (typeof link === 'string' && !isHttpsUrl(link)) {
    problems.push(`${where}.link must be an https:// address`);
  }
  if (problems.length > before) {
    return undefined;
  }
  return {
    day: day as string,
    label: (label as string).trim(),
    ...(note ? { note } : {}),
    ...(link ? { link } : {}),
    origin: 'config',
  };
}

/**
 * Reads the adopter's events (the value at `copilotUsage.seriesEvents`, as
 * config gives it, `undefined` when not set). Nothing is dropped silently: each
 * entry left out is named in `problems`, for the UI to show.
 *
 * @public
 */
export function readSeriesEventsConfig(
  value: unknown,
): SeriesBreaksConfigResult {
  if (value === undefined || value === null) {
    return { breaks: [], problems: [] };
  }
  if (!Array.isArray(value)) {
    return {
      breaks: [],
      problems: [
        `${SERIES_EVENTS_CONFIG_KEY} must be a list of { day, label, note?, link? }`,
      ],
    };
  }
  const problems: string[] = [];
  const breaks = value.flatMap((entry, index) => {
    const read = readEntry(
      entry,
      `${SERIES_EVENTS_CONFIG_KEY}[${index}]`,
      problems,
    );
    return read ? [read] : [];
  });
  return { breaks, problems };
}

/**
 * GitHub's breaks and the adopter's events in day order (GitHub's first on a
 * shared day). An adopter's event never replaces one of GitHub's.
 *
 * @public
 */
export function mergeSeriesBreaks(
  ...lists: ReadonlyArray<ReadonlyArray<SeriesBreak>>
): SeriesBreak[] {
  const rank = (b: SeriesBreak) => (b.origin === 'github' ? 0 : 1);
  return lists
    .flat()
    .sort((a, b) => a.day.localeCompare(b.day) || rank(a) - rank(b));
}

/**
 * The breaks from `from` to `to`, both included.
 *
 * @public
 */
export function seriesBreaksBetween(
  breaks: ReadonlyArray<SeriesBreak>,
  from: IsoDay,
  to: IsoDay,
): SeriesBreak[] {
  return breaks.filter(b => b.day >= from && b.day <= to);
}
