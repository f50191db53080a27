/*
 * Query benchmark: the admins' team comparison of a large org over a year, as the
 * service builds it (TeamMetrics.comparison: sums of team_day and distinct counts from
 * the day bits, a few grouped reads for every team), against a baseline in the same run
 * on the same database: the same figures read from the per-day rows (team_day rows and
 * count(distinct) over team_active_user_day and user_team_day), one query a table.
 * Then one team's 365-day document, the page a member opens.
 *
 *   yarn workspace @copilot-usage/backstage-plugin-copilot-usage-backend benchmark:queries
 *
 * The rollup tables are seeded directly (deterministic, no sync): QUERY_BENCH_SIZE
 * `teams:members:days` (default 300:20:365: 6,000 people in teams over a year).
 * PostgreSQL as in the sync benchmark (skipped when unset).
 */
import { Knex } from 'knex';
import { DatabaseCopilotUsageStore } from '../src/store/DatabaseCopilotUsageStore';
import { TeamMetrics } from '../src/service/metrics/TeamMetrics';
import { addDays, daysBetween } from '../src/lib/days';
import { rebuildDayBits } from '../src/store/operations/dayBits';
import { ScopeKey } from '../src/lib/scope';
import { DepartmentTeamInput } from '../src/store/operations/departments';
import {
  BenchDatabase,
  mb,
  postgresDatabase,
  sampleRss,
  sqliteDatabase,
} from './benchDatabases';

const [TEAMS, MEMBERS, DAYS] = (process.env.QUERY_BENCH_SIZE ?? '300:20:365')
  .split(':')
  .map(Number);
const SCOPE: ScopeKey = 'org:acme';
const LAST_DAY = '2026-11-30';
const FIRST_DAY = addDays(LAST_DAY, -(DAYS - 1));
const RUNS = 5;

const slugOf = (team: number) => `team-${String(team).padStart(5, '0')}`;

/** Deterministic: member m of team t is user t*MEMBERS+m; active on a day when (user+day) % 3 !== 0. */
async function seed(knex: Knex) {
  // Under SQLite's bound-parameter limit per statement.
  const insert = async (db: Knex, table: string, rows: object[]) => {
    const size = Math.floor(900 / Object.keys(rows[0]).length);
    for (let i = 0; i < rows.length; i += size) {
      await db(table).insert(rows.slice(i, i + size));
    }
  };
  for (let d = 0; d < DAYS; d++) {
    const day = addDays(FIRST_DAY, d);
    const teamDays: object[] = [];
    const memberships: object[] = [];
    const actives: object[] = [];
    for (let t = 0; t < TEAMS; t++) {
      const slug = slugOf(t);
      let active = 0;
      for (let m = 0; m < MEMBERS; m++) {
        const user = t * MEMBERS + m;
        memberships.push({
          scope: SCOPE,
          day,
          user_id: user,
          user_login: `user-${user}`,
          team_id: t,
          team_slug: slug,
        });
        if ((user + d) % 3 !== 0) {
          active += 1;
          actives.push({ scope: SCOPE, team_slug: slug, day, user_id: user });
        }
      }
      teamDays.push({
        scope: SCOPE,
        day,
        team_slug: slug,
        team_id: t,
        member_count: MEMBERS,
        active_users: active,
        interactions: active * 7,
        code_generations: active * 5,
        code_acceptances: active * 2,
      });
    }
    await knex.transaction(async trx => {
      await insert(trx, 'team_day', teamDays);
      await insert(trx, 'user_team_day', memberships);
      await insert(trx, 'team_active_user_day', actives);
    });
  }
}

/**
 * The baseline: every team's rows, and the distinct counts from the per-day rows (as
 * before the day bits), in one grouped query per table.
 */
async function groupedReads(knex: Knex) {
  const [days, active, members] = await Promise.all([
    knex('team_day')
      .where({ scope: SCOPE })
      .whereBetween('day', [FIRST_DAY, LAST_DAY])
      .orderBy(['team_slug', 'day']),
    knex('team_active_user_day')
      .select('team_slug')
      .countDistinct({ count: 'user_id' })
      .where({ scope: SCOPE })
      .whereBetween('day', [FIRST_DAY, LAST_DAY])
      .groupBy('team_slug'),
    knex('user_team_day')
      .select('team_slug')
      .countDistinct({ count: 'user_id' })
      .where({ scope: SCOPE })
      .whereBetween('day', [FIRST_DAY, LAST_DAY])
      .groupBy('team_slug'),
  ]);
  return days.length + active.length + members.length;
}

/*
 * Department rollup: the store statement behind GET /groups/:namespace/:name/metrics for
 * a department of DEPARTMENT_TEAMS teams in four child departments, over the DAYS days.
 * Adds what the department reads beyond the team rollups: the per-user rows of the
 * active members and one person of each team in the next team too (the overlap).
 */
const DEPARTMENT_TEAMS = Math.min(TEAMS, 200);
const DEPARTMENT_RUNS = 20;
/** `QUERY_BENCH_ONLY=department` seeds and measures the department section alone. */
const ONLY_DEPARTMENT = process.env.QUERY_BENCH_ONLY === 'department';

async function seedDepartment(knex: Knex) {
  const size = 900;
  for (let d = 0; d < DAYS; d++) {
    const day = addDays(FIRST_DAY, d);
    const users: object[] = [];
    const overlap: object[] = [];
    for (let t = 0; t < TEAMS; t++) {
      for (let m = 0; m < MEMBERS; m++) {
        const user = t * MEMBERS + m;
        if ((user + d) % 3 !== 0) {
          users.push({
            scope: SCOPE,
            day,
            user_id: user,
            user_login: `user-${user}`,
            interactions: 7,
            code_generations: 5,
            used_chat: user % 2 === 0,
            raw: '{}',
          });
        }
      }
      if (t + 1 < DEPARTMENT_TEAMS) {
        const user = t * MEMBERS;
        overlap.push({
          scope: SCOPE,
          day,
          user_id: user,
          user_login: `user-${user}`,
          team_id: t + 1,
          team_slug: slugOf(t + 1),
        });
      }
    }
    await knex.transaction(async trx => {
      for (const [table, rows] of [
        ['user_day', users],
        ['user_team_day', overlap],
      ] as const) {
        const chunk = Math.floor(
          size / Object.keys(rows[0] ?? { a: 1 }).length,
        );
        for (let i = 0; i < rows.length; i += chunk) {
          await trx(table).insert(rows.slice(i, i + chunk));
        }
      }
    });
  }
}

async function departmentBenchmark(
  db: BenchDatabase,
  store: DatabaseCopilotUsageStore,
) {
  await seedDepartment(db.knex);
  if (db.knex.client.config.client === 'pg') await db.knex.raw('ANALYZE');
  // Bucket 0 the department, 1 to 4 its children of a quarter of the teams each.
  const teams: DepartmentTeamInput[] = [];
  for (let t = 0; t < DEPARTMENT_TEAMS; t++) {
    teams.push({ bucket: 0, scope: SCOPE, teamSlug: slugOf(t) });
    teams.push({
      bucket: 1 + Math.floor((t * 4) / DEPARTMENT_TEAMS),
      scope: SCOPE,
      teamSlug: slugOf(t),
    });
  }
  const times: number[] = [];
  let activeUsers = 0;
  for (let i = 0; i < DEPARTMENT_RUNS; i++) {
    const started = process.hrtime.bigint();
    const figures = await store.getDepartmentFigures({
      teams,
      from: FIRST_DAY,
      to: LAST_DAY,
      minMembers: 5,
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    activeUsers = figures.totals.find(total => total.bucket === 0)!.activeUsers;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), activeUsers };
}

async function timed(run: () => Promise<unknown>) {
  const times: number[] = [];
  const stop = sampleRss();
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const rss = stop();
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(RUNS / 2)], ...rss };
}

async function benchmark(db: BenchDatabase) {
  const store = await DatabaseCopilotUsageStore.create({
    database: { getClient: async () => db.knex },
  });
  const seeding = Date.now();
  await seed(db.knex);
  // The day bits of range distinct counts, as the rollup rebuild leaves them.
  await db.knex.transaction(trx =>
    rebuildDayBits(trx, SCOPE, daysBetween(FIRST_DAY, LAST_DAY)),
  );
  if (db.knex.client.config.client === 'pg') await db.knex.raw('ANALYZE');
  const seedSeconds = (Date.now() - seeding) / 1000;
  if (ONLY_DEPARTMENT) {
    return { seedSeconds, department: await departmentBenchmark(db, store) };
  }
  const metrics = new TeamMetrics({
    store,
    minTeamSize: 5,
    organizations: ['acme'],
  });
  const range = { from: FIRST_DAY, to: LAST_DAY };
  const owner = { kind: 'org' as const, name: 'acme' };
  const comparison = await timed(async () => {
    const rows = await metrics.comparison(owner, range, new Map());
    if (rows.length !== TEAMS) throw new Error(`${rows.length} rows`);
  });
  const grouped = await timed(() => groupedReads(db.knex));
  const document = await timed(() =>
    metrics.document(
      { owner, slug: slugOf(0), entityRef: 'group:default/t0', title: 't0' },
      range,
      { includeSuppressed: false },
    ),
  );
  const department = await departmentBenchmark(db, store);
  return { seedSeconds, comparison, grouped, document, department };
}

async function main() {
  console.log(
    `Query benchmark: ${TEAMS} teams x ${MEMBERS} members over ${DAYS} days (${
      TEAMS * MEMBERS * DAYS
    } membership rows), median of ${RUNS}`,
  );
  for (const open of [sqliteDatabase, postgresDatabase]) {
    const db = await open();
    if (!db) {
      console.log('PostgreSQL: skipped (no connection string)');
      continue;
    }
    try {
      const r = await benchmark(db);
      const department = `  department of ${DEPARTMENT_TEAMS} teams (4 children), ${DAYS} days, its store reads (getDepartmentFigures): p50 ${r.department.p50.toFixed(0)} ms, p95 ${r.department.p95.toFixed(0)} ms over ${DEPARTMENT_RUNS} runs (goal < 200 ms; ${r.department.activeUsers} distinct active people)`;
      if (!('comparison' in r)) {
        console.log(
          `${db.name}: seeded in ${r.seedSeconds.toFixed(1)} s\n${department}`,
        );
        continue;
      }
      console.log(
        [
          `${db.name}: seeded in ${r.seedSeconds.toFixed(1)} s`,
          `  team comparison (grouped reads, day bits): ${r.comparison.medianMs.toFixed(0)} ms, peak RSS ${r.comparison.peakRssMb} MB`,
          `  baseline, grouped reads of the per-day rows (1 query a table, no mapping): ${r.grouped.medianMs.toFixed(0)} ms, peak RSS ${r.grouped.peakRssMb} MB`,
          `  comparison / baseline: ${(r.comparison.medianMs / r.grouped.medianMs).toFixed(2)}`,
          `  one team's ${DAYS}-day document: ${r.document.medianMs.toFixed(0)} ms (idle RSS ${r.document.idleRssMb} MB)`,
          department,
        ].join('\n'),
      );
    } finally {
      await db.dispose();
    }
  }
  console.log(`rss at end ${mb(process.memoryUsage().rss)} MB`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
