import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseSeat } from '../ingest/parseRows';
import { ReportEntries, writeReportDay } from '../ingest/writeReportDay';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { historyFiles } from '../import/formats/historyFiles';
import type { ImportService } from '../import/ImportService';
import { SeatRow } from '../store/types';
import { REPORT_KINDS, ReportKind, ScopeKey } from '../lib/scope';
import {
  ORGANISATION_HISTORY_FILE,
  TEAMS_HISTORY_FILE,
  ArchiveLayout,
  ArchivedObject,
} from './layout';
import { ArchiveBucket } from './S3ArchiveBucket';

const NDJSON_GZ = 'application/x-ndjson';
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

export interface RestoreSummary {
  scopes: Array<{
    scope: ScopeKey;
    days: number;
    seatSnapshots: number;
    skippedDays: string[];
  }>;
  imports: Array<{ key: string; orgDays: number; teamDays: number }>;
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
  readonly #bucket: ArchiveBucket;
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
    this.#bucket = options.bucket;
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
      const keys = await this.#bucket.list(this.layout.prefix);
      const holdsData = keys.some(key => {
        const object = this.layout.parse(key);
        return object?.type === 'report' || object?.type === 'import';
      });
      if (!holdsData) return undefined;
      logger.info(
        `Copilot usage: the database is empty and ${this.#bucket.location}/${this.layout.prefix} holds an archive; restoring it before the sync fetches from GitHub`,
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

  get bucket(): ArchiveBucket {
    return this.#bucket;
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
        await this.#bucket.put(entry.key, entry.content, 'application/gzip');
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
        `Copilot usage archive ${scope}: ${summary.days.length} days${summary.imports ? ` and ${summary.imports.length} imports` : ''} written to ${this.#bucket.location}/${this.layout.prefix}`,
      );
    } catch (error) {
      const message = `Archive to ${this.#bucket.location}/${this.layout.prefix} failed: ${(error as Error).message}`;
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
      await this.#bucket.put(
        this.layout.reportKey(scope, report, day),
        gzipLines(files[report]),
        NDJSON_GZ,
      );
    }
  }

  async #archiveLatestSeats(scope: ScopeKey): Promise<string | undefined> {
    const seats = await this.#store.getLatestSeats(scope);
    if (seats.length === 0) return undefined;
    const snapshotDay = seats[0].snapshotDay;
    await this.#bucket.put(
      this.layout.seatsKey(scope, snapshotDay),
      gzipLines(seats.map(seat => seat.raw)),
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
    const body = await this.#bucket.get(key);
    if (!body) return 'absent';
    const lines = nonEmptyLines(gunzipSync(body).toString('utf8'));
    const kept = lines.filter(line => !remove(line));
    if (kept.length === lines.length) return 'unchanged';
    await this.#bucket.put(key, gzipLines(kept), NDJSON_GZ);
    return 'rewritten';
  }

  /** Rewrites the scope's teams_history.json and organisation_history.json from the database. */
  async writeHistory(scope: ScopeKey): Promise<void> {
    const { organisation, teams } = await historyFiles(this.#store, scope);
    for (const [file, content] of [
      [ORGANISATION_HISTORY_FILE, organisation],
      [TEAMS_HISTORY_FILE, teams],
    ] as const) {
      await this.#bucket.put(
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
      const summary = await this.#restore(options);
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

  async #restore({
    logger,
    imports: importService,
  }: Parameters<CopilotUsageArchive['restore']>[0]): Promise<RestoreSummary> {
    const store = this.#store;
    // Imports the archive missed (its bucket was down) go there first, so they are replayed.
    for (const entry of await store.getImportsToArchive()) {
      await this.#bucket.put(entry.key, entry.content, 'application/gzip');
      await store.recordImportArchived(entry.key, {});
    }
    const objects = (await this.#bucket.list(this.layout.prefix))
      .map(key => this.layout.parse(key))
      .filter((object): object is ArchivedObject => object !== undefined);

    const reports = new Map<
      ScopeKey,
      Map<string, Partial<Record<ReportKind, string>>>
    >();
    const seats = new Map<ScopeKey, Array<{ day: string; key: string }>>();
    const imports: Array<{ scope: ScopeKey; key: string }> = [];
    for (const object of objects) {
      if (object.type === 'report') {
        const days = reports.get(object.scope) ?? new Map();
        reports.set(object.scope, days);
        days.set(object.day, {
          ...days.get(object.day),
          [object.report]: object.key,
        });
      } else if (object.type === 'seats') {
        seats.set(object.scope, [...(seats.get(object.scope) ?? []), object]);
      } else {
        imports.push(object);
      }
    }

    const summary: RestoreSummary = { scopes: [], imports: [] };
    const scopes = [...new Set([...reports.keys(), ...seats.keys()])].sort();
    for (const scope of scopes) {
      const restored: string[] = [];
      const skippedDays: string[] = [];
      const days = [...(reports.get(scope) ?? new Map()).entries()].sort(
        ([a], [b]) => a.localeCompare(b),
      );
      for (const [day, keys] of days) {
        if (!REPORT_KINDS.every(report => keys[report])) {
          // An archive step cut short: the sync fetches the day again.
          skippedDays.push(day);
          continue;
        }
        const texts = {} as Record<ReportKind, string>;
        for (const report of REPORT_KINDS) {
          texts[report] = gunzipSync(
            (await this.#bucket.get(keys[report]!))!,
          ).toString('utf8');
        }
        await store
          .writeDay(scope, day, writer =>
            writeReportDay({
              scope,
              day,
              reports: {
                aggregate: reportInput(texts.aggregate),
                'user-teams': reportInput(texts['user-teams']),
                users: reportInput(texts.users),
              },
              writer,
              source: 'archive',
            }).then(() => undefined),
          )
          .catch(error => {
            throw new Error(
              `Cannot restore ${scope} ${day} from ${keys.aggregate}: ${(error as Error).message}`,
            );
          });
        restored.push(day);
      }
      if (restored.length > 0) {
        await store.rebuildTeamRollups(scope, restored);
        // What was just read from the archive needs no writing back.
        await store.recordArchiveAttempt(scope, restored, {});
        // A sync planned on the empty database would fetch them again: they are complete now.
        const state = await store.getSyncState(scope);
        if (state?.pendingDays) {
          const done = new Set(restored);
          const pendingDays = state.pendingDays.filter(day => !done.has(day));
          await store.updateSyncState(scope, {
            pendingDays,
            daysTotal: state.daysDone + pendingDays.length,
          });
        }
      }
      const snapshots = seats.get(scope) ?? [];
      for (const snapshot of snapshots) {
        const text = gunzipSync(
          (await this.#bucket.get(snapshot.key))!,
        ).toString('utf8');
        const rows = nonEmptyLines(text)
          .map(line => parseSeat(JSON.parse(line), scope, snapshot.day))
          .filter((row): row is SeatRow => row !== undefined);
        await store.replaceSeats(scope, snapshot.day, rows);
      }
      logger.info(
        `Copilot usage restore ${scope}: ${restored.length} days, ${snapshots.length} seat snapshots`,
      );
      summary.scopes.push({
        scope,
        days: restored.length,
        seatSnapshots: snapshots.length,
        skippedDays,
      });
    }

    for (const { scope, key } of imports.sort((a, b) =>
      a.key.localeCompare(b.key),
    )) {
      const text = gunzipSync((await this.#bucket.get(key))!).toString('utf8');
      const result = await importService.replay(text, { file: key, scope });
      summary.imports.push({
        key,
        orgDays: result.orgDays,
        teamDays: result.teamDays,
      });
    }
    logger.info(
      `Copilot usage restore: ${summary.scopes.length} scopes, ${summary.imports.length} imports replayed`,
    );
    return summary;
  }
}

function gzipLines(lines: string[]): Buffer {
  return gzipSync(lines.length ? `${lines.join('\n')}\n` : '');
}

function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter(line => line.trim() !== '');
}

/** An archived report file: empty means GitHub had no data that day. */
function reportInput(text: string) {
  const lines = nonEmptyLines(text);
  if (lines.length === 0) {
    return { status: 'no_data' as const };
  }
  async function* entries(): ReportEntries {
    for (const [index, line] of lines.entries()) {
      yield { record: JSON.parse(line), line: index + 1 };
    }
  }
  return { status: 'ok' as const, entries: entries() };
}
