/**
 * Which days a sync run fetches for a scope, and which days' team rollups a change touches.
 */
import { PUBLISHING_LAG_DAYS } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  CopilotUsageConfig,
  GITHUB_HISTORY_DAYS,
  resolveBackfillFrom,
} from '../config';
import { addDays, countDays, daysBetween, toDay } from '../lib/days';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { Scope, ScopeKey, scopeKey } from '../lib/scope';
import { daysWithoutRepoReport } from './reposBackfill';

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
 * The days a run fetches, newest first: days not stored yet, the trailing `refreshDays`
 * (GitHub revises recent days), and days GitHub had no data for that are due to be
 * asked again. Newest first because a first backfill takes the whole year GitHub
 * holds: the recent weeks, which people look at, are then stored within minutes.
 */
export async function planDays(options: {
  config: Pick<
    CopilotUsageConfig,
    'backfillFrom' | 'backfillDays' | 'refreshDays'
  >;
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
  const [completeDays, noDataDays, withoutRepos] = await Promise.all([
    store.getCompleteDays(key, firstDay, lastDay),
    store.getNoDataDays(key, firstDay, lastDay),
    // Stored before the plugin read repos-1-day: fetched once more for it.
    daysWithoutRepoReport(store, key, firstDay, lastDay),
  ]);
  const complete = new Set(completeDays);
  const recheck = new Set(
    noDataDays
      .filter(d => noDataRecheckDue(d.day, d.checkedAt, today))
      .map(d => d.day),
  );
  return daysBetween(firstDay, lastDay)
    .filter(
      day =>
        day >= refreshFrom ||
        !complete.has(day) ||
        recheck.has(day) ||
        withoutRepos.has(day),
    )
    .reverse();
}

/** Days a unit may have stored without rebuilding their rollups (sync_state.rollupsPending*). */
export interface StaleRollups {
  from: string;
  /** Null: every stored day from `from` on. */
  to: string | null;
}

/**
 * What a unit starting on `pending` may store without rebuilding the rollups, added to
 * what an earlier unit left stale: written before it stores anything.
 */
export function widenStaleRollups(
  stale: StaleRollups | undefined,
  pending: string[],
): StaleRollups | undefined {
  const days = [...pending].sort();
  if (days.length === 0) return stale;
  const [first, last] = [days[0], days[days.length - 1]];
  if (!stale) return { from: first, to: last };
  return {
    from: stale.from < first ? stale.from : first,
    to: stale.to === null || stale.to > last ? stale.to : last,
  };
}

/**
 * Days whose trailing 28-day window contains a changed day: every changed day, plus
 * every stored day with data up to 27 days after the last change. `changed` is
 * ascending. `stale` days (a unit stopped before its rebuild) count as changed.
 */
export async function rollupDays(
  store: CopilotUsageStore,
  key: ScopeKey,
  changed: string[],
  stale?: StaleRollups,
): Promise<string[]> {
  const first = changed[0];
  const last = changed[changed.length - 1];
  const from = stale && !(first < stale.from) ? stale.from : first;
  let to: string | undefined = addDays(last, 27);
  if (stale) {
    to =
      stale.to === null
        ? undefined
        : addDays(last > stale.to ? last : stale.to, 27);
  }
  const days = new Set(changed);
  for (const entry of await store.getIngestionLog(key, from, to)) {
    if (entry.status === 'complete') days.add(entry.day);
  }
  return [...days].sort();
}

/** Rebuilds the team rollups that changed days (and stale ones) touch; answers how many days. */
export async function rebuildRollups(
  store: CopilotUsageStore,
  key: ScopeKey,
  changed: string[],
  stale?: StaleRollups,
): Promise<number> {
  const affected = await rollupDays(
    store,
    key,
    changed.length ? changed : [stale!.from],
    stale,
  );
  await store.rebuildTeamRollups(key, affected);
  return affected.length;
}
