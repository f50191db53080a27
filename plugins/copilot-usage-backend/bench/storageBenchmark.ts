/*
 * Storage benchmark: a first sync of a synthetic org through the real SyncRunner into
 * a SQLite file and a fresh PostgreSQL database (when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set), then the bytes each
 * table takes (SQLite: the dbstat table, indexes counted with their table;
 * PostgreSQL: pg_total_relation_size, so indexes and TOAST included) per stored
 * user-day (a row of user_day), and the projection for 100,000 seats x 365 days.
 *
 *   yarn workspace @copilot-usage/backstage-plugin-copilot-usage-backend benchmark:storage
 *
 * BENCH_STORAGE_SIZE=users:teams:days (default 2000:100:14).
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { startGithubSimulator } from '@copilot-usage/github-simulator';
import { Knex } from 'knex';
import { GithubCopilotClient } from '../src/github/GithubCopilotClient';
import { ReportReader } from '../src/github/ReportReader';
import { SyncRunner } from '../src/ingest/SyncRunner';
import { DatabaseCopilotUsageStore } from '../src/store/DatabaseCopilotUsageStore';
import {
  BenchDatabase,
  postgresDatabase,
  sqliteDatabase,
} from './benchDatabases';

const TODAY = '2026-11-21';
const [USERS, TEAMS, DAYS] = (process.env.BENCH_STORAGE_SIZE ?? '2000:100:14')
  .split(':')
  .map(Number);
const SEATS = 100_000;
const YEAR = 365;

const quietLogger: LoggerService = {
  info: () => {},
  debug: () => {},
  warn: (message: string) => console.warn(`  warn: ${message}`),
  error: (message: string) => console.error(`  error: ${message}`),
  child: () => quietLogger,
};

/** Bytes per table, indexes included. */
async function tableBytes(knex: Knex): Promise<Map<string, number>> {
  const bytes = new Map<string, number>();
  if (knex.client.dialect === 'sqlite3') {
    const rows: Array<{ table: string; bytes: number }> = await knex.raw(
      `SELECT COALESCE(m.tbl_name, s.name) AS "table", SUM(s.pgsize) AS bytes
         FROM dbstat s LEFT JOIN sqlite_master m ON m.name = s.name
        GROUP BY 1`,
    );
    rows.forEach(row => bytes.set(row.table, Number(row.bytes)));
  } else {
    const { rows } = await knex.raw(
      `SELECT tablename AS "table", pg_total_relation_size(quote_ident(tablename)) AS bytes
         FROM pg_tables WHERE schemaname = current_schema()`,
    );
    (rows as Array<{ table: string; bytes: string }>).forEach(row =>
      bytes.set(row.table, Number(row.bytes)),
    );
  }
  return bytes;
}

async function rowCount(knex: Knex, table: string): Promise<number> {
  const [row] = await knex(table).count({ n: '*' });
  return Number(row.n);
}

interface StorageRow {
  table: string;
  rows: number;
  bytes: number;
}

async function measure(db: BenchDatabase, githubUrl: string) {
  const store = await DatabaseCopilotUsageStore.create({
    database: { getClient: async () => db.knex },
  });
  const runner = new SyncRunner({
    config: {
      organizations: ['acme'],
      backfillDays: DAYS,
      refreshDays: 3,
      concurrency: 2,
    },
    store,
    github: new GithubCopilotClient({
      baseUrl: githubUrl,
      getAuthHeaders: async () => undefined,
      logger: quietLogger,
    }),
    reader: new ReportReader({ allowedHosts: ['127.0.0.1'] }),
    clock: () => new Date(`${TODAY}T06:00:00Z`),
  });
  await runner.run({ logger: quietLogger });
  if (db.knex.client.dialect !== 'sqlite3') {
    await db.knex.raw('VACUUM ANALYZE');
  }
  const bytes = await tableBytes(db.knex);
  const rows: StorageRow[] = [];
  for (const [table, size] of bytes) {
    if (table.startsWith('knex_') || table.startsWith('sqlite_')) continue;
    rows.push({ table, rows: await rowCount(db.knex, table), bytes: size });
  }
  rows.sort((a, b) => b.bytes - a.bytes);
  const userDays = rows.find(row => row.table === 'user_day')?.rows ?? 0;
  return { database: db.name, rows, userDays };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);

async function main() {
  console.log(
    `Storage benchmark: ${USERS} users / ${TEAMS} teams, first sync of ${DAYS} days; projection for ${SEATS.toLocaleString('en-US')} seats x ${YEAR} days (every seat active every day: an upper bound)`,
  );
  const simulator = await startGithubSimulator({
    users: USERS,
    teams: TEAMS,
    today: TODAY,
    historyDays: DAYS + 5,
  });
  const databases = [await sqliteDatabase(), await postgresDatabase()].filter(
    (db): db is BenchDatabase => Boolean(db),
  );
  try {
    for (const db of databases) {
      const { database, rows, userDays } = await measure(db, simulator.url);
      const lines = [
        `| ${database} | rows | MB | bytes per user-day | projected (GB) |`,
        '| --- | --- | --- | --- | --- |',
      ];
      let total = 0;
      for (const row of rows) {
        const perUserDay = userDays ? row.bytes / userDays : 0;
        total += row.bytes;
        lines.push(
          `| ${row.table} | ${row.rows} | ${mb(row.bytes)} | ${perUserDay.toFixed(0)} | ${gb(perUserDay * SEATS * YEAR)} |`,
        );
      }
      const perUserDay = userDays ? total / userDays : 0;
      lines.push(
        `| **all tables** | ${userDays} user-days | ${mb(total)} | ${perUserDay.toFixed(0)} | ${gb(perUserDay * SEATS * YEAR)} |`,
      );
      console.log(lines.join('\n'));
      await db.dispose();
    }
    if (databases.length === 1) {
      console.log(
        '  PostgreSQL skipped (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING unset)',
      );
    }
  } finally {
    await simulator.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
