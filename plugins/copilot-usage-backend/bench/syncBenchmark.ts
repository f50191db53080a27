/*
 * Sync benchmark: a first sync of 28 days of a synthetic org through the real
 * SyncRunner into SQLite (file) and PostgreSQL, against the machine's limit measured
 * in the same run on the same files (./limitBaseline), with the RSS at idle and peak.
 * The simulator's answers are recorded once per org size and simulator source, outside
 * the repo (./recordedGithub), and replayed from disk by a child process.
 *
 *   yarn workspace @copilot-usage/backstage-plugin-copilot-usage-backend benchmark:sync
 *
 * PostgreSQL comes from BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (skipped
 * when unset); each run gets a fresh database, dropped afterwards.
 * BENCH_SIZES overrides the org sizes, e.g. BENCH_SIZES=2500:125,10000:500;
 * BENCH_DATABASES=sqlite or =postgres runs one engine (default both).
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import knexFactory from 'knex';
import { GithubCopilotClient } from '../src/github/GithubCopilotClient';
import { ReportReader } from '../src/github/ReportReader';
import { SyncRunner } from '../src/ingest/SyncRunner';
import { DatabaseCopilotUsageStore } from '../src/store/DatabaseCopilotUsageStore';
import {
  BenchDatabase,
  postgresDatabase,
  sampleRss,
  sqliteDatabase,
} from './benchDatabases';
import { runLimitBaseline } from './limitBaseline';
import {
  readRecording,
  recordingDir,
  RecordingIndex,
  startRecordingProxy,
} from './recordedGithub';

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
  /** This run's time over the limit baseline's, for the same org. */
  vsLimit?: number;
  userRows: number;
  apiRequests: number;
  downloads: number;
  idleRssMb: number;
  peakRssMb: number;
  /** CPU seconds of the benchmark process (not the simulator's, nor PostgreSQL's). */
  cpuSeconds: number;
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
async function startSimulatorProcess(
  users: number,
  teams: number,
  replayDir?: string,
) {
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
        ...(replayDir ? { BENCH_REPLAY_DIR: replayDir } : {}),
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

/** The sync the benchmark measures: a first sync of 28 days (docs/operations.md). */
function firstSync(store: DatabaseCopilotUsageStore, githubUrl: string) {
  return new SyncRunner({
    config: {
      organizations: ['acme'],
      backfillDays: 28,
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
}

/** Records the simulator's answers to a first sync of this size into `dir`. */
async function record(users: number, teams: number, dir: string) {
  const simulator = await startSimulatorProcess(users, teams);
  const proxy = await startRecordingProxy(simulator.url, dir);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: ':memory:' },
    useNullAsDefault: true,
  });
  try {
    const store = await DatabaseCopilotUsageStore.create({
      database: { getClient: async () => knex },
    });
    await firstSync(store, proxy.url).run({ logger: quietLogger });
  } finally {
    await proxy.close();
    simulator.stop();
    await knex.destroy();
  }
}

/**
 * The simulator's answers to a first sync of this size, recorded once (they take a
 * while to generate) by a child process, so that this one's idle RSS stays idle.
 */
async function recordedReports(users: number, teams: number) {
  const dir = recordingDir(`${users}x${teams}-${TODAY}`);
  if (!readRecording(dir)) {
    console.log(
      `Recording the simulator's reports of ${users} users / ${teams} teams in ${dir}...`,
    );
    const child = fork(__filename, [], {
      execArgv: process.execArgv,
      env: { ...process.env, BENCH_RECORD: `${users}:${teams}:${dir}` },
      stdio: 'inherit',
    });
    const code = await new Promise(resolve => child.once('exit', resolve));
    if (code !== 0) throw new Error(`recording failed (exit ${code})`);
  }
  return { dir, index: readRecording(dir)! };
}

async function benchmark(
  users: number,
  teams: number,
  github: Awaited<ReturnType<typeof startSimulatorProcess>>,
  db: BenchDatabase,
): Promise<Result> {
  const store = await DatabaseCopilotUsageStore.create({
    database: { getClient: async () => db.knex },
  });
  const runner = firstSync(store, github.url);
  await github.stats('resetStats');
  const stopSampling = sampleRss();
  const started = process.hrtime.bigint();
  const summary = await runner.run({ logger: quietLogger });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = stopSampling();
  const stats = await github.stats();
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
    ...rss,
    failedDays: scope.failed.length,
  };
}

async function limit(
  users: number,
  teams: number,
  github: Awaited<ReturnType<typeof startSimulatorProcess>>,
  index: RecordingIndex,
): Promise<Result> {
  await github.stats('resetStats');
  const stopSampling = sampleRss();
  const baseline = await runLimitBaseline(github.url, index, {
    concurrency: 2,
  });
  const rss = stopSampling();
  const stats = await github.stats();
  return {
    org: `${users} users / ${teams} teams`,
    database: 'limit (better-sqlite3, narrow rows)',
    seconds: baseline.seconds,
    userRows: baseline.userRows,
    apiRequests: stats.apiRequests,
    downloads: stats.downloads,
    ...rss,
    failedDays: 0,
  };
}

function printTable(results: Result[]) {
  const header = [
    'org',
    'database',
    'wall time',
    'vs limit',
    'CPU',
    'user-day rows',
    'rows/s',
    'API requests',
    'downloads',
    'idle RSS',
    'peak RSS',
    'added',
    'failed days',
  ];
  const rows = results.map(r => [
    r.org,
    r.database,
    `${r.seconds.toFixed(1)} s`,
    r.vsLimit === undefined ? '1×' : `${r.vsLimit.toFixed(1)}×`,
    `${r.cpuSeconds.toFixed(1)} s`,
    String(r.userRows),
    String(Math.round(r.userRows / r.seconds)),
    String(r.apiRequests),
    String(r.downloads),
    `${r.idleRssMb} MB`,
    `${r.peakRssMb} MB`,
    `${r.peakRssMb - r.idleRssMb} MB`,
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
    const { dir, index } = await recordedReports(users, teams);
    const github = await startSimulatorProcess(users, teams, dir);
    try {
      console.log(
        `Limit baseline on the same files, ${users} users / ${teams} teams...`,
      );
      const baseline = await limit(users, teams, github, index);
      results.push(baseline);
      const engines = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(
        ',',
      );
      const opens = [
        ...(engines.includes('sqlite') ? [sqliteDatabase] : []),
        ...(engines.includes('postgres') ? [postgresDatabase] : []),
      ];
      for (const open of opens) {
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
          const result = await benchmark(users, teams, github, db);
          result.vsLimit = result.seconds / baseline.seconds;
          results.push(result);
        } finally {
          await db.dispose();
        }
      }
    } finally {
      github.stop();
    }
  }
  console.log('');
  printTable(results);
}

const recordOnly = process.env.BENCH_RECORD?.split(':');
(recordOnly
  ? record(
      Number(recordOnly[0]),
      Number(recordOnly[1]),
      recordOnly.slice(2).join(':'),
    )
  : main()
).catch(error => {
  console.error(error);
  process.exit(1);
});
