/*
 * What monthly partitioning of the per-user tables would buy on PostgreSQL, measured on
 * the query benchmark's seeded database (default: 100,000 users / 5,000 teams / 365
 * days, see ./queryBenchmark.ts; QUERY_BENCH_PROBE_DB names another):
 * - the size of each table and index that grows with days;
 * - retention's delete of one month of user_day (a week per statement, as
 *   UserRowRetention does), rolled back, against detaching and dropping the same month
 *   as a partition of a partitioned copy;
 * - the plans and times of the range reads that remain on user_day.
 *
 *   node -r @backstage/cli/config/nodeTransform.cjs bench/partitionProbe.ts
 */
import knexFactory, { Knex } from 'knex';
import { daysBetween } from '../src/lib/days';

const DATABASE =
  process.env.QUERY_BENCH_PROBE_DB ??
  'copilot_usage_qbench_v1_100000u_5000t_365d';
const MONTH = ['2026-01-01', '2026-01-31'];
const SCOPE = 'org:acme';

async function ms(run: () => Promise<unknown>) {
  const started = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const pretty = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function sizes(knex: Knex) {
  const { rows } = await knex.raw(
    `SELECT t.relname AS table, i.relname AS index, pg_relation_size(t.oid) AS heap,
       pg_total_relation_size(t.oid) AS total, pg_relation_size(i.oid) AS index_size,
       t.reltuples AS rows
     FROM pg_class t JOIN pg_index x ON x.indrelid = t.oid JOIN pg_class i ON i.oid = x.indexrelid
     WHERE t.relname IN ('user_day', 'user_team_day', 'team_active_user_day', 'breakdown_day',
       'team_day', 'scope_day', 'team_month', 'team_user_year', 'scope_user_year')
     ORDER BY pg_total_relation_size(t.oid) DESC, i.relname`,
  );
  console.log('| table | rows | heap | total | index | index size |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.table} | ${Math.round(Number(r.rows)).toLocaleString('en-US')} | ${pretty(Number(r.heap))} | ${pretty(Number(r.total))} | ${r.index} | ${pretty(Number(r.index_size))} |`,
    );
  }
}

async function explain(
  knex: Knex,
  title: string,
  sql: string,
  bindings: unknown[],
) {
  const { rows } = await knex.raw(
    `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
    bindings,
  );
  const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  console.log(
    `\n${title}\n  ${plan.map((line: string) => line.slice(0, 220)).join('\n  ')}`,
  );
}

async function main() {
  const url = new URL(
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING!,
  );
  url.pathname = `/${DATABASE}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString() });
  try {
    console.log(`Partition probe on ${DATABASE}\n`);
    await sizes(knex);

    const days = daysBetween(MONTH[0], MONTH[1]);
    let deleted = 0;
    const deleteMs = await ms(() =>
      knex
        .transaction(async trx => {
          for (let i = 0; i < days.length; i += 7) {
            deleted += await trx('user_day')
              .whereIn('day', days.slice(i, i + 7))
              .delete();
          }
          await trx.rollback();
        })
        .catch(() => undefined),
    );
    console.log(
      `\nretention's delete of ${MONTH[0].slice(0, 7)} from user_day (${deleted} rows, a week per statement, rolled back): ${(deleteMs / 1000).toFixed(1)} s`,
    );

    // The same month as a partition of a partitioned copy of user_day.
    await knex.raw('DROP TABLE IF EXISTS probe_user_day');
    await knex.raw(
      `CREATE TABLE probe_user_day (LIKE user_day INCLUDING DEFAULTS) PARTITION BY RANGE (day)`,
    );
    await knex.raw(
      `CREATE TABLE probe_user_day_2026_01 PARTITION OF probe_user_day FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')`,
    );
    await knex.raw(
      `CREATE TABLE probe_user_day_2026_02 PARTITION OF probe_user_day FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')`,
    );
    const copyMs = await ms(() =>
      knex.raw(
        `INSERT INTO probe_user_day SELECT * FROM user_day WHERE day >= '2026-01-01' AND day < '2026-03-01'`,
      ),
    );
    await knex.raw(
      'ALTER TABLE probe_user_day ADD PRIMARY KEY (scope, day, user_id)',
    );
    await knex.raw(
      'CREATE INDEX probe_user_day_user ON probe_user_day (scope, user_id, day)',
    );
    await knex.raw('ANALYZE probe_user_day');
    await explain(
      knex,
      'one user over February, partitioned copy (two months):',
      `SELECT * FROM probe_user_day WHERE scope = ? AND user_id = ? AND day BETWEEN ? AND ?`,
      [SCOPE, 4242, '2026-02-01', '2026-02-28'],
    );
    const dropMs = await ms(async () => {
      await knex.raw(
        'ALTER TABLE probe_user_day DETACH PARTITION probe_user_day_2026_01',
      );
      await knex.raw('DROP TABLE probe_user_day_2026_01');
    });
    console.log(
      `\npartitioned copy of two months (copied in ${(copyMs / 1000).toFixed(1)} s): detach + drop of ${MONTH[0].slice(0, 7)}: ${dropMs.toFixed(0)} ms`,
    );
    await knex.raw('DROP TABLE probe_user_day');

    await explain(
      knex,
      'one user over the year (getUserDays):',
      `SELECT * FROM user_day WHERE scope = ? AND user_id = ? AND day BETWEEN ? AND ? ORDER BY day`,
      [SCOPE, 4242, '2025-12-01', '2026-11-30'],
    );
    await explain(
      knex,
      'one day of the scope (the rollup rebuild of a day, scope_day):',
      `SELECT COUNT(*), SUM(CASE WHEN used_chat THEN 1 ELSE 0 END) FROM user_day WHERE scope = ? AND day = ?`,
      [SCOPE, '2026-06-15'],
    );
    await explain(
      knex,
      'a department person-day read (departments.ts userRowsOf, 500 people, a year):',
      `SELECT scope, user_id, day FROM user_day WHERE scope IN (?) AND user_id IN (${Array.from(
        { length: 500 },
        (_, i) => i * 20,
      ).join(', ')}) AND day BETWEEN ? AND ?`,
      [SCOPE, '2025-12-01', '2026-11-30'],
    );
  } finally {
    await knex.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
