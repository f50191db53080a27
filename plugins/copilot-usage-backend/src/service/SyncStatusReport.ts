import {
  RestoreResponse,
  RestoreStatus,
  ScopeSyncStatus,
  SyncStatus,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { RESTORE_STALE_MS } from '../archive/CopilotUsageArchive';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { ScopeKey, scopeKey } from '../lib/scope';
import { countDays } from '../lib/days';
import { runLiveness } from '../ingest/syncLease';
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
      progress: {
        daysDone: state?.daysDone ?? 0,
        daysTotal: state?.daysTotal ?? 0,
      },
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
