// @ts-check

/*
 * Conventions of this schema:
 * - `scope` is `org:<name>` or `enterprise:<name>`; `day` is a `YYYY-MM-DD` string, so
 *   days sort and compare as text on SQLite and PostgreSQL alike.
 * - Counters are bigint: token and line sums over an org outgrow 32 bits.
 * - No primary key column is nullable.
 * - Comments contain no single quotes: Knex does not escape them in PostgreSQL's COMMENT ON.
 */

/**
 * The activity counters every level (user, team, org) carries.
 *
 * @param {import('knex').Knex.CreateTableBuilder} table
 */
function activityCounters(table) {
  for (const column of [
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
  ]) {
    table.bigInteger(column).notNullable().defaultTo(0);
  }
}

/**
 * @param {import('knex').Knex.CreateTableBuilder} table
 */
function scopeAndDay(table) {
  table
    .string('scope', 255)
    .notNullable()
    .comment('org:<name> or enterprise:<name>');
  table.string('day', 10).notNullable().comment('YYYY-MM-DD (UTC)');
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('user_day', table => {
    table.comment(
      'One line of the users-1-day report: one user active on one day',
    );
    scopeAndDay(table);
    table.bigInteger('user_id').notNullable();
    table.string('user_login', 255).notNullable();
    activityCounters(table);
    table.boolean('used_chat').notNullable().defaultTo(false);
    table.boolean('used_agent').notNullable().defaultTo(false);
    table.boolean('used_cli').notNullable().defaultTo(false);
    table
      .text('raw')
      .notNullable()
      .comment('The report line as GitHub sent it');
    table.primary(['scope', 'day', 'user_id']);
    table.index(['scope', 'user_id', 'day'], 'user_day_scope_user_id_day_idx');
    table.index(['scope', 'user_login'], 'user_day_scope_user_login_idx');
  });

  await knex.schema.createTable('user_team_day', table => {
    table.comment(
      'One line of the user-teams-1-day report: a membership on one day',
    );
    scopeAndDay(table);
    table.bigInteger('user_id').notNullable();
    table.string('user_login', 255).notNullable();
    table.bigInteger('team_id').notNullable();
    table.string('team_slug', 255).notNullable();
    table.primary(['scope', 'day', 'team_slug', 'user_id']);
    table.index(
      ['scope', 'day', 'user_id'],
      'user_team_day_scope_day_user_id_idx',
    );
  });

  await knex.schema.createTable('aggregate_day', table => {
    table.comment(
      'The org or enterprise aggregate as GitHub computes it, for one day',
    );
    scopeAndDay(table);
    table.bigInteger('daily_active_users').notNullable().defaultTo(0);
    table.bigInteger('weekly_active_users').notNullable().defaultTo(0);
    table.bigInteger('monthly_active_users').notNullable().defaultTo(0);
    table.bigInteger('monthly_active_chat_users').notNullable().defaultTo(0);
    table.bigInteger('monthly_active_agent_users').notNullable().defaultTo(0);
    table.bigInteger('daily_active_cli_users').nullable();
    activityCounters(table);
    table.text('raw').notNullable();
    table.primary(['scope', 'day']);
  });

  await knex.schema.createTable('breakdown_day', table => {
    table.comment(
      'Counters per value of one dimension (ide, language, feature, model) on one day',
    );
    scopeAndDay(table);
    table.string('subject', 255).notNullable().comment('org, or team:<slug>');
    table.string('dimension', 32).notNullable();
    table.string('key', 255).notNullable();
    for (const column of [
      'interactions',
      'code_generations',
      'code_acceptances',
      'loc_suggested_to_add',
      'loc_suggested_to_delete',
      'loc_added',
      'loc_deleted',
      'users',
    ]) {
      table.bigInteger(column).notNullable().defaultTo(0);
    }
    table.primary(['scope', 'subject', 'day', 'dimension', 'key']);
    // replaceBreakdowns deletes a whole day across subjects
    table.index(['scope', 'day'], 'breakdown_day_scope_day_idx');
  });

  await knex.schema.createTable('team_day', table => {
    table.comment(
      'Figures of a team on one day: user rows joined with the membership of that day',
    );
    scopeAndDay(table);
    table.string('team_slug', 255).notNullable();
    table.bigInteger('team_id').notNullable();
    table.integer('member_count').notNullable().defaultTo(0);
    table.integer('active_users').notNullable().defaultTo(0);
    table.integer('weekly_active_users').notNullable().defaultTo(0);
    table.integer('monthly_active_users').notNullable().defaultTo(0);
    table.integer('chat_users').notNullable().defaultTo(0);
    table.integer('agent_users').notNullable().defaultTo(0);
    table.integer('cli_users').notNullable().defaultTo(0);
    activityCounters(table);
    table.primary(['scope', 'team_slug', 'day']);
    // rebuilding a day replaces every team's row of that day
    table.index(['scope', 'day'], 'team_day_scope_day_idx');
  });

  await knex.schema.createTable('team_active_user_day', table => {
    table.comment(
      'A user who was active on a day AND a member of the team that day; feeds rolling windows and range distinct counts',
    );
    table.string('scope', 255).notNullable();
    table.string('team_slug', 255).notNullable();
    table.string('day', 10).notNullable();
    table.bigInteger('user_id').notNullable();
    // Deliberately no (scope, day) index: without statistics PostgreSQL would pick it
    // for the per-team window counts and filter every team's rows. Rebuilds delete a
    // day through the primary key, per team.
    table.primary(['scope', 'team_slug', 'day', 'user_id']);
  });

  await knex.schema.createTable('seat_snapshot', table => {
    table.comment('Copilot seats as listed by the billing API on one day');
    table.string('scope', 255).notNullable();
    table.string('snapshot_day', 10).notNullable();
    table.string('user_login', 255).notNullable();
    table.bigInteger('user_id').nullable();
    table.string('plan_type', 64).nullable();
    table.string('created_at', 64).nullable();
    table.string('last_activity_at', 64).nullable();
    table.string('last_activity_editor', 255).nullable();
    table.string('last_authenticated_at', 64).nullable();
    table.string('pending_cancellation_date', 64).nullable();
    table.string('assigning_team_slug', 255).nullable();
    table.text('raw').notNullable();
    table.primary(['scope', 'snapshot_day', 'user_login']);
  });

  await knex.schema.createTable('ingestion_log', table => {
    table.comment('Outcome of the last attempt to store one report of one day');
    scopeAndDay(table);
    table
      .string('report', 32)
      .notNullable()
      .comment('aggregate, users or user-teams');
    table
      .string('status', 32)
      .notNullable()
      .comment('complete, no_data or failed');
    table.integer('rows').notNullable().defaultTo(0);
    table
      .string('source', 32)
      .notNullable()
      .comment('github, archive or import');
    table.text('error').nullable();
    table.string('updated_at', 32).notNullable().comment('ISO 8601 timestamp');
    table.primary(['scope', 'day', 'report']);
  });

  await knex.schema.createTable('sync_state', table => {
    table.comment('Progress and outcome of the sync, per scope');
    table.string('scope', 255).notNullable().primary();
    table.boolean('running').notNullable().defaultTo(false);
    table.string('last_run_started_at', 32).nullable();
    table.string('last_run_finished_at', 32).nullable();
    table.integer('days_done').notNullable().defaultTo(0);
    table.integer('days_total').notNullable().defaultTo(0);
    table.text('last_error').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const name of [
    'sync_state',
    'ingestion_log',
    'seat_snapshot',
    'team_active_user_day',
    'team_day',
    'breakdown_day',
    'aggregate_day',
    'user_team_day',
    'user_day',
  ]) {
    await knex.schema.dropTable(name);
  }
};
