import { Knex } from 'knex';
import { ReportKind } from '../../lib/scope';
import { ArchiveStore } from '../CopilotUsageStore';
import {
  DbRecord,
  archiveStateFromRecord,
  archiveStatePatchToRecord,
} from '../records';
import { IngestionStatus } from '../types';
import { readReportLines } from './reportLines';
import { rowsPerInsert, storedDays, upsertPatch } from './util';

/** Which stored days reached the archive, and the lines written there. */
export function archiveStore(db: Knex, clock: () => Date): ArchiveStore {
  return {
    async getDaysToArchive(scope) {
      const stored: DbRecord[] = await storedDays(db, scope).max({
        changed_at: 'updated_at',
      });
      const archived = new Map<string, string>(
        (
          await db('archive_log')
            .select('day', 'archived_at')
            .where({ scope })
            .whereNotNull('archived_at')
        ).map(record => [record.day, record.archived_at]),
      );
      return stored
        .filter(record => {
          const archivedAt = archived.get(record.day);
          return !archivedAt || archivedAt < record.changed_at;
        })
        .map(record => record.day as string);
    },

    async getReportLines(scope, day) {
      const statuses: Partial<Record<ReportKind, IngestionStatus>> = {};
      for (const record of await db('ingestion_log').where({ scope, day })) {
        statuses[record.report as ReportKind] =
          record.status as IngestionStatus;
      }
      const aggregate: string[] = await db('aggregate_day')
        .where({ scope, day, source: 'report' })
        .pluck('raw');
      const users = await readReportLines(db, scope, day, 'users');
      const userTeams = await readReportLines(db, scope, day, 'user-teams');
      return { statuses, aggregate, userTeams, users };
    },

    async recordArchiveAttempt(scope, days, outcome) {
      const now = clock().toISOString();
      const records = days.map(day => ({
        scope,
        day,
        attempted_at: now,
        error: outcome.error ?? null,
        ...(outcome.error ? {} : { archived_at: now }),
      }));
      const chunk = rowsPerInsert(db, 5);
      for (let i = 0; i < records.length; i += chunk) {
        await db('archive_log')
          .insert(records.slice(i, i + chunk))
          .onConflict(['scope', 'day'])
          // A failure keeps the time of the last successful write.
          .merge(
            outcome.error
              ? ['attempted_at', 'error']
              : ['attempted_at', 'error', 'archived_at'],
          );
      }
    },

    async getArchiveState(scope) {
      const record = await db('archive_state').where({ scope }).first();
      return record ? archiveStateFromRecord(record) : undefined;
    },

    async updateArchiveState(scope, patch) {
      const changes = archiveStatePatchToRecord(patch);
      await upsertPatch(db, 'archive_state', scope, changes);
    },
  };
}
