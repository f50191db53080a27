import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { historyFiles } from '../import/formats/historyFiles';
import type { ImportService } from '../import/ImportService';
import { REPORT_KINDS, ReportKind, ScopeKey } from '../lib/scope';
import {
  NDJSON_GZ,
  gzipLines,
  nonEmptyLines,
  readGzipText,
} from './archivedFiles';
import {
  ORGANISATION_HISTORY_FILE,
  TEAMS_HISTORY_FILE,
  ArchiveLayout,
} from './layout';
import { RestoreSummary, restoreFromArchive } from './restoreFromArchive';
import { ArchiveBucket } from './S3ArchiveBucket';
import { seatObjectTexts } from '../ingest/seatGrants';

/** How often a running restore writes its heartbeat. */
export const RESTORE_HEARTBEAT_MS = 10_000;
/** A restore whose heartbeat is older than this died (its replica stopped). */
export const RESTORE_STALE_MS = 6 * RESTORE_HEARTBEAT_MS;

export type RestoreTrigger = 'admin' | 'automatic';

export interface ScopeArchiveSummary {
  scope: ScopeKey;
  /** Days whose report files were written this time. */
  days: string[];
  seatsSnapshot?: string;
  /** Imported files copied to the archive this time (they had failed before). */
  imports?: string[];
  /** Set when the step stopped; the days not written are retried next run. */
  error?: string;
}

/**
 * The copy of the plugin's data outside the database: after each sync the stored
 * report lines of new or changed days go to the bucket as the report files GitHub
 * served (gzipped NDJSON), with the latest seat snapshot and the history JSON files;
 * {@link CopilotUsageArchive.restore} rebuilds a database from those files alone.
 * See ./layout.ts for the keys.
 */
export class CopilotUsageArchive {
  readonly layout: ArchiveLayout;
  readonly bucket: ArchiveBucket;
  readonly #store: CopilotUsageStore;
  readonly #isSyncRunning: () => Promise<boolean>;
  readonly #clock: () => Date;

  constructor(options: {
    bucket: ArchiveBucket;
    prefix: string;
    store: CopilotUsageStore;
    /** Whether a sync works on any scope now (on any replica): a restore is refused then. */
    isSyncRunning?: () => Promise<boolean>;
    /** Real time by default; the restore's lease is judged by it. */
    clock?: () => Date;
  }) {
    this.bucket = options.bucket;
    this.#store = options.store;
    this.#isSyncRunning = options.isSyncRunning ?? (async () => false);
    this.#clock = options.clock ?? (() => new Date());
    this.layout = new ArchiveLayout(options.prefix);
  }

  /** Whether a restore runs now on any replica (its lease has a fresh heartbeat). */
  async isRestoring(): Promise<boolean> {
    const state = await this.#store.getRestoreState();
    return Boolean(
      state &&
      !state.finishedAt &&
      state.heartbeatAt &&
      this.#clock().getTime() - Date.parse(state.heartbeatAt) <
        RESTORE_STALE_MS,
    );
  }

  /**
   * On a database that holds no day at all, restores from the archive when it holds
   * report files: run by the sync before it plans a backfill from GitHub, so a
   * replaced database gets its history back without an admin. Never throws: an
   * unreachable bucket is logged and the sync goes on (a later restore replaces the
   * days it fetched). Returns the summary when it restored.
   */
  async restoreIfEmpty(options: {
    logger: LoggerService;
    imports: Pick<ImportService, 'replay'>;
  }): Promise<RestoreSummary | undefined> {
    const { logger } = options;
    try {
      if (!(await this.#store.isEmpty())) return undefined;
      const keys = await this.bucket.list(this.layout.prefix);
      const holdsData = keys.some(key => {
        const object = this.layout.parse(key);
        return object?.type === 'report' || object?.type === 'import';
      });
      if (!holdsData) return undefined;
      logger.info(
        `Copilot usage: the database is empty and ${this.bucket.location}/${this.layout.prefix} holds an archive; restoring it before the sync fetches from GitHub`,
      );
      // Called by the sync's unit, under the scheduler's lock: no other unit runs.
      return await this.restore({
        ...options,
        trigger: 'automatic',
        fromSyncUnit: true,
      });
    } catch (error) {
      logger.warn(
        `Copilot usage: no automatic restore from the archive: ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  /**
   * Archives every scope's days that are stored but not archived (or stored again
   * since), the latest seat snapshot and the history files. Never throws: a failure
   * is recorded in the scope's archive state (shown by GET /status) and the days
   * not written are tried again next time.
   */
  async archive(options: {
    scopes: ScopeKey[];
    logger: LoggerService;
  }): Promise<ScopeArchiveSummary[]> {
    const summaries: ScopeArchiveSummary[] = [];
    for (const scope of options.scopes) {
      summaries.push(await this.#archiveScope(scope, options.logger));
    }
    return summaries;
  }

  async #archiveScope(
    scope: ScopeKey,
    logger: LoggerService,
  ): Promise<ScopeArchiveSummary> {
    const store = this.#store;
    const summary: ScopeArchiveSummary = { scope, days: [] };
    const startedAt = new Date().toISOString();
    let pending: string[] = [];
    try {
      // Imports made while the bucket was down, before the days: both are retried here.
      for (const entry of await store.getImportsToArchive(scope)) {
        await this.bucket.put(entry.key, entry.content, 'application/gzip');
        await store.recordImportArchived(entry.key, {});
        (summary.imports ??= []).push(entry.key);
      }
      pending = await store.getDaysToArchive(scope);
      for (const day of pending) {
        await this.#archiveDay(scope, day);
        await store.recordArchiveAttempt(scope, [day], {});
        summary.days.push(day);
      }
      summary.seatsSnapshot = await this.#archiveLatestSeats(scope);
      await this.writeHistory(scope);
      await store.updateArchiveState(scope, {
        lastRunAt: startedAt,
        lastSuccessAt: new Date().toISOString(),
        lastError: null,
      });
      logger.info(
        `Copilot usage archive ${scope}: ${summary.days.length} days${summary.imports ? ` and ${summary.imports.length} imports` : ''} written to ${this.bucket.location}/${this.layout.prefix}`,
      );
    } catch (error) {
      const message = `Archive to ${this.bucket.location}/${this.layout.prefix} failed: ${(error as Error).message}`;
      summary.error = message;
      logger.warn(
        `Copilot usage archive ${scope}: ${message}; retried next run`,
      );
      const notWritten = pending.filter(day => !summary.days.includes(day));
      await store
        .recordArchiveAttempt(scope, notWritten, { error: message })
        .catch(() => {});
      for (const entry of await store
        .getImportsToArchive(scope)
        .catch(() => [])) {
        await store
          .recordImportArchived(entry.key, { error: message })
          .catch(() => {});
      }
      await store
        .updateArchiveState(scope, { lastRunAt: startedAt, lastError: message })
        .catch(() => {});
    }
    return summary;
  }

  async #archiveDay(scope: ScopeKey, day: string) {
    const lines = await this.#store.getReportLines(scope, day);
    const files: Record<ReportKind, string[]> = {
      aggregate: lines.aggregate,
      'user-teams': lines.userTeams,
      users: lines.users,
    };
    for (const report of REPORT_KINDS) {
      // A report GitHub had no data for is archived as an empty file.
      await this.bucket.put(
        this.layout.reportKey(scope, report, day),
        gzipLines(files[report]),
        NDJSON_GZ,
      );
    }
    // repos-1-day only for days stored with it (not those synced before the plugin read it).
    if (
      lines.statuses.repos === 'complete' ||
      lines.statuses.repos === 'no_data'
    ) {
      await this.bucket.put(
        this.layout.reportKey(scope, 'repos', day),
        gzipLines(await this.#store.getRepoLines(scope, day)),
        NDJSON_GZ,
      );
    }
  }

  async #archiveLatestSeats(scope: ScopeKey): Promise<string | undefined> {
    const seats = await this.#store.getLatestSeats(scope);
    if (seats.length === 0) return undefined;
    const snapshotDay = seats[0].snapshotDay;
    await this.bucket.put(
      this.layout.seatsKey(scope, snapshotDay),
      // One line per GitHub seat object (a person may hold several in the enterprise).
      gzipLines(seats.flatMap(seatObjectTexts)),
      NDJSON_GZ,
    );
    return snapshotDay;
  }

  /**
   * Rewrites one archived NDJSON file without the lines `remove` picks (the others
   * byte for byte): for erasing one person. `absent` when there is no such file,
   * `unchanged` when no line was picked (nothing is written then).
   */
  async removeLines(
    key: string,
    remove: (line: string) => boolean,
  ): Promise<'rewritten' | 'unchanged' | 'absent'> {
    const text = await readGzipText(this.bucket, key);
    if (text === undefined) return 'absent';
    const lines = nonEmptyLines(text);
    const kept = lines.filter(line => !remove(line));
    if (kept.length === lines.length) return 'unchanged';
    await this.bucket.put(key, gzipLines(kept), NDJSON_GZ);
    return 'rewritten';
  }

  /** Rewrites the scope's teams_history.json and organisation_history.json from the database. */
  async writeHistory(scope: ScopeKey): Promise<void> {
    const { organisation, teams } = await historyFiles(this.#store, scope);
    for (const [file, content] of [
      [ORGANISATION_HISTORY_FILE, organisation],
      [TEAMS_HISTORY_FILE, teams],
    ] as const) {
      await this.bucket.put(
        this.layout.historyKey(scope, file),
        `${JSON.stringify(content, null, 1)}\n`,
        'application/json',
      );
    }
  }

  /**
   * Rebuilds the database from the archive alone: every scope and day with its
   * three report files goes through the sync's own parsers and day writer (source
   * `archive`, stored complete), then the team rollups, the seat snapshots and finally
   * the archived imports, in the order they were made. Days already stored are
   * replaced. Restore and sync never run at once, on any replica: a restore takes a
   * lease in the database that every sync unit waits for, and is refused (409) while
   * a sync runs or another restore holds the lease. Imports still waiting for the
   * archive are copied there first. The restored days leave the sync's pending days.
   */
  async restore(options: {
    logger: LoggerService;
    imports: Pick<ImportService, 'replay'>;
    trigger?: RestoreTrigger;
    /** The caller is the sync's own unit (the automatic restore): no sync runs beside it. */
    fromSyncUnit?: boolean;
  }): Promise<RestoreSummary> {
    const store = this.#store;
    const acquired = await store.acquireRestore({
      trigger: options.trigger ?? 'admin',
      staleBefore: new Date(
        this.#clock().getTime() - RESTORE_STALE_MS,
      ).toISOString(),
    });
    if (!acquired) {
      throw new ConflictError('A restore from the archive is already running');
    }
    // Taken before this check, so a sync that starts now waits for the restore.
    if (
      !options.fromSyncUnit &&
      (await this.#isSyncRunning().catch(() => false))
    ) {
      await store.finishRestore();
      throw new ConflictError(
        'A Copilot usage sync is running; restore from the archive once it is over (GET /status shows it)',
      );
    }
    const heartbeat = setInterval(() => {
      store
        .heartbeatRestore()
        .catch(error =>
          options.logger.warn(
            `Copilot usage restore heartbeat failed: ${error}`,
          ),
        );
    }, RESTORE_HEARTBEAT_MS);
    try {
      const summary = await restoreFromArchive({
        ...options,
        bucket: this.bucket,
        layout: this.layout,
        store,
      });
      await store.finishRestore({ summary });
      return summary;
    } catch (error) {
      await store
        .finishRestore({ error: (error as Error).message })
        .catch(() => {});
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }
}
