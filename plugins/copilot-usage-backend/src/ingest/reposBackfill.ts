/*
 * Days stored before the plugin read GitHub's repos-1-day report have no repository
 * rows. The sync fetches each such day once more (from 2026-07-17, when GitHub added
 * the report, while GitHub still holds it); after that the day has a repos entry in
 * the ingestion log (complete, or no data for a 404 or 204) and is left alone.
 */
import { ScopeKey } from '../lib/scope';
import { CopilotUsageStore } from '../store/CopilotUsageStore';

/** The first day GitHub has a repos-1-day report for. */
export const REPOS_REPORT_FIRST_DAY = '2026-07-17';

/** Days in [from, to] stored complete from GitHub or the archive but without the repos report. */
export async function daysWithoutRepoReport(
  store: Pick<CopilotUsageStore, 'getIngestionLog'>,
  scope: ScopeKey,
  from: string,
  to: string,
): Promise<Set<string>> {
  const start = from < REPOS_REPORT_FIRST_DAY ? REPOS_REPORT_FIRST_DAY : from;
  if (start > to) return new Set();
  const log = await store.getIngestionLog(scope, start, to);
  const withRepos = new Set(
    log
      .filter(e => e.report === 'repos' && e.status !== 'failed')
      .map(e => e.day),
  );
  return new Set(
    log
      .filter(
        e =>
          e.report === 'aggregate' &&
          e.status === 'complete' &&
          !withRepos.has(e.day),
      )
      .map(e => e.day),
  );
}
