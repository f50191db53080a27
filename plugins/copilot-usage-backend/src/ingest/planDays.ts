/**
 * Which days a sync run fetches for a scope, and which days' team rollups a change touches.
 */
import { PUBLISHING_LAG_DAYS } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageConfig, resolveBackfillFrom } from '../config';
import { addDays, countDays, daysBetween, toDay } from '../lib/days';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { Scope, ScopeKey, scopeKey } from '../lib/scope';

/** GitHub serves 1-day reports for about a year back from today. */
export const GITHUB_HISTORY_DAYS = 365;
/** Days after a day during which a 204 for it is asked again daily; weekly after. */
const DAILY_RECHECK_DAYS = 7;

/**
 * Whether a day GitHub answered 204 for is due to be asked again: daily while the day
 * is at most a week old, weekly after, and never once GitHub no longer holds it.
 * Calendar days (UTC), so a daily schedule that runs a little earlier each day keeps up.
 */
export function noDataRecheckDue(
  day: string,
  checkedAt: string,
  today: string,
): boolean {
  if (day < addDays(today, -GITHUB_HISTORY_DAYS)) {
    return false;
  }
  const checkedDay = toDay(new Date(checkedAt));
  const daysSinceCheck = countDays(checkedDay, today) - 1;
  const age = countDays(day, today) - 1;
  return daysSinceCheck >= (age <= DAILY_RECHECK_DAYS ? 1 : 7);
}

/**
 * The days a run fetches: days not stored yet, the trailing `refreshDays` (GitHub
 * revises recent days), and days GitHub had no data for that are due to be asked again.
 */
export async function planDays(options: {
  config: Pick<CopilotUsageConfig, 'backfillFrom' | 'refreshDays'>;
  store: CopilotUsageStore;
  scope: Scope;
  now: Date;
}): Promise<string[]> {
  const { config, store, scope } = options;
  const today = toDay(options.now);
  const lastDay = addDays(today, -PUBLISHING_LAG_DAYS);
  const firstDay = resolveBackfillFrom(config, scope.kind, today);
  if (firstDay > lastDay) {
    return [];
  }
  const refreshFrom = addDays(lastDay, -(config.refreshDays - 1));
  const key = scopeKey(scope);
  const [completeDays, noDataDays] = await Promise.all([
    store.getCompleteDays(key, firstDay, lastDay),
    store.getNoDataDays(key, firstDay, lastDay),
  ]);
  const complete = new Set(completeDays);
  const recheck = new Set(
    noDataDays
      .filter(d => noDataRecheckDue(d.day, d.checkedAt, today))
      .map(d => d.day),
  );
  return daysBetween(firstDay, lastDay).filter(
    day => day >= refreshFrom || !complete.has(day) || recheck.has(day),
  );
}

/**
 * Days whose trailing 28-day window contains a changed day: every changed day, plus
 * every stored day with data up to 27 days after the last change. `changed` is ascending.
 */
export async function rollupDays(
  store: CopilotUsageStore,
  key: ScopeKey,
  changed: string[],
): Promise<string[]> {
  const from = changed[0];
  const to = addDays(changed[changed.length - 1], 27);
  const days = new Set(changed);
  for (const entry of await store.getIngestionLog(key, from, to)) {
    if (entry.status === 'complete') days.add(entry.day);
  }
  return [...days].sort();
}
