/*
 * Query benchmark: what the metrics routes read over a year of a large org, p50 and
 * p95, at 10,000 users / 500 teams and 100,000 users / 5,000 teams:
 * - one team's 365-day document (TeamMetrics.document, a member's page);
 * - the org's document, uncached (a new OrgMetrics each run, so none of its read
 *   caches; the enterprise's document is the same code and store path on another scope);
 * - the admins' team comparison of every team (TeamMetrics.comparison);
 * - a department of 200 teams in four children (the store's getDepartmentFigures);
 * - baselines in the same run on the same database: the comparison's figures grouped
 *   from the per-day rows (team_day, count(distinct) over team_active_user_day and
 *   user_team_day), and the org's daily feature users and AI credits grouped from
 *   user_day (how getDailyFeatureUsers and getDailyUserFields read before scope_day).
 *
 *   yarn workspace @copilot-usage/backstage-plugin-copilot-usage-backend benchmark:queries
 *
 * Every table a sync fills is seeded with SQL (INSERT ... SELECT over small helper
 * tables, a day per statement), per-user rows included: user_day, user_team_day,
 * team_active_user_day (100,000 users x 365 days: 24 million active user-days and 36
 * million memberships), and the rollups (team_day, breakdown_day, scope_day, the day
 * bits, aggregate_day, the ingestion log, the client version intervals and each
 * person's latest one, team_month and breakdown_month). Deterministic:
 * user u is in team floor(u / members) (the first member of each of the department's
 * teams also in the next team) and active on day d when (u + d) % 3 !== 0.
 * The seeded databases are kept between runs (./queryDatabases.ts).
 *
 * Environment: QUERY_BENCH_SIZES `users:teams,...` (default `10000:500,100000:5000`),
 * QUERY_BENCH_DAYS (365), QUERY_BENCH_RUNS (20), QUERY_BENCH_SQLITE_MAX_USERS (10000:
 * larger sizes PostgreSQL only), QUERY_BENCH_FRESH=1 to seed again. PostgreSQL as in the
 * sync benchmark (skipped when unset).
 */
import { Knex } from 'knex';
import { DatabaseCopilotUsageStore } from '../src/store/DatabaseCopilotUsageStore';
import { TeamMetrics } from '../src/service/metrics/TeamMetrics';
import { OrgMetrics } from '../src/service/metrics/OrgMetrics';
import { addDays, daysBetween } from '../src/lib/days';
import {
  DAY_BIT_WORDS,
  countUsersInRange,
  yearMasks,
} from '../src/store/operations/dayBits';
import { rebuildScopeDays } from '../src/store/operations/scopeDays';
import { rebuildBreakdownMonths } from '../src/store/operations/breakdownMonths';
import { rebuildTeamMonths } from '../src/store/operations/teamMonths';
import { rebuildLastDays } from '../src/store/operations/lastDays';
import { REPORT_KINDS, ScopeKey } from '../src/lib/scope';
import { DepartmentTeamInput } from '../src/store/operations/departments';
import { mb, sampleRss } from './benchDatabases';
import { CachedDatabase, cachedPostgres, cachedSqlite } from './queryDatabases';

/** Bump when the seed changes: cached databases of another version are not reused. */
const SEED_VERSION = 1;
const SIZES = (process.env.QUERY_BENCH_SIZES ?? '10000:500,100000:5000')
  .split(',')
  .map(size => {
    const [users, teams] = size.split(':').map(Number);
    return { users, teams };
  });
const DAYS = Number(process.env.QUERY_BENCH_DAYS ?? 365);
const RUNS = Number(process.env.QUERY_BENCH_RUNS ?? 20);
const SQLITE_MAX_USERS = Number(
  process.env.QUERY_BENCH_SQLITE_MAX_USERS ?? 10000,
);
const SCOPE: ScopeKey = 'org:acme';
const LAST_DAY = '2026-11-30';
const FIRST_DAY = addDays(LAST_DAY, -(DAYS - 1));
const ALL_DAYS = daysBetween(FIRST_DAY, LAST_DAY);
const DEPARTMENT_TEAMS = 200;
const MIN_TEAM_SIZE = 5;

const slugOf = (team: number) => `team-${String(team).padStart(5, '0')}`;

interface Size {
  users: number;
  teams: number;
}

async function insertRows(db: Knex, table: string, rows: object[]) {
  if (rows.length === 0) return;
  // Under SQLite's bound-parameter limit per statement.
  const size = Math.floor(900 / Object.keys(rows[0]).length);
  for (let i = 0; i < rows.length; i += size) {
    await db(table).insert(rows.slice(i, i + size));
  }
}

/** `(u.r + d.dm) % 3 <> 0`: user u active on day d. */
const ACTIVE = '(u.r + d.dm) % 3 <> 0';

async function seed(knex: Knex, { users, teams }: Size) {
  const members = Math.floor(users / teams);
  const log = (what: string) =>
    console.log(`    ${new Date().toISOString().slice(11, 19)} ${what}`);
  for (const table of [
    'bench_users',
    'bench_days',
    'bench_teams',
    'bench_keys',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.schema.createTable('bench_users', table => {
    table.integer('u').primary();
    table.string('login');
    table.integer('team');
    table.string('slug');
    table.integer('r');
    // The department's overlap: also a member of the next team.
    table.integer('next_team').nullable();
    table.string('next_slug').nullable();
  });
  await knex.schema.createTable('bench_days', table => {
    table.integer('d').primary();
    table.string('day');
    table.integer('dm');
  });
  await knex.schema.createTable('bench_teams', table => {
    table.integer('t').primary();
    table.string('slug');
  });
  await knex.schema.createTable('bench_keys', table => {
    table.string('dimension');
    table.string('key');
    table.integer('team');
  });
  const userRows = [];
  for (let u = 0; u < users; u++) {
    const team = Math.floor(u / members);
    const overlap =
      u % members === 0 && team + 1 < Math.min(teams, DEPARTMENT_TEAMS);
    userRows.push({
      u,
      login: `user-${u}`,
      team,
      slug: slugOf(team),
      r: u % 3,
      next_team: overlap ? team + 1 : null,
      next_slug: overlap ? slugOf(team + 1) : null,
    });
  }
  await insertRows(knex, 'bench_users', userRows);
  await insertRows(
    knex,
    'bench_days',
    ALL_DAYS.map((day, d) => ({ d, day, dm: d % 3 })),
  );
  await insertRows(
    knex,
    'bench_teams',
    Array.from({ length: teams }, (_, t) => ({ t, slug: slugOf(t) })),
  );
  const keys = {
    ide: ['vscode', 'jetbrains', 'visualstudio', 'neovim', 'xcode', 'eclipse'],
    language: ['typescript', 'python', 'java', 'go', 'rust', 'csharp'],
    feature: [
      'code_completion',
      'chat_panel_ask_mode',
      'agent_edit',
      'chat_inline',
      'code_review',
      'cli',
    ],
    model: [
      'gpt-4.1',
      'claude-sonnet-4',
      'gemini-2.5-pro',
      'o3-mini',
      'gpt-5',
      'default',
    ],
    thirdPartyAgent: ['none', 'claude', 'codex', 'jules', 'devin', 'other'],
  };
  await insertRows(
    knex,
    'bench_keys',
    Object.entries(keys).flatMap(([dimension, values]) =>
      values.map((key, i) => ({ dimension, key, team: i < 1 ? 1 : 0 })),
    ),
  );
  const withRaw = await knex.schema.hasColumn('user_day', 'raw');
  const teamsWithRaw = await knex.schema.hasColumn('user_team_day', 'raw');
  const aggregateRaw = await knex.schema.hasColumn('aggregate_day', 'raw');
  for (let d = 0; d < DAYS; d++) {
    await knex.transaction(async trx => {
      await trx.raw(
        `INSERT INTO user_team_day (scope, day, user_id, user_login, team_id, team_slug${teamsWithRaw ? ', raw' : ''})
         SELECT ?, d.day, u.u, u.login, u.team, u.slug${teamsWithRaw ? `, '{}'` : ''}
         FROM bench_users u CROSS JOIN bench_days d WHERE d.d = ?
         UNION ALL
         SELECT ?, d.day, u.u, u.login, u.next_team, u.next_slug${teamsWithRaw ? `, '{}'` : ''}
         FROM bench_users u CROSS JOIN bench_days d WHERE d.d = ? AND u.next_team IS NOT NULL`,
        [SCOPE, d, SCOPE, d],
      );
      await trx.raw(
        `INSERT INTO team_active_user_day (scope, team_slug, day, user_id)
         SELECT ?, u.slug, d.day, u.u FROM bench_users u CROSS JOIN bench_days d
         WHERE d.d = ? AND ${ACTIVE}
         UNION ALL
         SELECT ?, u.next_slug, d.day, u.u FROM bench_users u CROSS JOIN bench_days d
         WHERE d.d = ? AND ${ACTIVE} AND u.next_team IS NOT NULL`,
        [SCOPE, d, SCOPE, d],
      );
      await trx.raw(
        `INSERT INTO user_day (scope, day, user_id, user_login, interactions, code_generations,
           code_acceptances, loc_added, used_chat, used_agent, used_cli, used_cloud_agent,
           used_copilot_app, ai_credits_used${withRaw ? ', raw' : ''})
         SELECT ?, d.day, u.u, u.login, 7, 5, 2, u.u % 50, (u.u % 2 = 0), (u.u % 5 = 0),
           (u.u % 7 = 0), (u.u % 11 = 0), (u.u % 13 = 0),
           CASE WHEN u.u % 4 = 0 THEN NULL ELSE (u.u % 10) * 0.25 END${withRaw ? `, '{}'` : ''}
         FROM bench_users u CROSS JOIN bench_days d WHERE d.d = ? AND ${ACTIVE}`,
        [SCOPE, d],
      );
      const flag = (column: string) =>
        `SUM(CASE WHEN x.${column} THEN 1 ELSE 0 END)`;
      await trx.raw(
        `INSERT INTO team_day (scope, day, team_slug, team_id, member_count, active_users,
           weekly_active_users, monthly_active_users, chat_users, agent_users, cli_users,
           cloud_agent_users, copilot_app_users, ai_credits, interactions, code_generations,
           code_acceptances, loc_added)
         SELECT ?, x.day, u.slug, MAX(u.team), ${members}, COUNT(*), ${members}, ${members},
           ${flag('used_chat')}, ${flag('used_agent')}, ${flag('used_cli')},
           ${flag('used_cloud_agent')}, ${flag('used_copilot_app')}, SUM(x.ai_credits_used),
           SUM(x.interactions), SUM(x.code_generations), SUM(x.code_acceptances), SUM(x.loc_added)
         FROM user_day x JOIN bench_users u ON u.u = x.user_id
         WHERE x.scope = ? AND x.day = ? GROUP BY x.day, u.slug`,
        [SCOPE, SCOPE, ALL_DAYS[d]],
      );
      await trx.raw(
        `INSERT INTO breakdown_day (scope, day, subject, dimension, key, interactions,
           code_generations, code_acceptances, users)
         SELECT ?, d.day, 'org', k.dimension, k.key, ${users}, ${users}, ${users}, ${Math.floor(users / 6)}
         FROM bench_keys k CROSS JOIN bench_days d WHERE d.d = ?
         UNION ALL
         SELECT ?, d.day, 'team:' || t.slug, k.dimension, k.key, 70, 50, 20, ${members}
         FROM bench_teams t CROSS JOIN bench_keys k CROSS JOIN bench_days d
         WHERE d.d = ? AND k.team = 1`,
        [SCOPE, d, SCOPE, d],
      );
      await rebuildScopeDays(trx, SCOPE, [ALL_DAYS[d]]);
    });
    if (d % 30 === 29 || d === DAYS - 1) log(`day ${d + 1} of ${DAYS}`);
  }
  await knex.raw(
    `INSERT INTO aggregate_day (scope, day, daily_active_users, weekly_active_users,
       monthly_active_users, interactions, code_generations, code_acceptances${aggregateRaw ? ', raw' : ''})
     SELECT scope, day, users, ${users}, ${users}, users * 7, users * 5, users * 2${aggregateRaw ? `, '{}'` : ''}
     FROM scope_day WHERE scope = ?`,
    [SCOPE],
  );
  const updatedAt = new Date().toISOString();
  for (const report of REPORT_KINDS) {
    await knex.raw(
      `INSERT INTO ingestion_log (scope, day, report, status, rows, source, updated_at)
       SELECT ?, day, ?, 'complete', 0, 'github', ? FROM bench_days`,
      [SCOPE, report, updatedAt],
    );
  }
  await knex.raw(
    `INSERT INTO user_client_version (scope, user_id, user_login, client, version, plugin,
       plugin_version, first_day, last_day)
     SELECT ?, u.u, u.login, 'vscode', '1.10' || (u.u % 5), 'copilot-chat', '0.3' || (u.u % 7), ?, ?
     FROM bench_users u
     UNION ALL
     SELECT ?, u.u, u.login, 'cli', '0.0.3' || (u.u % 3), '', '', ?, ?
     FROM bench_users u WHERE u.u % 4 = 0`,
    [SCOPE, FIRST_DAY, LAST_DAY, SCOPE, FIRST_DAY, LAST_DAY],
  );
  // Each person's one interval per client is their latest (user_client_latest).
  await knex.raw(
    `INSERT INTO user_client_latest (scope, user_id, client, user_login, version, plugin,
       plugin_version, first_day, last_day)
     SELECT scope, user_id, client, user_login, version, plugin, plugin_version, first_day,
       last_day
     FROM user_client_version WHERE scope = ?`,
    [SCOPE],
  );
  // The month rollups, as the rollup rebuild leaves them (the cached databases of
  // earlier runs got them from their migrations).
  log('team and breakdown months');
  await knex.transaction(async trx => {
    await rebuildTeamMonths(trx, SCOPE, ALL_DAYS);
    await rebuildBreakdownMonths(trx, SCOPE, ALL_DAYS);
  });
  log('day bits');
  await seedDayBits(knex);
  log('last days');
  await knex.transaction(trx => rebuildLastDays(trx, SCOPE, ALL_DAYS));
  await knex.raw('ANALYZE');
}

/**
 * The day bits as the rollup rebuild leaves them: a person's active days depend on
 * u % 3 only, so three masks a year (every day of the range for the member bits).
 */
async function seedDayBits(knex: Knex) {
  const activeDays = [0, 1, 2].map(r =>
    yearMasks(ALL_DAYS.filter((_, d) => (r + d) % 3 !== 0)),
  );
  const memberDays = yearMasks(ALL_DAYS);
  for (const [year, memberWords] of memberDays) {
    const words = Array.from({ length: DAY_BIT_WORDS }, (_, w) => w);
    const active = words.map(
      w =>
        `CASE u.r ${[0, 1, 2]
          .map(r => `WHEN ${r} THEN ${activeDays[r].get(year)?.[w] ?? 0n}`)
          .join(' ')} END`,
    );
    const activeColumns = words.map(w => `active_w${w}`).join(', ');
    const memberColumns = words.map(w => `member_w${w}`).join(', ');
    await knex.raw(
      `INSERT INTO scope_user_year (scope, year, user_id, ${activeColumns})
       SELECT ?, ${year}, u.u, ${active.join(', ')} FROM bench_users u`,
      [SCOPE],
    );
    const members = memberWords.map(String).join(', ');
    await knex.raw(
      `INSERT INTO team_user_year (scope, team_slug, year, user_id, ${activeColumns}, ${memberColumns})
       SELECT ?, u.slug, ${year}, u.u, ${active.join(', ')}, ${members} FROM bench_users u
       UNION ALL
       SELECT ?, u.next_slug, ${year}, u.u, ${active.join(', ')}, ${members} FROM bench_users u
       WHERE u.next_team IS NOT NULL`,
      [SCOPE, SCOPE],
    );
  }
}

/** The comparison's figures from the per-day rows, one grouped query a table. */
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
  return { rows: days.length, active, members };
}

/** The org's daily figures of the per-user rows as read before scope_day: user_day grouped per day. */
async function userDayGrouped(knex: Knex) {
  const usersWith = (flag: string) =>
    knex.raw(`SUM(CASE WHEN ${flag} THEN 1 ELSE 0 END)`);
  const grouped = () =>
    knex('user_day')
      .where({ scope: SCOPE })
      .whereBetween('day', [FIRST_DAY, LAST_DAY])
      .groupBy('day')
      .orderBy('day');
  const [features, fields] = await Promise.all([
    grouped().select('day', {
      chat_users: usersWith('used_chat'),
      agent_users: usersWith('used_agent'),
      cli_users: usersWith('used_cli'),
    }),
    grouped().select('day', {
      cloud_agent_users: usersWith('used_cloud_agent'),
      copilot_app_users: usersWith('used_copilot_app'),
      ai_credits: knex.raw('SUM(ai_credits_used)'),
    }),
  ]);
  return features.length + fields.length;
}

interface Timing {
  p50: number;
  p95: number;
  peakRssMb: number;
  idleRssMb: number;
}

async function timed(
  runs: number,
  run: (i: number) => Promise<unknown>,
): Promise<Timing> {
  await run(runs); // warm-up
  const times: number[] = [];
  const stop = sampleRss();
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const rss = stop();
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), ...rss };
}

async function benchmark(db: CachedDatabase, size: Size) {
  const store = await DatabaseCopilotUsageStore.create({
    database: { getClient: async () => db.knex },
  });
  let seedSeconds: number | undefined;
  if (!db.seeded) {
    const started = Date.now();
    await seed(db.knex, size);
    await db.markSeeded();
    seedSeconds = (Date.now() - started) / 1000;
  }
  const [{ n: userDayRows }] = await db.knex('user_day').count({ n: '*' });
  const range = { from: FIRST_DAY, to: LAST_DAY };
  const owner = { kind: 'org' as const, name: 'acme' };
  const metrics = new TeamMetrics({
    store,
    minTeamSize: MIN_TEAM_SIZE,
    organizations: ['acme'],
  });
  const heavyRuns = Math.max(3, Math.floor(RUNS / 4));
  const rows: Array<[string, Timing, string]> = [];

  const team = await timed(RUNS, i =>
    metrics.document(
      {
        owner,
        slug: slugOf((i * 97) % size.teams),
        entityRef: 'group:default/t',
        title: 't',
      },
      range,
      { includeSuppressed: false },
    ),
  );
  rows.push([`one team's ${DAYS}-day document`, team, '< 25 ms']);
  // Its breakdowns (read from breakdown_month) must be those of the per-day rows.
  const sample = slugOf(size.teams - 1);
  const fromMonths = await store.getBreakdownTotals(
    SCOPE,
    `team:${sample}`,
    FIRST_DAY,
    LAST_DAY,
  );
  const fromDays = await db
    .knex('breakdown_day')
    .select('dimension', 'key')
    .sum({ interactions: 'interactions' })
    .max({ users: 'users' })
    .where({ scope: SCOPE, subject: `team:${sample}` })
    .whereBetween('day', [FIRST_DAY, LAST_DAY])
    .groupBy('dimension', 'key')
    .orderBy(['dimension', 'key']);
  const breakdownFigures = (list: Array<Record<string, unknown>>) =>
    JSON.stringify(
      list.map(b => [
        b.dimension,
        b.key,
        Number(b.interactions),
        Number(b.users),
      ]),
    );
  if (
    !fromDays.length ||
    breakdownFigures(fromMonths) !== breakdownFigures(fromDays)
  ) {
    throw new Error(
      `${sample}: breakdowns ${breakdownFigures(fromMonths)} from the months, ${breakdownFigures(fromDays)} from the days`,
    );
  }

  let orgActive = 0;
  let orgVersionUsers = 0;
  const org = await timed(RUNS, async () => {
    // A new instance each run: none of OrgMetrics' read caches.
    const document = await new OrgMetrics({
      store,
      minTeamSize: MIN_TEAM_SIZE,
    }).document(owner, range);
    orgActive = document.totals.activeUsers ?? 0;
    orgVersionUsers = document.clientVersions?.users ?? 0;
  });
  // Every seeded person has a version in the range (user_client_latest).
  if (orgVersionUsers !== size.users) {
    throw new Error(
      `${orgVersionUsers} people with a client version, ${size.users} seeded`,
    );
  }
  // Counted from the last days (./lastDays): the day bits must agree.
  const activeFromBits = await countUsersInRange(
    db.knex,
    'scope_user_year',
    'active',
    { scope: SCOPE },
    range,
  );
  if (orgActive !== activeFromBits) {
    throw new Error(
      `${orgActive} active people from the last days, ${activeFromBits} from the day bits`,
    );
  }
  rows.push([`org document, uncached`, org, '< 50 ms']);
  // The page's "vs previous period", as the page asks for it (the headline view: days
  // and totals): a range that ends before the last day, so counted from the day
  // bits, not the last days.
  const previous = {
    from: addDays(LAST_DAY, -55),
    to: addDays(LAST_DAY, -28),
  };
  const orgPrevious = await timed(RUNS, () =>
    new OrgMetrics({ store, minTeamSize: MIN_TEAM_SIZE }).document(
      owner,
      previous,
      { headline: true },
    ),
  );
  rows.push([
    `org document of the previous 28 days (headline view), uncached`,
    orgPrevious,
    '< 50 ms',
  ]);

  const before = await timed(heavyRuns, () => userDayGrouped(db.knex));
  rows.push([
    `  before: its daily feature users + credits grouped from user_day`,
    before,
    '',
  ]);

  let fromBits = new Map<string, unknown>();
  const comparison = await timed(RUNS, async () => {
    const result = await metrics.comparison(owner, range, new Map());
    if (result.length !== size.teams) throw new Error(`${result.length} rows`);
    fromBits = new Map(
      result.map(row => [
        row.slug,
        [row.totals.activeUsers, row.totals.members],
      ]),
    );
  });
  rows.push([
    `team comparison, all ${size.teams} teams`,
    comparison,
    size.teams <= 500 ? '< 50 ms' : '< 200 ms',
  ]);

  let fromRows = new Map<string, unknown>();
  const grouped = await timed(heavyRuns, async () => {
    const result = await groupedReads(db.knex);
    const members = new Map(
      result.members.map(r => [r.team_slug as string, Number(r.count)]),
    );
    fromRows = new Map(
      result.active.map(r => [
        r.team_slug as string,
        [Number(r.count), members.get(r.team_slug as string)],
      ]),
    );
  });
  rows.push([
    `  baseline: the same grouped from the per-day rows (ratio ${(
      comparison.p50 / grouped.p50
    ).toFixed(3)})`,
    grouped,
    '',
  ]);
  // The figures must agree, or the timings compare different work.
  for (const [slug, figures] of fromRows) {
    if (JSON.stringify(fromBits.get(slug)) !== JSON.stringify(figures)) {
      throw new Error(
        `${slug}: ${JSON.stringify(fromBits.get(slug))} (active users, members) from the day bits, ${JSON.stringify(figures)} from the per-day rows`,
      );
    }
  }

  const departmentTeams: DepartmentTeamInput[] = [];
  const inDepartment = Math.min(size.teams, DEPARTMENT_TEAMS);
  for (let t = 0; t < inDepartment; t++) {
    departmentTeams.push({ bucket: 0, scope: SCOPE, teamSlug: slugOf(t) });
    departmentTeams.push({
      bucket: 1 + Math.floor((t * 4) / inDepartment),
      scope: SCOPE,
      teamSlug: slugOf(t),
    });
  }
  const department = await timed(RUNS, () =>
    store.getDepartmentFigures({
      teams: departmentTeams,
      from: FIRST_DAY,
      to: LAST_DAY,
      minMembers: MIN_TEAM_SIZE,
    }),
  );
  rows.push([
    `department of ${inDepartment} teams (4 children)`,
    department,
    '< 200 ms',
  ]);
  return { seedSeconds, userDayRows: Number(userDayRows), orgActive, rows };
}

async function main() {
  console.log(
    `Query benchmark: ${DAYS} days to ${LAST_DAY}, p50/p95 of ${RUNS} runs (baselines ${Math.max(3, Math.floor(RUNS / 4))})`,
  );
  const table: string[] = [
    '| users / teams | database | query | p50 | p95 | goal | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const size of SIZES) {
    const name = `v${SEED_VERSION}_${size.users}u_${size.teams}t_${DAYS}d`;
    const opens = [
      ...(size.users <= SQLITE_MAX_USERS ? [() => cachedSqlite(name)] : []),
      () => cachedPostgres(name),
    ];
    for (const open of opens) {
      const db = await open();
      if (!db) {
        console.log('PostgreSQL: skipped (no connection string)');
        continue;
      }
      try {
        console.log(
          `${db.name}, ${size.users} users / ${size.teams} teams: ${db.seeded ? 'reusing the seeded database' : 'seeding'}`,
        );
        const r = await benchmark(db, size);
        console.log(
          `  ${r.seedSeconds === undefined ? 'reused' : `seeded in ${r.seedSeconds.toFixed(0)} s`}; ${r.userDayRows} user_day rows; org active users over the range ${r.orgActive}`,
        );
        for (const [query, timing, goal] of r.rows) {
          const line = `| ${size.users.toLocaleString('en-US')} / ${size.teams.toLocaleString('en-US')} | ${db.name} | ${query} | ${timing.p50.toFixed(1)} ms | ${timing.p95.toFixed(1)} ms | ${goal} | ${timing.peakRssMb} MB |`;
          table.push(line);
          console.log(line);
        }
      } finally {
        await db.close();
      }
    }
  }
  console.log(`\n${table.join('\n')}`);
  console.log(`rss at end ${mb(process.memoryUsage().rss)} MB`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
