import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { CopilotUsageStore } from './CopilotUsageStore';
import { archiveStore } from './operations/archiveState';
import { dayStore, importStore } from './operations/dayWriter';
import { metricsQueries, teamMembershipReader } from './operations/queries';
import { repoQueries } from './operations/repoDays';
import { restoreStore } from './operations/restoreState';
import { rollupStore } from './operations/rollups';
import { syncStateStore } from './operations/syncState';
import { userErasureStore } from './operations/erasure';
import { userFieldQueries } from './operations/userFields';
import { departmentQueries } from './operations/departments';

const migrationsDir = resolvePackagePath(
  '@copilot-usage/backstage-plugin-copilot-usage-backend',
  'migrations',
);

/**
 * The Knex implementation of {@link CopilotUsageStore}, for SQLite and PostgreSQL:
 * one object per role (see `./operations`), composed into one store.
 */
export interface DatabaseCopilotUsageStore extends CopilotUsageStore {}

/** WAL pages (4 KB each, SQLite's default page size) between automatic checkpoints. */
const WAL_CHECKPOINT_PAGES = 16384;

export class DatabaseCopilotUsageStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    /** Stamps the ingestion log (when a day was last checked); tests pin it. */
    clock?: () => Date;
  }): Promise<DatabaseCopilotUsageStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (
      (client.client as { driverName?: string }).driverName === 'better-sqlite3'
    ) {
      // A SQLite file (this plugin's own): with the default rollback journal every day's
      // commit syncs twice, a tenth of a first sync. WAL commits append to one log.
      await client.raw('PRAGMA journal_mode = WAL');
      await client.raw('PRAGMA synchronous = NORMAL');
      // A checkpoint every 64 MB of log, not SQLite's default 4 MB: a first sync spent
      // two thirds of its commits in checkpoints that rewrote the same index pages
      // (bench/README.md). The log stays bounded, and shrinks back to 64 MB after one.
      await client.raw(`PRAGMA wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      await client.raw(
        `PRAGMA journal_size_limit = ${WAL_CHECKPOINT_PAGES * 4096}`,
      );
    }
    if (!database.migrations?.skip && !skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseCopilotUsageStore(
      client,
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(db: Knex, clock: () => Date) {
    Object.assign(
      this,
      dayStore(db, clock),
      rollupStore(db),
      syncStateStore(db),
      metricsQueries(db),
      teamMembershipReader(db),
      archiveStore(db, clock),
      restoreStore(db, clock),
      importStore(db),
      userErasureStore(db),
      repoQueries(db),
      userFieldQueries(db),
      departmentQueries(db),
    );
  }
}
