/*
 * The query benchmark's databases, kept between runs: seeding a year of 100,000 users
 * takes minutes, reading it milliseconds. A database is named by its size and the seed
 * version and reused when its seed finished (the `bench_seed` marker); never in the repo.
 *
 * - PostgreSQL: a database `copilot_usage_qbench_<name>` on the test server.
 * - SQLite: a file in `<tmpdir>/copilot-usage-query-bench/`.
 * `QUERY_BENCH_FRESH=1` drops them first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';

export interface CachedDatabase {
  name: string;
  knex: Knex;
  /** Whether the seed of this name already finished (reuse it). */
  seeded: boolean;
  /** Marks the seed finished. */
  markSeeded(): Promise<void>;
  close(): Promise<void>;
}

const FRESH = process.env.QUERY_BENCH_FRESH === '1';

async function isSeeded(knex: Knex) {
  if (!(await knex.schema.hasTable('bench_seed'))) return false;
  const [row] = await knex('bench_seed').select('done');
  return Boolean(row?.done);
}

async function markSeeded(knex: Knex) {
  await knex.schema.createTable('bench_seed', table => {
    table.integer('done');
  });
  await knex('bench_seed').insert({ done: 1 });
}

export async function cachedSqlite(name: string): Promise<CachedDatabase> {
  const directory = path.join(os.tmpdir(), 'copilot-usage-query-bench');
  fs.mkdirSync(directory, { recursive: true });
  const file = path.join(directory, `${name}.sqlite`);
  const open = () =>
    knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
  let knex = open();
  if (FRESH || !(await isSeeded(knex))) {
    await knex.destroy();
    fs.rmSync(file, { force: true });
    knex = open();
  }
  return {
    name: 'SQLite (file)',
    knex,
    seeded: await isSeeded(knex),
    markSeeded: () => markSeeded(knex),
    close: () => knex.destroy(),
  };
}

export async function cachedPostgres(
  name: string,
): Promise<CachedDatabase | undefined> {
  const connectionString =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!connectionString) return undefined;
  const database = `copilot_usage_qbench_${name}`;
  const admin = knexFactory({ client: 'pg', connection: connectionString });
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  const open = () => knexFactory({ client: 'pg', connection: url.toString() });
  try {
    const exists = await admin('pg_database')
      .where({ datname: database })
      .first('datname');
    let knex: Knex | undefined;
    if (exists) {
      knex = open();
      if (FRESH || !(await isSeeded(knex))) {
        await knex.destroy();
        knex = undefined;
        await admin.raw('DROP DATABASE ??', [database]);
      }
    }
    if (!knex) {
      await admin.raw('CREATE DATABASE ??', [database]);
      knex = open();
    }
    const connected = knex;
    return {
      name: 'PostgreSQL 15',
      knex: connected,
      seeded: await isSeeded(connected),
      markSeeded: () => markSeeded(connected),
      close: () => connected.destroy(),
    };
  } finally {
    await admin.destroy();
  }
}
