/*
 * Where the days of a series come from: GitHub's usage reports, or history
 * imported from files of earlier tools (GitHub's legacy metrics APIs). The
 * report counters cover more surfaces, so values step up where the source
 * changes; the charts mark those days.
 */
import {
  IsoDay,
  MetricsDay,
  MetricsDaySource,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { isoWeek } from './days';

type DayWithSource = Pick<MetricsDay, 'day' | 'source'>;

/** A day's source; days sent without one come from the reports. */
export function daySource(day: Pick<MetricsDay, 'source'>): MetricsDaySource {
  return day.source ?? 'report';
}

/** Consecutive days (in date order, gaps allowed) from one source. */
export interface SourceSpan {
  source: MetricsDaySource;
  first: IsoDay;
  last: IsoDay;
}

/** Where the source changes: the first day from the new source. */
export interface SourceChange {
  day: IsoDay;
  from: MetricsDaySource;
  to: MetricsDaySource;
}

function byDay<T extends DayWithSource>(days: ReadonlyArray<T>): T[] {
  return [...days].sort((a, b) => a.day.localeCompare(b.day));
}

/** The days split into runs of one source, in date order. */
export function sourceSpans(days: ReadonlyArray<DayWithSource>): SourceSpan[] {
  const spans: SourceSpan[] = [];
  for (const day of byDay(days)) {
    const source = daySource(day);
    const current = spans[spans.length - 1];
    if (current?.source === source) {
      current.last = day.day;
    } else {
      spans.push({ source, first: day.day, last: day.day });
    }
  }
  return spans;
}

/**
 * Every day whose source differs from the day with data before it, in date
 * order. Empty when the days come from one source.
 */
export function sourceChanges(
  days: ReadonlyArray<DayWithSource>,
): SourceChange[] {
  const spans = sourceSpans(days);
  return spans.slice(1).map((span, i) => ({
    day: span.first,
    from: spans[i].source,
    to: span.source,
  }));
}

/** How a source is named in tables. */
export const SOURCE_LABELS: Readonly<Record<MetricsDaySource, string>> = {
  report: 'GitHub usage report',
  import: 'Imported',
};

/** The text of a chart's marker at a change. */
export function sourceChangeLabel(change: SourceChange): string {
  return change.to === 'report'
    ? 'GitHub usage reports from here'
    : 'Imported history from here';
}

/** The sources of each ISO week's days, e.g. for the weekly chart's table. */
export function sourcesByWeek(
  days: ReadonlyArray<DayWithSource>,
): Map<string, MetricsDaySource[]> {
  const weeks = new Map<string, MetricsDaySource[]>();
  for (const day of byDay(days)) {
    const { week } = isoWeek(day.day);
    const sources = weeks.get(week) ?? [];
    const source = daySource(day);
    if (!sources.includes(source)) {
      sources.push(source);
    }
    weeks.set(week, sources);
  }
  return weeks;
}

function spanText(span: SourceSpan): string {
  return span.first === span.last
    ? span.first
    : `${span.first} to ${span.last}`;
}

function listText(items: string[]): string {
  return items.length > 1
    ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
    : (items[0] ?? '');
}

const IMPORTED_FROM =
  "files of an earlier Copilot metrics tool (GitHub's legacy Copilot metrics API)";
const STEP_WARNING = "GitHub's newer counters cover more surfaces";

/**
 * The note above the trends of a series that mixes imported and report days;
 * `undefined` when the days come from one source.
 */
export function importedHistoryNote(
  days: ReadonlyArray<DayWithSource>,
): string | undefined {
  const changes = sourceChanges(days);
  if (!changes.length) {
    return undefined;
  }
  if (changes.length === 1 && changes[0].to === 'report') {
    const { day } = changes[0];
    return `Days before ${day} were imported from ${IMPORTED_FROM}; from ${day} on they come from GitHub's usage reports. ${STEP_WARNING}, so expect a step at the marker.`;
  }
  const imported = sourceSpans(days)
    .filter(span => span.source === 'import')
    .map(spanText);
  return `Imported from ${IMPORTED_FROM}: ${listText(imported)}; the other days come from GitHub's usage reports. ${STEP_WARNING}, so expect a step at each marker.`;
}
