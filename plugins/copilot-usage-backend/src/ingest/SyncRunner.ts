import { LoggerService } from '@backstage/backend-plugin-api';
import { CopilotUsageConfig, resolveBackfillFrom } from '../config';
import { ReportLinks, RawSeat } from '../github/GithubCopilotClient';
import { ReportRecord } from '../github/JsonRecordSplitter';
import { DownloadFailedError, ExpiredLinkError } from '../github/errors';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import {
  DayWriter,
  ReportKind,
  REPORT_KINDS,
  Scope,
  ScopeKey,
  scopeKey,
  SeatRow,
} from '../store/types';
import { addDays, daysBetween, toDay } from '../lib/days';
import { parseSeat } from './parseRows';
import { DayError, ReportInput, writeReportDay } from './writeReportDay';

/** What the runner needs from the GitHub API (GithubCopilotClient). */
export interface CopilotReportSource {
  getReportLinks(
    scope: Scope,
    report: ReportKind,
    day: string,
  ): Promise<ReportLinks>;
  listSeats(scope: Scope): AsyncIterable<RawSeat>;
}

/** What the runner needs from the download side (ReportReader). */
export interface ReportFileReader {
  entries(
    url: string,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<{ record: ReportRecord; line: number }>;
}

export interface SyncRunnerOptions {
  config: Pick<
    CopilotUsageConfig,
    | 'organizations'
    | 'enterprise'
    | 'backfillFrom'
    | 'refreshDays'
    | 'concurrency'
  >;
  store: CopilotUsageStore;
  github: CopilotReportSource;
  reader: ReportFileReader;
  /** Current time (tests pin it). */
  clock?: () => Date;
  /** Rows per insert batch. Default 500. */
  batchSize?: number;
  /** How often one day asks for fresh links after an expired link or a failed download. Default 2. */
  maxLinkRefreshes?: number;
}

export interface ScopeSyncSummary {
  scope: ScopeKey;
  /** Days fetched this run (missing days plus the trailing refresh days). */
  days: string[];
  stored: string[];
  /** Days whose reports all answered 204 (a day with some data counts as stored). */
  noData: string[];
  failed: { day: string; error: string }[];
  userRows: number;
  /** Seats in the snapshot, or the error; undefined for enterprise scopes. */
  seats?: number | { error: string };
  aborted: boolean;
  /** Set when the scope's sync stopped on an error beyond single days. */
  error?: string;
}

export interface SyncSummary {
  scopes: ScopeSyncSummary[];
}

/**
 * One sync of every configured scope: fetches each missing or recent day's three reports,
 * stores each day in one transaction (all or nothing), rebuilds the team rollups whose
 * 28-day windows saw a change, and snapshots the seats of organizations.
 */
export class SyncRunner {
  readonly #options: SyncRunnerOptions;
  readonly #clock: () => Date;
  readonly #batchSize: number;

  constructor(options: SyncRunnerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#batchSize = options.batchSize ?? 500;
  }

  /** The scopes this runner syncs, in order. */
  scopes(): Scope[] {
    const { organizations, enterprise } = this.#options.config;
    return [
      ...organizations.map(name => ({ kind: 'org' as const, name })),
      ...(enterprise
        ? [{ kind: 'enterprise' as const, name: enterprise }]
        : []),
    ];
  }

  async run(options: {
    signal?: AbortSignal;
    logger: LoggerService;
  }): Promise<SyncSummary> {
    const summary: SyncSummary = { scopes: [] };
    for (const scope of this.scopes()) {
      if (options.signal?.aborted) break;
      try {
        summary.scopes.push(
          await this.#syncScope(scope, options.logger, options.signal),
        );
      } catch (error) {
        // Something beyond one day broke (e.g. the database): record it, go on with the next scope.
        const key = scopeKey(scope);
        const message = (error as Error).message;
        options.logger.error(`Copilot usage sync ${key} failed: ${message}`);
        await this.#options.store
          .updateSyncState(key, {
            running: false,
            lastRunFinishedAt: this.#clock().toISOString(),
            lastError: message,
          })
          .catch(() => {});
        summary.scopes.push({
          scope: key,
          days: [],
          stored: [],
          noData: [],
          failed: [],
          userRows: 0,
          aborted: false,
          error: message,
        });
      }
    }
    return summary;
  }

  /** The days a run fetches for a scope: missing days plus the trailing refresh days. */
  async plannedDays(scope: Scope): Promise<string[]> {
    const today = toDay(this.#clock());
    const lastDay = addDays(today, -2);
    const firstDay = resolveBackfillFrom(
      this.#options.config,
      scope.kind,
      today,
    );
    if (firstDay > lastDay) return [];
    const refreshFrom = addDays(
      lastDay,
      -(this.#options.config.refreshDays - 1),
    );
    const complete = new Set(
      await this.#options.store.getCompleteDays(
        scopeKey(scope),
        firstDay,
        lastDay,
      ),
    );
    return daysBetween(firstDay, lastDay).filter(
      day => day >= refreshFrom || !complete.has(day),
    );
  }

  async #syncScope(
    scope: Scope,
    logger: LoggerService,
    signal?: AbortSignal,
  ): Promise<ScopeSyncSummary> {
    const { store } = this.#options;
    const key = scopeKey(scope);
    const days = await this.plannedDays(scope);
    const result: ScopeSyncSummary = {
      scope: key,
      days,
      stored: [],
      noData: [],
      failed: [],
      userRows: 0,
      aborted: false,
    };
    // Days a previous run stored without rebuilding their rollups (it died in between).
    const pendingFrom =
      (await store.getSyncState(key))?.rollupsPendingFrom ?? null;
    const firstTouched =
      [pendingFrom, days[0]].filter(Boolean).sort()[0] ?? null;
    await store.updateSyncState(key, {
      running: true,
      daysDone: 0,
      daysTotal: days.length,
      lastRunStartedAt: this.#clock().toISOString(),
      lastError: null,
      rollupsPendingFrom: firstTouched,
    });
    logger.info(`Copilot usage sync ${key}: ${days.length} days to fetch`);

    let daysDone = 0;
    // SQLite has one writer: the days of a scope fetch links in parallel but write one at a time.
    let writeQueue: Promise<unknown> = Promise.resolve();
    const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
      const next = writeQueue.then(fn, fn);
      writeQueue = next.catch(() => {});
      return next;
    };

    await forEachLimited(days, this.#options.config.concurrency, async day => {
      if (signal?.aborted) return;
      try {
        const outcome = await this.#syncDay(scope, day, serialized, signal);
        result.userRows += outcome.userRows;
        (outcome.noData ? result.noData : result.stored).push(day);
      } catch (error) {
        if (signal?.aborted) return;
        const dayError =
          error instanceof DayError ? error : new DayError('aggregate', error);
        result.failed.push({ day, error: dayError.message });
        logger.warn(
          `Copilot usage sync ${key}: day ${day} not stored, ${dayError.message}`,
        );
        await store.logIngestion({
          scope: key,
          day,
          report: dayError.report,
          status: 'failed',
          rows: 0,
          source: 'github',
          error: dayError.message,
        });
      }
      daysDone += 1;
      const progress = `${daysDone}/${days.length} days, ${result.userRows} user rows`;
      await store.updateSyncState(key, { daysDone });
      logger.info(`Copilot usage sync ${key}: ${progress}`);
    });
    result.aborted = Boolean(signal?.aborted);
    result.stored.sort();
    result.noData.sort();
    result.failed.sort((a, b) => a.day.localeCompare(b.day));

    // Even after an abort: committed days must get their rollups, they are not re-fetched.
    const changed = [...result.stored, ...result.noData];
    if (pendingFrom) changed.push(pendingFrom);
    changed.sort();
    if (changed.length > 0) {
      const affected = await this.#affectedDays(key, changed);
      await store.rebuildTeamRollups(key, affected);
      logger.info(
        `Copilot usage sync ${key}: team rollups rebuilt for ${affected.length} days`,
      );
    }
    await store.updateSyncState(key, { rollupsPendingFrom: null });

    if (scope.kind === 'org' && !result.aborted) {
      result.seats = await this.#syncSeats(scope, logger);
    }

    const errors = [
      ...result.failed.map(f => `${f.day} ${f.error}`),
      ...(typeof result.seats === 'object'
        ? [`seats: ${result.seats.error}`]
        : []),
      ...(result.aborted ? ['aborted'] : []),
    ];
    await store.updateSyncState(key, {
      running: false,
      lastRunFinishedAt: this.#clock().toISOString(),
      lastError: errors.length ? truncate(errors.join('; '), 2000) : null,
    });
    logger.info(
      `Copilot usage sync ${key} finished: ${result.stored.length} days stored, ${result.noData.length} without data, ${result.failed.length} failed, ${result.userRows} user rows`,
    );
    return result;
  }

  /**
   * Days whose trailing 28-day window contains a changed day: every changed day, plus
   * every stored day with data up to 27 days after the last change.
   */
  async #affectedDays(key: ScopeKey, changed: string[]): Promise<string[]> {
    const from = changed[0];
    const to = addDays(changed[changed.length - 1], 27);
    const log = await this.#options.store.getIngestionLog(key, from, to);
    const days = new Set(changed);
    for (const entry of log) {
      if (entry.status === 'complete') days.add(entry.day);
    }
    return [...days].sort();
  }

  async #syncDay(
    scope: Scope,
    day: string,
    serialized: <T>(fn: () => Promise<T>) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<{ userRows: number; noData: boolean }> {
    const maxRefreshes = this.#options.maxLinkRefreshes ?? 2;
    for (let refresh = 0; ; refresh++) {
      // Ask for links right before downloading: signed links expire quickly.
      const links = {} as Record<ReportKind, ReportLinks>;
      for (const report of REPORT_KINDS) {
        try {
          links[report] = await this.#options.github.getReportLinks(
            scope,
            report,
            day,
          );
        } catch (error) {
          throw new DayError(report, error);
        }
      }
      try {
        let userRows = 0;
        await serialized(() =>
          this.#options.store.writeDay(scopeKey(scope), day, async writer => {
            userRows = await this.#writeDay(scope, day, links, writer, signal);
          }),
        );
        return {
          userRows,
          noData: REPORT_KINDS.every(r => links[r].status === 'no_data'),
        };
      } catch (error) {
        // Expired links and download hiccups get fresh links; bad content does not.
        const cause = error instanceof DayError ? error.cause : undefined;
        const retryable =
          cause instanceof ExpiredLinkError ||
          (cause instanceof DownloadFailedError &&
            (cause.status === undefined || cause.status >= 500));
        if (!retryable || refresh >= maxRefreshes) throw error;
      }
    }
  }

  /** Runs inside the day's transaction: any throw rolls the whole day back. Returns the user rows written. */
  #writeDay(
    scope: Scope,
    day: string,
    links: Record<ReportKind, ReportLinks>,
    writer: DayWriter,
    signal?: AbortSignal,
  ): Promise<number> {
    const input = (report: ReportKind): ReportInput => {
      const reportLinks = links[report];
      return reportLinks.status === 'ok'
        ? { status: 'ok', entries: this.#records(reportLinks.links, signal) }
        : { status: 'no_data' };
    };
    return writeReportDay({
      scope: scopeKey(scope),
      day,
      reports: {
        aggregate: input('aggregate'),
        'user-teams': input('user-teams'),
        users: input('users'),
      },
      writer,
      source: 'github',
      batchSize: this.#batchSize,
    });
  }

  async *#records(links: string[], signal?: AbortSignal) {
    for (const url of links) {
      for await (const entry of this.#options.reader.entries(url, { signal })) {
        yield entry;
      }
    }
  }

  async #syncSeats(
    scope: Scope,
    logger: LoggerService,
  ): Promise<number | { error: string }> {
    const key = scopeKey(scope);
    const snapshotDay = toDay(this.#clock());
    try {
      const seats: SeatRow[] = [];
      for await (const seat of this.#options.github.listSeats(scope)) {
        const row = parseSeat(seat, key, snapshotDay);
        if (row) seats.push(row);
      }
      await this.#options.store.replaceSeats(key, snapshotDay, seats);
      return seats.length;
    } catch (error) {
      const message = (error as Error).message;
      logger.warn(`Copilot usage sync ${key}: seats not stored, ${message}`);
      return { error: message };
    }
  }
}

/** Runs `fn` on every item with at most `limit` running at once. */
async function forEachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        await fn(items[next++]);
      }
    },
  );
  await Promise.all(workers);
}

function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
