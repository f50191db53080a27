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

export interface ScopeArchiveSummary {
  scope: ScopeKey;
  /** Days whose report files were written this time. */
  days: string[];
  seatsSnapshot?: string;
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
  #restoring = false;

  constructor(options: {
    bucket: ArchiveBucket;
    prefix: string;
    store: CopilotUsageStore;
  }) {
    this.#bucket = options.bucket;
    this.#store = options.store;
    this.layout = new ArchiveLayout(options.prefix);
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
        `Copilot usage archive ${scope}: ${summary.days.length} days written to ${this.#bucket.location}/${this.layout.prefix}`,
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
   * `archive`), then the team rollups, the seat snapshots and finally the archived
   * imports, in the order they were made. Days already stored are replaced.
   */
  async restore(options: {
    logger: LoggerService;
    imports: Pick<ImportService, 'replay'>;
  }): Promise<RestoreSummary> {
    if (this.#restoring) {
      throw new ConflictError('A restore from the archive is already running');
    }
    this.#restoring = true;
    try {
      return await this.#restore(options);
    } finally {
      this.#restoring = false;
    }
  }

  async #restore({
    logger,
    imports: importService,
  }: Parameters<CopilotUsageArchive['restore']>[0]): Promise<RestoreSummary> {
    const store = this.#store;
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
              batchSize: 500,
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
