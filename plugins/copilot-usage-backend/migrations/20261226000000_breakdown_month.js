// @ts-check

/*
 * breakdown_month: per subject (org, or team:<slug>) and month, the sums of its
 * breakdown_day rows per dimension and key, the busiest day of users, and the days it
 * sums as bits (day_mask, bit d - 1 for day d of the month). A year of a team is then
 * a dozen months of rows instead of 365 days of them. Rebuilt with the rollups of the
 * month (src/store/operations/breakdownMonths.ts); filled here from the stored rows.
 * The fill is written out here (not imported) so this migration never changes.
 *
 * On PostgreSQL the primary key of team_day also carries its other columns (INCLUDE):
 * a team page reads a year of its days, which sit on 365 pages of the heap (the rows
 * are written a day at a time, for every team); from the key they are a dozen pages
 * (measured at 100,000 users: 17-19 ms cold, 2-3 ms). A column added to team_day later
 * is read from the heap until a migration adds it here.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

/** The counters of breakdown_day, as the init migration lists them. */
const COUNTERS = [
  'interactions',
  'code_generations',
  'code_acceptances',
  'loc_suggested_to_add',
  'loc_suggested_to_delete',
  'loc_added',
  'loc_deleted',
];

/** The columns of team_day besides its key, as the migrations before this one add them. */
const TEAM_DAY_COLUMNS = [
  'team_id',
  'member_count',
  'active_users',
  'weekly_active_users',
  'monthly_active_users',
  'chat_users',
  'agent_users',
  'cli_users',
  ...COUNTERS,
  'completion_generations',
  'completion_acceptances',
  'completion_loc_suggested_to_add',
  'completion_loc_added',
  'source',
  'cloud_agent_users',
  'copilot_app_users',
  'ai_credits',
];

/**
 * team_day primary key, with or without the other columns.
 * @param {import('knex').Knex} knex
 * @param {boolean} covering
 */
async function teamDayKey(knex, covering) {
  if (knex.client.dialect !== 'postgresql') return;
  await knex.raw(
    `ALTER TABLE team_day DROP CONSTRAINT team_day_pkey,
       ADD CONSTRAINT team_day_pkey PRIMARY KEY (scope, team_slug, day)
       ${covering ? `INCLUDE (${TEAM_DAY_COLUMNS.join(', ')})` : ''}`,
  );
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await teamDayKey(knex, true);
  await knex.schema.createTable('breakdown_month', table => {
    table.comment(
      'Per subject and month, the sums of its breakdown_day rows per dimension and key',
    );
    table.string('scope', 255).notNullable();
    table.string('subject', 255).notNullable().comment('org, or team:<slug>');
    table.string('month', 7).notNullable().comment('YYYY-MM');
    table.string('dimension', 32).notNullable();
    table.string('key', 255).notNullable();
    for (const column of COUNTERS) {
      table.bigInteger(column).notNullable().defaultTo(0);
    }
    table
      .bigInteger('users')
      .notNullable()
      .defaultTo(0)
      .comment('Users of the busiest day of the month');
    table
      .integer('day_mask')
      .notNullable()
      .comment('Days of the month summed: bit d - 1 for day d');
    table.primary(['scope', 'subject', 'month', 'dimension', 'key']);
    table.index(['scope', 'month'], 'breakdown_month_scope_month_idx');
  });
  const dayOfMonth =
    knex.client.dialect === 'postgresql'
      ? 'CAST(substring(day from 9 for 2) AS integer)'
      : 'CAST(substr(day, 9, 2) AS integer)';
  const months = await knex('breakdown_day')
    .distinct('scope', knex.raw('substr(day, 1, 7) AS month'))
    .orderBy(['scope', 'month']);
  for (const { scope, month } of months) {
    await knex.raw(
      `INSERT INTO breakdown_month (scope, subject, month, dimension, key, users, day_mask,
         ${COUNTERS.join(', ')})
       SELECT scope, subject, ?, dimension, key, MAX(users), SUM(1 << (${dayOfMonth} - 1)),
         ${COUNTERS.map(c => `SUM(${c})`).join(', ')}
       FROM breakdown_day WHERE scope = ? AND day >= ? AND day <= ?
       GROUP BY scope, subject, dimension, key`,
      [month, scope, `${month}-01`, `${month}-31`],
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await teamDayKey(knex, false);
  await knex.schema.dropTable('breakdown_month');
};
