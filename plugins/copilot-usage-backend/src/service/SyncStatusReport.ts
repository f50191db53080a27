import {
  RestoreResponse,
  RestoreStatus,
  ScopeSyncStatus,
  SyncProgress,
  SyncStatus,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { RESTORE_STALE_MS } from '../archive/CopilotUsageArchive';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { IngestionLogEntry, SyncState } from '../store/types';
import { ScopeKey, scopeKey } from '../lib/scope';
import { countDays } from '../lib/days';
import { runLiveness } from '../ingest/syncLease';
import { isBackfilling, minutesLeft } from '../ingest/syncProgress';
import { RangeResolver } from './RangeResolver';

const RECENT_FAILURES = 20;

/** The sync's state for every configured scope and any other scope the store knows. */
export class SyncStatusReport {
  readonly #store: CopilotUsageStore;
  readonly #now: () => Date;

  constructor(
    private readonly options: {
      store: CopilotUsageStore;
      organizations: string[];
      enterprise?: string;
      /** Whether an archive is configured: then the status tells about restores. */
      archiveConfigured?: boolean;
      now?: () => Date;
    },
  ) {
    this.#store = options.store;
    this.#now = options.now ?? (() => new Date());
  }

  async get(): Promise<SyncStatus> {
    const { organizations, enterprise } = this.options;
    const configured = [
      ...organizations.map(org => scopeKey({ kind: 'org', name: org })),
      ...(enterprise
        ? [scopeKey({ kind: 'enterprise', name: enterprise })]
        : []),
    ];
    const scopes = [
      ...new Set([...configured, ...(await this.#store.listScopes())]),
    ];
    const lastPublishedDay = new RangeResolver(this.options).lastPublishedDay();
    return {
      scopes: await Promise.all(
        scopes.map(scope => this.#scopeStatus(scope, lastPublishedDay)),
      ),
      ...(this.options.archiveConfigured && {
        restore: await this.#restoreStatus(),
      }),
    };
  }

  async #restoreStatus(): Promise<RestoreStatus> {
    const [state, databaseEmpty] = await Promise.all([
      this.#store.getRestoreState(),
      this.#store.isEmpty(),
    ]);
    const heartbeat = Date.parse(state?.heartbeatAt ?? '');
    return {
      running: Boolean(
        state &&
        !state.finishedAt &&
        this.#now().getTime() - heartbeat < RESTORE_STALE_MS,
      ),
      databaseEmpty,
      trigger: state?.trigger ?? null,
      startedAt: state?.startedAt ?? null,
      finishedAt: state?.finishedAt ?? null,
      lastError: state?.lastError ?? null,
      lastRestore: (state?.summary as RestoreResponse | null) ?? null,
    };
  }

  async #scopeStatus(
    scope: ScopeKey,
    lastPublishedDay: string,
  ): Promise<ScopeSyncStatus> {
    const [state, log, archive] = await Promise.all([
      this.#store.getSyncState(scope),
      this.#store.getIngestionLog(scope),
      this.#store.getArchiveState(scope),
    ]);
    const logDays = log.map(entry => entry.day).sort();
    const firstDay = logDays[0] ?? null;
    const lastDay = logDays[logDays.length - 1];
    const [completeDays, noDataDays] = firstDay
      ? await Promise.all([
          this.#store.getCompleteDays(scope, firstDay, lastDay),
          this.#store
            .getNoDataDays(scope, firstDay, lastDay)
            .then(days => new Set(days.map(({ day }) => day))),
        ])
      : [[], new Set<string>()];
    const expectedDays = firstDay ? countDays(firstDay, lastPublishedDay) : 0;
    const expected = (day: string) => day <= lastPublishedDay;
    const completeExpected = completeDays.filter(expected).length;
    // A crashed replica leaves `running` set: only a fresh heartbeat means running.
    const { running, interrupted } = runLiveness(state, this.#now());
    return {
      scope,
      running,
      ...(interrupted && { interrupted }),
      lastRunStartedAt: state?.lastRunStartedAt ?? null,
      lastRunFinishedAt: state?.lastRunFinishedAt ?? null,
      progress: runProgress(state, log, new Set(completeDays)),
      lastError: state?.lastError ?? null,
      firstDay,
      lastCompleteDay: completeDays.length
        ? completeDays[completeDays.length - 1]
        : null,
      daysComplete: completeDays.filter(day => !noDataDays.has(day)).length,
      daysWithData: log.filter(
        entry => entry.report === 'aggregate' && entry.status === 'complete',
      ).length,
      daysNoData: [...noDataDays].filter(expected).length,
      daysMissing: Math.max(0, expectedDays - completeExpected),
      recentFailures: log
        .filter(entry => entry.status === 'failed')
        .sort(
          (a, b) =>
            b.updatedAt.localeCompare(a.updatedAt) ||
            b.day.localeCompare(a.day),
        )
        .slice(0, RECENT_FAILURES)
        .map(entry => ({
          day: entry.day,
          report: entry.report,
          error: entry.error ?? 'unknown error',
          at: entry.updatedAt,
        })),
      ...(archive && {
        archive: {
          lastRunAt: archive.lastRunAt,
          lastSuccessAt: archive.lastSuccessAt,
          lastError: archive.lastError,
          daysPending: (await this.#store.getDaysToArchive(scope)).length,
          importsPending: await this.#store.countImportsToArchive(scope),
        },
      }),
    };
  }
}

/**
 * The run's progress; while it has days left, whether it backfills and the time it
 * still needs at the pace its last days were stored (the ingestion log's times).
 */
function runProgress(
  state: SyncState | undefined,
  log: IngestionLogEntry[],
  completeDays: ReadonlySet<string>,
): SyncProgress {
  const progress = {
    daysDone: state?.daysDone ?? 0,
    daysTotal: state?.daysTotal ?? 0,
  };
  const daysLeft = state?.pendingDays;
  if (!daysLeft?.length) return progress;
  const runStart = state?.lastRunStartedAt ?? '';
  const storedAt = new Map<string, number>();
  for (const entry of log) {
    if (entry.updatedAt < runStart) continue;
    const at = Date.parse(entry.updatedAt);
    storedAt.set(entry.day, Math.max(at, storedAt.get(entry.day) ?? at));
  }
  const left = minutesLeft(daysLeft.length, [...storedAt.values()]);
  return {
    ...progress,
    ...(isBackfilling(daysLeft, completeDays) && { backfilling: true }),
    ...(left !== undefined && { minutesLeft: Math.ceil(left) }),
  };
}
