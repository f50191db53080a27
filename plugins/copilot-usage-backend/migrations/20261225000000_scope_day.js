// @ts-check

/*
 * scope_day: the figures of an org or enterprise day that GitHub aggregate does not
 * give and that used to be grouped from the per-user rows on every request: the users
 * of chat, agent, CLI, cloud agent and Copilot app, and the AI credits of the day.
 * One row per scope and day with user rows, written by the rollup rebuild of the day
 * (src/store/operations/scopeDays.ts) and kept when retention prunes the per-user rows.
 * Filled here from the rows already stored; the fill is written out here (not
 * imported) so this migration never changes.
 *
 * team_month: per team and month, the sums of its team_day rows from the reports, so a
 * comparison of thousands of teams over a year reads a dozen rows a team, not 365.
 * Imported rows (source import) stay out of it: the importer writes them without a
 * rollup rebuild, and the reads take them from team_day (a partial index finds them).
 * Rebuilt with the days of the month; filled here from the stored team_day rows.
 *
 * user_row_retention: per scope, the first day whose per-user rows retention kept. The
 * rollup rebuild leaves the days before it untouched: their per-user rows are gone, and
 * a rebuild from nothing would empty their rollups.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

/** The activity counters of team_day, as the init migration lists them. */
const COUNTERS = [
  'interactions',
  'code_generations',
  'code_acceptances',
  'loc_suggested_to_add',
  'loc_suggested_to_delete',
  'loc_added',
  'loc_deleted',
  'completion_generations',
  'completion_acceptances',
  'completion_loc_suggested_to_add',
  'completion_loc_added',
];

/**
 * Rounded to six decimals, as the rollup rebuild writes them (a float sum depends on
 * the order the engine adds in).
 * @param {import('knex').Knex} knex
 * @param {string} expression
 */
const rounded = (knex, expression) =>
  knex.client.dialect === 'postgresql'
    ? `ROUND(CAST(${expression} AS numeric), 6)`
    : `ROUND(${expression}, 6)`;

/**
 * The month of a scope from its team_day report rows.
 *
 * @param {import('knex').Knex} knex
 * @param {string} scope
 * @param {string} month
 */
async function fillMonth(knex, scope, month) {
  await knex.raw(
    `INSERT INTO team_month (scope, team_slug, month, days, min_member_count,
       max_member_count, last_day, last_member_count, last_team_id, active_user_days,
       member_days, ai_credits, credit_days, ${COUNTERS.join(', ')})
     SELECT s.scope, s.team_slug, ?, s.days, s.min_member_count, s.max_member_count,
       s.last_day, l.member_count, l.team_id, s.active_user_days, s.member_days,
       s.ai_credits, s.credit_days, ${COUNTERS.map(c => `s.${c}`).join(', ')}
     FROM (SELECT scope, team_slug, COUNT(*) AS days, MIN(member_count) AS min_member_count,
         MAX(member_count) AS max_member_count, MAX(day) AS last_day,
         SUM(active_users) AS active_user_days, SUM(member_count) AS member_days,
         ${rounded(knex, 'SUM(ai_credits)')} AS ai_credits, COUNT(ai_credits) AS credit_days,
         ${COUNTERS.map(c => `SUM(${c}) AS ${c}`).join(', ')}
       FROM team_day WHERE scope = ? AND day >= ? AND day <= ? AND source <> 'import'
       GROUP BY scope, team_slug) s
     JOIN team_day l ON l.scope = s.scope AND l.team_slug = s.team_slug AND l.day = s.last_day`,
    [month, scope, `${month}-01`, `${month}-31`],
  );
}

/** @param {string} flag */
const usersWith = flag => `SUM(CASE WHEN ${flag} THEN 1 ELSE 0 END)`;

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('scope_day', table => {
    table.comment(
      'Per scope and day, figures of its per-user rows: feature users and AI credits',
    );
    table.string('scope', 255).notNullable();
    table.string('day', 10).notNullable();
    table.integer('users').notNullable().comment('Users with a row that day');
    table.integer('chat_users').notNullable();
    table.integer('agent_users').notNullable();
    table.integer('cli_users').notNullable();
    table.integer('cloud_agent_users').notNullable();
    table.integer('copilot_app_users').notNullable();
    table
      .double('ai_credits')
      .nullable()
      .comment('Sum of ai_credits_used; null when no row of the day has it');
    table.primary(['scope', 'day']);
  });
  await knex.schema.createTable('user_row_retention', table => {
    table.comment(
      'Per scope, the first day whose per-user rows retention kept: rollups before it are never rebuilt',
    );
    table.string('scope', 255).notNullable().primary();
    table.string('first_kept_day', 10).notNullable();
  });
  await knex.schema.createTable('team_month', table => {
    table.comment(
      'Per team and month, the sums of its team_day rows from the reports (imported rows stay out)',
    );
    table.string('scope', 255).notNullable();
    table.string('team_slug', 255).notNullable();
    table.string('month', 7).notNullable().comment('YYYY-MM');
    table.integer('days').notNullable();
    table.integer('min_member_count').notNullable();
    table.integer('max_member_count').notNullable();
    table.string('last_day', 10).notNullable();
    table.integer('last_member_count').notNullable();
    table.bigInteger('last_team_id').notNullable();
    table.bigInteger('active_user_days').notNullable();
    table.bigInteger('member_days').notNullable();
    table.double('ai_credits').nullable();
    table.integer('credit_days').notNullable();
    for (const column of COUNTERS) {
      table.bigInteger(column).notNullable().defaultTo(0);
    }
    table.primary(['scope', 'team_slug', 'month']);
    table.index(['scope', 'month'], 'team_month_scope_month_idx');
  });
  await knex.schema.alterTable('team_day', table => {
    table.index(['scope', 'day'], 'team_day_import_idx', {
      predicate: knex.whereRaw("source = 'import'"),
    });
  });
  const months = await knex('team_day')
    .distinct('scope', knex.raw('substr(day, 1, 7) AS month'))
    .whereNot({ source: 'import' });
  for (const { scope, month } of months) {
    await fillMonth(knex, scope, month);
  }
  const scopes = await knex('user_day').distinct('scope').pluck('scope');
  for (const scope of scopes) {
    await knex.raw(
      `INSERT INTO scope_day (scope, day, users, chat_users, agent_users, cli_users,
         cloud_agent_users, copilot_app_users, ai_credits)
       SELECT scope, day, COUNT(*), ${usersWith('used_chat')}, ${usersWith('used_agent')},
         ${usersWith('used_cli')}, ${usersWith('used_cloud_agent')},
         ${usersWith('used_copilot_app')}, ${rounded(knex, 'SUM(ai_credits_used)')}
       FROM user_day WHERE scope = ? GROUP BY scope, day`,
      [scope],
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('team_day', table => {
    table.dropIndex(['scope', 'day'], 'team_day_import_idx');
  });
  await knex.schema.dropTable('team_month');
  await knex.schema.dropTable('user_row_retention');
  await knex.schema.dropTable('scope_day');
};
