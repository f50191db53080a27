/* The benchmarks' databases (a SQLite file, a fresh PostgreSQL database) and RSS sampling. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';

export interface BenchDatabase {
  name: string;
  knex: Knex;
  dispose(): Promise<void>;
}

export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** The RSS of this process after a GC, then sampled every 50 ms until stopped: idle and peak in MB. */
export function sampleRss() {
  global.gc?.();
  const idle = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  let peak = idle;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return () => {
    clearInterval(timer);
    return {
      idleRssMb: mb(idle),
      peakRssMb: mb(Math.max(peak, process.memoryUsage().rss)),
      /** CPU seconds of this process (every thread) since the sampling began. */
      cpuSeconds: (({ user, system }) => (user + system) / 1e6)(
        process.cpuUsage(cpu),
      ),
    };
  };
}

export async function sqliteDatabase(): Promise<BenchDatabase> {
  const file = path.join(
    os.tmpdir(),
    `copilot-usage-bench-${process.pid}-${Date.now()}.sqlite`,
  );
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  return {
    name: 'SQLite (file)',
    knex,
    async dispose() {
      await knex.destroy();
      fs.rmSync(file, { force: true });
    },
  };
}

export async function postgresDatabase(): Promise<BenchDatabase | undefined> {
  const connectionString =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!connectionString) return undefined;
  const database = `copilot_usage_bench_${process.pid}_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: connectionString });
  await admin.raw('CREATE DATABASE ??', [database]);
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  return {
    name: 'PostgreSQL 15',
    knex,
    async dispose() {
      await knex.destroy();
      await admin.raw('DROP DATABASE IF EXISTS ??', [database]);
      await admin.destroy();
    },
  };
}
