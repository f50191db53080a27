/* A scope's summary of one unit of work: built, merged over the unit's two passes, logged. */
import { ScopeKey } from '../lib/scope';
import { ScopeSyncSummary } from './syncTypes';

export function emptySummary(scope: ScopeKey): ScopeSyncSummary {
  return {
    scope,
    days: [],
    stored: [],
    noData: [],
    failed: [],
    userRows: 0,
    aborted: false,
    finished: false,
  };
}

/** A scope's two passes of one unit as one summary: the later pass says how it ended. */
export function mergeSummaries(
  first: ScopeSyncSummary,
  then: ScopeSyncSummary,
): ScopeSyncSummary {
  const days = (pick: (s: ScopeSyncSummary) => string[]) =>
    [...pick(first), ...pick(then)].sort();
  return {
    ...then,
    days: days(s => s.days),
    stored: days(s => s.stored),
    noData: days(s => s.noData),
    failed: [...first.failed, ...then.failed].sort((a, b) =>
      a.day.localeCompare(b.day),
    ),
    userRows: first.userRows + then.userRows,
  };
}

export function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The log line that ends a scope's part of a unit. */
export function summaryLine(
  result: ScopeSyncSummary,
  daysDone: number,
  daysTotal: number,
): string {
  const counts = `${result.stored.length} days stored, ${result.noData.length} without data, ${result.failed.length} failed, ${result.userRows} user rows`;
  const where = result.finished
    ? 'finished'
    : `${result.aborted ? 'stopped' : 'paused'} at ${daysDone}/${daysTotal} days`;
  return `Copilot usage sync ${result.scope} ${where}: ${counts}`;
}
