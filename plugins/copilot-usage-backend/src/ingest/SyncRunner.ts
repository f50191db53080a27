import { describeSyncProgress } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { forEachLimited, writeQueue } from '../lib/concurrency';
import { toDay } from '../lib/days';
import { SyncState } from '../store/types';
import { Scope, ScopeKey, scopeKey } from '../lib/scope';
import { ReportFetcher } from './ReportFetcher';
import {
  planDays,
  rebuildRollups,
  StaleRollups,
  widenStaleRollups,
} from './planDays';
import { beatWhileRunning, runLiveness } from './syncLease';
import { isBackfilling, minutesLeft } from './syncProgress';
import {
  ScopeSyncSummary,
  SyncRunnerOptions,
  SyncSummary,
  SyncUnit,
  SyncUnitOptions,
} from './syncTypes';
import {
  emptySummary,
  mergeSummaries,
  summaryLine,
  truncate,
} from './scopeSummary';
import { DayError } from './writeReportDay';

/**
 * A backfill's newest days: every scope's come first (the recent pass), and their
 * team rollups are built when that pass ends, before any older day is fetched.
 */
const RECENT_DAYS = 28;

/**
 * The sync of every configured scope, in units of work: a run is asked for
 * ({@link SyncRunner.requestRun}), the next unit plans its days (missing days, the
 * trailing refresh days, and 204 days due to be asked again) into sync_state, and
 * each unit fetches pending days until its time budget is used up, every scope's
 * newest 28 first and then the older ones of each. Every day is
 * stored in one transaction; the team rollups whose 28-day windows saw a change are
 * rebuilt at the end of each unit; the seats of each org and of the enterprise are
 * snapshotted when a run is over. Progress and a heartbeat are written at every day boundary, so a
 * run that stops or dies resumes where it was.
 */
export class SyncRunner {
  readonly #options: SyncRunnerOptions;
  readonly #clock: () => Date;
  readonly #fetcher: ReportFetcher;

  constructor(options: SyncRunnerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#fetcher = new ReportFetcher({
      store: options.store,
      github: options.github,
      reader: options.reader,
      batchSize: options.batchSize,
      maxLinkRefreshes: options.maxLinkRefreshes ?? 2,
    });
  }

  /** The scopes this runner syncs, in order. */
  scopes(): Scope[] {
    const { organizations, enterprise } = this.#options.config;
    const orgs: Scope[] = organizations.map(name => ({ kind: 'org', name }));
    return enterprise
      ? [...orgs, { kind: 'enterprise', name: enterprise }]
      : orgs;
  }

  /** Asks for a sync of every scope that has no run in progress; the next unit plans it. */
  async requestRun(): Promise<void> {
    const requestedAt = this.#clock().toISOString();
    for (const scope of this.scopes()) {
      const key = scopeKey(scope);
      if (!(await this.#options.store.getSyncState(key))?.pendingDays) {
        await this.#options.store.updateSyncState(key, { requestedAt });
      }
    }
  }

  /** Whether a replica is working on a sync right now (a fresh heartbeat). */
  async isRunning(): Promise<boolean> {
    const now = this.#clock();
    return (await this.#states()).some(
      state => runLiveness(state, now).running,
    );
  }

  /** Why the sync waits now (see {@link SyncRunnerOptions.waitFor}), or undefined. */
  async waitingFor(): Promise<string | undefined> {
    return this.#options.waitFor?.();
  }

  /** A whole sync at once (tests, benchmarks): asks for one and runs units until none is pending. */
  async run(options: SyncUnitOptions): Promise<SyncSummary> {
    await this.requestRun();
    const scopes: ScopeSyncSummary[] = [];
    for (;;) {
      const unit = await this.runUnit(options);
      scopes.push(...unit.scopes);
      if (!unit.pending || unit.scopes.length === 0) {
        return { scopes, pending: unit.pending };
      }
    }
  }

  /** One unit of work: continues or starts the runs of the scopes, in order, within the budget. */
  async runUnit(options: SyncUnitOptions): Promise<SyncSummary> {
    const { signal, logger } = options;
    const waiting = await this.waitingFor();
    if (waiting) {
      logger.info(`Copilot usage sync waits: ${waiting}`);
      return { scopes: [], pending: true };
    }
    await this.#options.beforeUnit?.({ logger });
    // Real time, not the clock: tests pin the clock.
    const deadline = Date.now() + (options.budgetMs ?? Infinity);
    const unit: SyncUnit = {
      signal,
      logger,
      leaseExpiresAt:
        options.leaseMs === undefined
          ? null
          : new Date(this.#clock().getTime() + options.leaseMs).toISOString(),
      daysStarted: 0,
      mayStartDay: () =>
        !signal?.aborted && (unit.daysStarted === 0 || Date.now() < deadline),
    };
    const stopHeartbeat = beatWhileRunning(this.#options.store, unit, () =>
      this.#now(),
    );
    // One summary per scope of the unit, both passes merged, in scope order.
    const done = new Map<ScopeKey, { summary: ScopeSyncSummary; ms: number }>();
    try {
      // First every scope's newest RECENT_DAYS (pending days are newest first), then
      // the rest: a year of one org's backfill must not hold up the next scope's weeks.
      for (const upTo of [RECENT_DAYS, undefined]) {
        for (const scope of this.scopes()) {
          if (!unit.mayStartDay()) break;
          const startedAt = Date.now();
          const summary = await this.#scopeUnit(scope, unit, upTo);
          if (!summary) continue;
          const earlier = done.get(summary.scope);
          done.set(summary.scope, {
            summary: earlier
              ? mergeSummaries(earlier.summary, summary)
              : summary,
            ms: (earlier?.ms ?? 0) + Date.now() - startedAt,
          });
        }
      }
    } finally {
      stopHeartbeat();
    }
    const scopes = this.scopes()
      .map(scope => done.get(scopeKey(scope)))
      .filter(entry => entry !== undefined)
      .map(({ summary, ms }) => {
        this.#options.observer?.scopeUnitDone(summary, ms);
        return summary;
      });
    const pending = (await this.#states()).some(
      state => state?.pendingDays || state?.requestedAt,
    );
    return { scopes, pending };
  }

  /** `upTo`: stop starting days once the run has done that many (the recent pass). */
  async #scopeUnit(
    scope: Scope,
    unit: SyncUnit,
    upTo?: number,
  ): Promise<ScopeSyncSummary | undefined> {
    const key = scopeKey(scope);
    try {
      return await this.#syncScope(scope, unit, upTo);
    } catch (error) {
      // Something beyond one day broke (e.g. the database): end this scope's run, go on with the next.
      const message = (error as Error).message;
      unit.logger.error(`Copilot usage sync ${key} failed: ${message}`);
      await this.#options.store
        .updateSyncState(key, {
          running: false,
          pendingDays: null,
          lastRunFinishedAt: this.#now(),
          lastError: message,
        })
        .catch(() => {});
      return { ...emptySummary(key), finished: true, error: message };
    }
  }

  async #syncScope(
    scope: Scope,
    unit: SyncUnit,
    upTo?: number,
  ): Promise<ScopeSyncSummary | undefined> {
    const { store, config } = this.#options;
    const { logger, signal } = unit;
    const key = scopeKey(scope);
    const state = await store.getSyncState(key);
    const start: Partial<Omit<SyncState, 'scope'>> = {
      running: true,
      heartbeatAt: this.#now(),
      leaseExpiresAt: unit.leaseExpiresAt,
    };
    const startedAt = Date.now();
    let pending = state?.pendingDays;
    let daysDone = state?.daysDone ?? 0;
    let runErrors = state?.lastError ?? null;
    if (pending) {
      // The recent pass leaves a run past its recent days to the second pass.
      if (upTo !== undefined && daysDone >= upTo) return undefined;
      logger.info(
        `Copilot usage sync ${key}: continuing, ${pending.length} days left`,
      );
    } else {
      if (!state?.requestedAt) return undefined;
      pending = await planDays({ config, store, scope, now: this.#clock() });
      daysDone = 0;
      runErrors = null;
      Object.assign(start, {
        requestedAt: null,
        pendingDays: pending,
        daysDone,
        daysTotal: pending.length,
        lastRunStartedAt: this.#now(),
        lastError: null,
      });
      logger.info(`Copilot usage sync ${key}: ${pending.length} days to fetch`);
    }
    const daysTotal = start.daysTotal ?? state?.daysTotal ?? pending.length;
    // Days a previous unit stored without rebuilding their rollups (it stopped or died in between).
    const stale: StaleRollups | undefined = state?.rollupsPendingFrom
      ? { from: state.rollupsPendingFrom, to: state.rollupsPendingTo ?? null }
      : undefined;
    const willBeStale = widenStaleRollups(stale, pending);
    start.rollupsPendingFrom = willBeStale?.from ?? null;
    start.rollupsPendingTo = willBeStale?.to ?? null;
    await store.updateSyncState(key, start);
    unit.beating = key;
    const span = [...pending].sort();
    const backfilling =
      span.length > 0 &&
      isBackfilling(
        pending,
        new Set(
          await store.getCompleteDays(key, span[0], toDay(this.#clock())),
        ),
      );
    // Real time, not the clock: tests pin the clock.
    const progressTimes = [startedAt];

    const result = emptySummary(key);
    const remaining = new Set(pending);
    // SQLite has one writer: days fetch links in parallel but write one at a time.
    const serialized = writeQueue();
    const doneBefore = daysDone;
    let startedHere = 0;
    await forEachLimited(
      pending,
      config.concurrency,
      () =>
        unit.mayStartDay() &&
        (upTo === undefined || doneBefore + startedHere < upTo),
      async day => {
        unit.daysStarted += 1;
        startedHere += 1;
        result.days.push(day);
        try {
          const outcome = await this.#fetcher.fetchDay(
            scope,
            day,
            serialized,
            signal,
          );
          result.userRows += outcome.userRows;
          (outcome.noData ? result.noData : result.stored).push(day);
        } catch (error) {
          // Stopped mid-day: the day was rolled back and stays pending.
          if (signal?.aborted) return;
          const { message, report } = error as DayError;
          result.failed.push({ day, error: message });
          logger.warn(
            `Copilot usage sync ${key}: day ${day} not stored, ${message}`,
          );
          await store.logIngestion({
            scope: key,
            day,
            report,
            status: 'failed',
            rows: 0,
            source: 'github',
            error: message,
          });
        }
        remaining.delete(day);
        daysDone += 1;
        progressTimes.push(Date.now());
        // Taken before the wait: days in flight at once would otherwise log the same count.
        const progress = `${describeSyncProgress({
          daysDone,
          daysTotal,
          backfilling,
          minutesLeft: minutesLeft(daysTotal - daysDone, progressTimes),
        })}, ${result.userRows} user rows`;
        const patch = {
          daysDone,
          pendingDays: [...remaining],
          heartbeatAt: this.#now(),
        };
        // At every day boundary: a run that stops or dies resumes from here.
        await serialized(() => store.updateSyncState(key, patch));
        logger.info(`Copilot usage sync ${key}: ${progress}`);
      },
    );
    result.aborted = Boolean(signal?.aborted);
    for (const days of [result.days, result.stored, result.noData]) days.sort();
    result.failed.sort((a, b) => a.day.localeCompare(b.day));

    // A stopping backend must be quick: after a stop the next unit rebuilds from rollupsPendingFrom.
    if (!result.aborted) {
      const changed = [...result.stored, ...result.noData].sort();
      if (changed.length > 0 || stale) {
        const rebuilt = await rebuildRollups(store, key, changed, stale);
        logger.info(
          `Copilot usage sync ${key}: team rollups rebuilt for ${rebuilt} days`,
        );
      }
      await store.updateSyncState(key, {
        rollupsPendingFrom: null,
        rollupsPendingTo: null,
      });
    }

    result.finished = !result.aborted && remaining.size === 0;
    if (result.finished) {
      result.seats = await this.#fetcher.fetchSeats(
        scope,
        toDay(this.#clock()),
        logger,
      );
    }
    const errors = [
      runErrors,
      ...result.failed.map(f => `${f.day} ${f.error}`),
      typeof result.seats === 'object' && `seats: ${result.seats.error}`,
    ].filter(Boolean);
    // Stopped: released at a day boundary; the scheduler frees its lock as this unit returns.
    // Out of budget: `running` stays set, the next unit carries on within seconds.
    const end: Partial<Omit<SyncState, 'scope'>> = result.finished
      ? {
          running: false,
          pendingDays: null,
          leaseExpiresAt: null,
          lastRunFinishedAt: this.#now(),
        }
      : {
          leaseExpiresAt: this.#now(),
          ...(result.aborted && { running: false }),
        };
    await store.updateSyncState(key, {
      ...end,
      heartbeatAt: this.#now(),
      lastError: errors.length ? truncate(errors.join('; '), 2000) : null,
    });
    unit.beating = undefined;
    logger.info(summaryLine(result, daysDone, daysTotal));
    return result;
  }

  #states(): Promise<(SyncState | undefined)[]> {
    return Promise.all(
      this.scopes().map(scope =>
        this.#options.store.getSyncState(scopeKey(scope)),
      ),
    );
  }

  #now(): string {
    return this.#clock().toISOString();
  }
}
