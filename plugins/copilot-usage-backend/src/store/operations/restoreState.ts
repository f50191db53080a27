import { Knex } from 'knex';
import { ScopeKey } from '../../lib/scope';
import { RestoreStore } from '../CopilotUsageStore';
import { DbRecord, restoreStateFromRecord } from '../records';

const ROW = 'restore';

function toBuffer(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
}

/**
 * The restore's lease (one row, shared by every replica), the imported files waiting
 * for their copy to the archive, and whether the database holds anything at all.
 */
export function restoreStore(db: Knex, clock: () => Date): RestoreStore {
  return {
    async acquireRestore({ trigger, staleBefore }) {
      const now = clock().toISOString();
      await db('restore_state')
        .insert({ id: ROW, finished_at: now })
        .onConflict('id')
        .ignore();
      // One conditional update: of two replicas asking at once, one gets the row.
      const updated = await db('restore_state')
        .where({ id: ROW })
        .where(query =>
          query
            .whereNotNull('finished_at')
            .orWhereNull('heartbeat_at')
            .orWhere('heartbeat_at', '<', staleBefore),
        )
        .update({
          trigger,
          started_at: now,
          heartbeat_at: now,
          finished_at: null,
        });
      return updated === 1;
    },

    async heartbeatRestore() {
      await db('restore_state')
        .where({ id: ROW })
        .whereNull('finished_at')
        .update({ heartbeat_at: clock().toISOString() });
    },

    async finishRestore(outcome) {
      await db('restore_state')
        .where({ id: ROW })
        .update({
          finished_at: clock().toISOString(),
          ...(outcome && {
            last_error: outcome.error ?? null,
            summary:
              outcome.summary === undefined
                ? null
                : JSON.stringify(outcome.summary),
          }),
        });
    },

    async getRestoreState() {
      const record = await db('restore_state').where({ id: ROW }).first();
      return record ? restoreStateFromRecord(record) : undefined;
    },

    async isEmpty() {
      for (const table of ['ingestion_log', 'aggregate_day', 'team_day']) {
        if (await db(table).first(db.raw('1 as present'))) return false;
      }
      return true;
    },

    async addImportToArchive({ key, scope, content }) {
      await db('archive_import_backlog')
        .insert({
          key,
          scope,
          created_at: clock().toISOString(),
          content,
        })
        .onConflict('key')
        .ignore();
    },

    async getImportsToArchive(scope?: ScopeKey) {
      const query = db('archive_import_backlog').orderBy('key');
      if (scope) query.where({ scope });
      const records: DbRecord[] = await query;
      return records.map(record => ({
        key: record.key,
        scope: record.scope,
        content: toBuffer(record.content),
        attemptedAt: record.attempted_at ?? null,
        error: record.error ?? null,
      }));
    },

    async countImportsToArchive(scope) {
      const [{ count }] = await db('archive_import_backlog')
        .where({ scope })
        .count({ count: '*' });
      return Number(count);
    },

    async recordImportArchived(key, outcome) {
      if (!outcome.error) {
        await db('archive_import_backlog').where({ key }).delete();
        return;
      }
      await db('archive_import_backlog')
        .where({ key })
        .update({ attempted_at: clock().toISOString(), error: outcome.error });
    },
  };
}
