import { LoggerService } from '@backstage/backend-plugin-api';
import { parseSeat } from '../ingest/parseRows';
import { mergeSeatsByLogin } from '../ingest/seatGrants';
import { writeReportDay } from '../ingest/writeReportDay';
import type { ImportService } from '../import/ImportService';
import {
  AnyReportKind,
  REPORT_KINDS,
  ReportKind,
  ScopeKey,
} from '../lib/scope';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { SeatRow } from '../store/types';
import { nonEmptyLines, readGzipText, reportInput } from './archivedFiles';
import { ArchivedObject, ArchiveLayout } from './layout';
import { ArchiveBucket } from './S3ArchiveBucket';

export interface RestoreSummary {
  scopes: Array<{
    scope: ScopeKey;
    days: number;
    seatSnapshots: number;
    skippedDays: string[];
  }>;
  imports: Array<{ key: string; orgDays: number; teamDays: number }>;
}

/** The archive's objects grouped as the restore reads them. */
function groupObjects(objects: ArchivedObject[]) {
  const reports = new Map<
    ScopeKey,
    Map<string, Partial<Record<AnyReportKind, string>>>
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
  imports.sort((a, b) => a.key.localeCompare(b.key));
  return { reports, seats, imports };
}

/**
 * Rebuilds the database from the archive's files alone (the lease and the refusals
 * are the caller's, {@link CopilotUsageArchive.restore}): every day with its three
 * report files through the sync's day writer, then the rollups, the seat snapshots
 * and the archived imports in the order they were made.
 */
export async function restoreFromArchive(options: {
  bucket: ArchiveBucket;
  layout: ArchiveLayout;
  store: CopilotUsageStore;
  logger: LoggerService;
  imports: Pick<ImportService, 'replay'>;
}): Promise<RestoreSummary> {
  const { bucket, layout, store, logger } = options;
  const read = async (key: string) => (await readGzipText(bucket, key)) ?? '';
  // Imports the archive missed (its bucket was down) go there first, so they are replayed.
  for (const entry of await store.getImportsToArchive()) {
    await bucket.put(entry.key, entry.content, 'application/gzip');
    await store.recordImportArchived(entry.key, {});
  }
  const { reports, seats, imports } = groupObjects(
    (await bucket.list(layout.prefix))
      .map(key => layout.parse(key))
      .filter((object): object is ArchivedObject => object !== undefined),
  );

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
      const inputs = {} as Record<ReportKind, ReturnType<typeof reportInput>>;
      for (const report of REPORT_KINDS) {
        inputs[report] = reportInput(await read(keys[report]!));
      }
      // Optional: archived only for days stored with it; absent keeps none.
      const repos = keys.repos
        ? reportInput(await read(keys.repos))
        : undefined;
      await store
        .writeDay(scope, day, writer =>
          writeReportDay({
            scope,
            day,
            reports: repos ? { ...inputs, repos } : inputs,
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
      const rows = nonEmptyLines(await read(snapshot.key))
        .map(line => parseSeat(JSON.parse(line), scope, snapshot.day))
        .filter((row): row is SeatRow => row !== undefined);
      // An archive holds each of GitHub's seat objects; the store one row per person.
      await store.replaceSeats(scope, snapshot.day, mergeSeatsByLogin(rows));
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

  for (const { scope, key } of imports) {
    const result = await options.imports.replay(await read(key), {
      file: key,
      scope,
    });
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
