/*
 * Sync benchmark: 28 days of a synthetic org, from the simulator (in a child process)
 * through the real SyncRunner into SQLite (file) and PostgreSQL, with peak RSS.
 *
 *   yarn workspace @copilot-usage/backstage-plugin-copilot-usage-backend benchmark
 *
 * PostgreSQL comes from BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (skipped
 * when unset); each run gets a fresh database, dropped afterwards.
 * BENCH_SIZES overrides the org sizes, e.g. BENCH_SIZES=2500:125,10000:500.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { GithubCopilotClient } from '../src/github/GithubCopilotClient';
import { ReportReader } from '../src/github/ReportReader';
import { SyncRunner } from '../src/ingest/SyncRunner';
import { DatabaseCopilotUsageStore } from '../src/store/DatabaseCopilotUsageStore';

const TODAY = '2026-11-21';
const SIZES = (process.env.BENCH_SIZES ?? '10000:500,2500:125')
  .split(',')
  .map(size => {
    const [users, teams] = size.split(':').map(Number);
    return { users, teams };
  });

interface SimulatorStats {
  apiRequests: number;
  downloads: number;
  downloadsWithAuthorization: number;
}

interface Result {
  org: string;
  database: string;
  seconds: number;
  userRows: number;
  apiRequests: number;
  downloads: number;
  peakRssMb: number;
  failedDays: number;
}

const benchStart = Date.now();
const quietLogger: LoggerService = {
  info: (message: string) => {
    if (process.env.BENCH_VERBOSE)
      console.log(
        `  ${((Date.now() - benchStart) / 1000).toFixed(2)}s ${message}`,
      );
  },
  debug: () => {},
  warn: (message: string) => console.warn(`  warn: ${message}`),
  error: (message: string) => console.error(`  error: ${message}`),
  child: () => quietLogger,
};

/** Starts the simulator in a child process and talks to it over IPC. */
async function startSimulatorProcess(users: number, teams: number) {
  const child: ChildProcess = fork(
    path.join(__dirname, 'simulatorProcess.ts'),
    [],
    {
      execArgv: [
        '-r',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      env: {
        ...process.env,
        BENCH_USERS: String(users),
        BENCH_TEAMS: String(teams),
        BENCH_TODAY: TODAY,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onExit = (code: number) =>
        reject(new Error(`simulator exited with ${code}`));
      const onMessage = (message: any) => {
        if (message.type === type) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(message);
        }
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { url } = await next<{ url: string }>('ready');
  return {
    url,
    async stats(
      type: 'stats' | 'resetStats' = 'stats',
    ): Promise<SimulatorStats> {
      const reply = next<{ stats: SimulatorStats }>('stats');
      child.send({ type });
      return (await reply).stats;
    },
    stop() {
      child.disconnect();
    },
  };
}

/** Samples the RSS of this process every 50 ms; returns the peak in MB. */
function sampleRss() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
  };
}

async function sqliteDatabase(): Promise<{
  name: string;
  knex: Knex;
  dispose(): Promise<void>;
}> {
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

async function postgresDatabase(): Promise<
  { name: string; knex: Knex; dispose(): Promise<void> } | undefined
> {
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

async function benchmark(
  users: number,
  teams: number,
  simulator: Awaited<ReturnType<typeof startSimulatorProcess>>,
  db: Awaited<ReturnType<typeof sqliteDatabase>>,
): Promise<Result> {
  const store = await DatabaseCopilotUsageStore.create({
    database: { getClient: async () => db.knex },
  });
  const runner = new SyncRunner({
    config: {
      organizations: ['acme'],
      // The benchmark measures a first sync of 28 days (docs/operations.md).
      backfillDays: 28,
      refreshDays: 3,
      concurrency: 2,
    },
    store,
    github: new GithubCopilotClient({
      baseUrl: simulator.url,
      getAuthHeaders: async () => undefined,
      logger: quietLogger,
    }),
    reader: new ReportReader({ allowedHosts: ['127.0.0.1'] }),
    clock: () => new Date(`${TODAY}T06:00:00Z`),
  });
  await simulator.stats('resetStats');
  global.gc?.();
  const stopSampling = sampleRss();
  const started = process.hrtime.bigint();
  const summary = await runner.run({ logger: quietLogger });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssMb = stopSampling();
  const stats = await simulator.stats();
  if (stats.downloadsWithAuthorization !== 0)
    throw new Error('credentials were sent to the download host');
  const [scope] = summary.scopes;
  return {
    org: `${users} users / ${teams} teams`,
    database: db.name,
    seconds,
    userRows: scope.userRows,
    apiRequests: stats.apiRequests,
    downloads: stats.downloads,
    peakRssMb,
    failedDays: scope.failed.length,
  };
}

function printTable(results: Result[]) {
  const header = [
    'org',
    'database',
    'wall time',
    'user-day rows',
    'rows/s',
    'API requests',
    'downloads',
    'peak RSS',
    'failed days',
  ];
  const rows = results.map(r => [
    r.org,
    r.database,
    `${r.seconds.toFixed(1)} s`,
    String(r.userRows),
    String(Math.round(r.userRows / r.seconds)),
    String(r.apiRequests),
    String(r.downloads),
    `${r.peakRssMb} MB`,
    String(r.failedDays),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map(row => row[i].length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach(row => console.log(line(row)));
}

async function main() {
  if (!global.gc) {
    console.warn('Run with --expose-gc for a clean memory baseline.');
  }
  const results: Result[] = [];
  for (const { users, teams } of SIZES) {
    const simulator = await startSimulatorProcess(users, teams);
    try {
      for (const open of [sqliteDatabase, postgresDatabase]) {
        const db = await open();
        if (!db) {
          console.warn(
            'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING not set: PostgreSQL skipped',
          );
          continue;
        }
        try {
          console.log(
            `Syncing 28 days of ${users} users / ${teams} teams into ${db.name}...`,
          );
          results.push(await benchmark(users, teams, simulator, db));
        } finally {
          await db.dispose();
        }
      }
    } finally {
      simulator.stop();
    }
  }
  console.log('');
  printTable(results);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
