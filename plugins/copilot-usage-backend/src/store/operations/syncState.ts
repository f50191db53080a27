import { Knex } from 'knex';
import { SyncStateStore } from '../CopilotUsageStore';
import { syncStateFromRecord, syncStatePatchToRecord } from '../records';
import { upsertPatch } from './util';

export function syncStateStore(db: Knex): SyncStateStore {
  return {
    async getSyncState(scope) {
      const record = await db('sync_state').where({ scope }).first();
      return record ? syncStateFromRecord(record) : undefined;
    },

    async updateSyncState(scope, patch) {
      await upsertPatch(db, 'sync_state', scope, syncStatePatchToRecord(patch));
    },

    async listScopes() {
      const records = await db
        .select('scope')
        .from('ingestion_log')
        .union(db.select('scope').from('sync_state'));
      return records.map(record => record.scope as string).sort();
    },
  };
}
