/*
 * Load benchmark: 50 concurrent clients on the metrics routes of the real backend
 * (./loadServer, a child process: Backstage's own auth, userInfo, httpRouter and
 * permissions services, the real permission backend with this repo's policy, a first
 * sync of the simulator's enterprise), on SQLite and on PostgreSQL when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set. Members (user tokens)
 * ask for their own team and /me, admins for the org, the enterprise, the team
 * comparison and any team. The baseline, in the same run on the same server, is a
 * trivial authenticated route (the token check and nothing else), so the ratios say
 * what the metrics routes add.
 *
 *   yarn workspace @copilot-usage/backstage-plugin-copilot-usage-backend benchmark:load
 *
 * BENCH_LOAD_REQUESTS (default 4000) requests per phase, BENCH_LOAD_CLIENTS (default
 * 50), BENCH_LOAD_DAYS (default 35) days of history synced.
 */
import { ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

const REQUESTS = Number(process.env.BENCH_LOAD_REQUESTS ?? 4000);
const CLIENTS = Number(process.env.BENCH_LOAD_CLIENTS ?? 50);
/** One client in five is an admin. */
const ADMIN_SHARE = 5;

interface Ready {
  type: 'ready';
  url: string;
  database: string;
  syncSeconds: number;
  members: Array<{ userRef: string; teams: string[]; token: string }>;
  admins: Array<{ userRef: string; token: string }>;
  teams: string[];
}

interface Client {
  token: string;
  paths: string[];
}

interface PhaseResult {
  name: string;
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  cpuMsPerRequest: number;
  errors: number;
  statuses: Map<number, number>;
}

const API = '/api/copilot-usage';

function clientsOf(ready: Ready): Client[] {
  return Array.from({ length: CLIENTS }, (_, i) => {
    if (i % ADMIN_SHARE === 0) {
      const admin = ready.admins[(i / ADMIN_SHARE) % ready.admins.length];
      const team = ready.teams[i % ready.teams.length];
      return {
        token: admin.token,
        paths: [
          `${API}/orgs/acme/metrics`,
          `${API}/enterprises/acme-corp/metrics`,
          `${API}/orgs/acme/teams`,
          `${API}/teams/${team}/metrics`,
          `${API}/me/metrics`,
        ],
      };
    }
    const member = ready.members[i % ready.members.length];
    return {
      token: member.token,
      paths: [
        ...member.teams.map(team => `${API}/teams/${team}/metrics`),
        `${API}/me/metrics`,
      ],
    };
  });
}

function startServer(db: 'sqlite' | 'postgres') {
  const child = fork(path.join(__dirname, 'loadServer.ts'), [], {
    execArgv: [
      '-r',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    env: { ...process.env, BENCH_LOAD_DB: db },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<Ready>((resolve, reject) => {
    const listener = (message: { type?: string }) => {
      if (message?.type !== 'ready') return;
      child.off('message', listener);
      resolve(message as Ready);
    };
    child.on('message', listener);
    child.once('exit', code =>
      reject(new Error(`load server exited with ${code}`)),
    );
  });
  return { child, ready };
}

/** Asks the child something over IPC and waits for the answer of type `reply`. */
function ask(
  child: ChildProcess,
  message: object,
  reply: string,
): Promise<{ type: string; file?: string }> {
  return new Promise(resolve => {
    const listener = (answer: { type?: string; file?: string }) => {
      if (answer?.type !== reply) return;
      child.off('message', listener);
      resolve(answer as { type: string; file?: string });
    };
    child.on('message', listener);
    child.send(message);
  });
}

/** The child's CPU time (user + system) so far, in ms. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise(resolve => {
    const listener = (message: {
      type?: string;
      cpu?: { user: number; system: number };
    }) => {
      if (message?.type !== 'cpu' || !message.cpu) return;
      child.off('message', listener);
      resolve((message.cpu.user + message.cpu.system) / 1000);
    };
    child.on('message', listener);
    child.send({ type: 'cpu' });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS * 2 });

function get(url: URL, token: string): Promise<{ status: number; ms: number }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent, headers: { authorization: `Bearer ${token}` } },
      res => {
        res.on('data', () => {});
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - start) / 1e6,
          }),
        );
      },
    );
    req.on('error', reject);
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/** `requests` requests from the clients at once, each client one request at a time. */
async function phase(
  name: string,
  base: string,
  clients: Client[],
  requests: number,
  child: ChildProcess,
): Promise<PhaseResult> {
  let issued = 0;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const cpuBefore = await cpuOf(child);
  const started = process.hrtime.bigint();
  await Promise.all(
    clients.map(async (client, c) => {
      let i = c;
      while (issued < requests) {
        issued++;
        const target = new URL(client.paths[i++ % client.paths.length], base);
        const { status, ms } = await get(target, client.token);
        latencies.push(ms);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuMs = (await cpuOf(child)) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const errors = [...statuses].reduce(
    (sum, [status, count]) => sum + (status >= 400 ? count : 0),
    0,
  );
  return {
    name,
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpuMsPerRequest: cpuMs / latencies.length,
    errors,
    statuses,
  };
}

async function runOn(db: 'sqlite' | 'postgres') {
  const { child, ready } = startServer(db);
  try {
    const server = await ready;
    console.log(
      `  ${server.database}: first sync of the simulator's enterprise in ${server.syncSeconds.toFixed(1)} s`,
    );
    const clients = clientsOf(server);
    const baselineClients = clients.map(client => ({
      token: client.token,
      paths: ['/api/bench/ping'],
    }));
    // Warm-up: the JIT, the caches that any first request fills.
    await phase('warm-up', server.url, clients, 300, child);
    const baseline = await phase(
      'baseline: authenticated ping',
      server.url,
      baselineClients,
      REQUESTS,
      child,
    );
    const profiling = process.env.BENCH_LOAD_CPU_PROF;
    if (profiling)
      await ask(child, { type: 'profile-start' }, 'profile-started');
    const metrics = await phase(
      'metrics routes',
      server.url,
      clients,
      REQUESTS,
      child,
    );
    if (profiling) {
      const { file } = await ask(
        child,
        { type: 'profile-stop', name: `load-${db}-${Date.now()}` },
        'profile-stopped',
      );
      console.log(`  CPU profile of the metrics phase: ${file}`);
    }
    return { database: server.database, baseline, metrics };
  } finally {
    child.disconnect();
    await new Promise(resolve => child.once('exit', resolve));
  }
}

function table(
  rows: Array<{
    database: string;
    baseline: PhaseResult;
    metrics: PhaseResult;
  }>,
) {
  const lines = [
    '| database | route | requests | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { database, baseline, metrics } of rows) {
    for (const r of [baseline, metrics]) {
      lines.push(
        `| ${database} | ${r.name} | ${r.requests} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.cpuMsPerRequest.toFixed(2)} | ${r.errors} |`,
      );
    }
    lines.push(
      `| ${database} | ratio metrics / baseline | | ${(metrics.perSecond / baseline.perSecond).toFixed(2)} | ${(metrics.p50 / baseline.p50).toFixed(1)} | ${(metrics.p95 / baseline.p95).toFixed(1)} | ${(metrics.p99 / baseline.p99).toFixed(1)} | ${(metrics.cpuMsPerRequest / baseline.cpuMsPerRequest).toFixed(1)} | |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  console.log(
    `Load benchmark: ${CLIENTS} concurrent clients (one in ${ADMIN_SHARE} an admin), ${REQUESTS} requests per phase`,
  );
  const results = [await runOn('sqlite')];
  if (process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING) {
    results.push(await runOn('postgres'));
  } else {
    console.log(
      '  PostgreSQL skipped (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING unset)',
    );
  }
  console.log(table(results));
  for (const { database, metrics } of results) {
    const statuses = [...metrics.statuses]
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ');
    console.log(`  ${database} metrics statuses: ${statuses}`);
  }
  agent.destroy();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
