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
 * user_row_retention: per scope, the first day whose per-user rows retention kept. The
 * rollup rebuild leaves the days before it untouched: their per-user rows are gone, and
 * a rebuild from nothing would empty their rollups.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

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
  const scopes = await knex('user_day').distinct('scope').pluck('scope');
  for (const scope of scopes) {
    await knex.raw(
      `INSERT INTO scope_day (scope, day, users, chat_users, agent_users, cli_users,
         cloud_agent_users, copilot_app_users, ai_credits)
       SELECT scope, day, COUNT(*), ${usersWith('used_chat')}, ${usersWith('used_agent')},
         ${usersWith('used_cli')}, ${usersWith('used_cloud_agent')},
         ${usersWith('used_copilot_app')}, SUM(ai_credits_used)
       FROM user_day WHERE scope = ? GROUP BY scope, day`,
      [scope],
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('user_row_retention');
  await knex.schema.dropTable('scope_day');
};
