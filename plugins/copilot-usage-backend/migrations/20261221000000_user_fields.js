// @ts-check

/*
 * Fields of the per-user rows the plugin reads since 2026-12 (issue 13, sections 3, 4, 6):
 *
 * - user_day: used_cloud_agent (used_copilot_cloud_agent or its older name
 *   used_copilot_coding_agent), used_copilot_app, ai_credits_used (a metrics signal,
 *   not a billed total; null where the row has none).
 * - team_day: the daily users of the Copilot app and of the cloud agent, and the AI
 *   credits of the members, each member split 1/n across the n teams of the day.
 *   Null on imported days and on days rolled up before this migration.
 * - user_client_version: which IDE, plugin and CLI versions a user was seen on, as
 *   intervals: one row per user, client and version pair with the first and last
 *   day it was reported. A user keeps a version for weeks, so this holds a few rows
 *   per user instead of one per user, day and IDE (a 100,000-seat enterprise adds
 *   about 100,000 rows a month, not 2 million), and the latest version of a user in
 *   any range is the interval with the latest last_day that overlaps it.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('user_day', table => {
    table.boolean('used_cloud_agent').notNullable().defaultTo(false);
    table.boolean('used_copilot_app').notNullable().defaultTo(false);
    table
      .double('ai_credits_used')
      .nullable()
      .comment('GitHub ai_credits_used: a metrics signal, not a billed total');
  });
  await knex.schema.alterTable('team_day', table => {
    table.bigInteger('cloud_agent_users').nullable();
    table.bigInteger('copilot_app_users').nullable();
    table
      .double('ai_credits')
      .nullable()
      .comment(
        'Credits of the members, each split 1/n over their n teams of the day',
      );
  });
  await knex.schema.createTable('user_client_version', table => {
    table.comment(
      'IDE, plugin and CLI versions of a user as intervals of days they were reported',
    );
    table.string('scope', 255).notNullable();
    table.bigInteger('user_id').notNullable();
    table.string('user_login', 255).notNullable();
    table
      .string('client', 64)
      .notNullable()
      .comment('The IDE of totals_by_ide, or cli for the Copilot CLI');
    table.string('version', 128).notNullable().defaultTo('');
    table.string('plugin', 128).notNullable().defaultTo('');
    table.string('plugin_version', 128).notNullable().defaultTo('');
    table.string('first_day', 10).notNullable();
    table.string('last_day', 10).notNullable();
    table.primary(['scope', 'user_id', 'client', 'version', 'plugin_version']);
    table.index(
      ['scope', 'last_day'],
      'user_client_version_scope_last_day_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('user_client_version');
  await knex.schema.alterTable('team_day', table => {
    table.dropColumn('cloud_agent_users');
    table.dropColumn('copilot_app_users');
    table.dropColumn('ai_credits');
  });
  await knex.schema.alterTable('user_day', table => {
    table.dropColumn('used_cloud_agent');
    table.dropColumn('used_copilot_app');
    table.dropColumn('ai_credits_used');
  });
};
