// @ts-check

/*
 * Archive and import support:
 * - user_team_day.raw keeps each membership line as GitHub sent it, so the archive can
 *   write the user-teams report back out (nullable: rows synced before this migration
 *   have none and are archived from their columns).
 * - aggregate_day.source and team_day.source tell report days from imported history.
 * - archive_log / archive_state track what reached the S3 archive.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('user_team_day', table => {
    table.text('raw').nullable().comment('The report line as GitHub sent it');
  });
  for (const name of ['aggregate_day', 'team_day']) {
    await knex.schema.alterTable(name, table => {
      table
        .string('source', 16)
        .notNullable()
        .defaultTo('report')
        .comment(
          'report (synced or restored) or import (history of other tools)',
        );
    });
  }

  await knex.schema.createTable('archive_log', table => {
    table.comment(
      'The last time the reports of one scope and day reached the archive',
    );
    table.string('scope', 255).notNullable();
    table.string('day', 10).notNullable();
    table
      .string('archived_at', 32)
      .nullable()
      .comment('ISO 8601; null until a write succeeded');
    table.string('attempted_at', 32).notNullable().comment('ISO 8601');
    table.text('error').nullable();
    table.primary(['scope', 'day']);
  });

  await knex.schema.createTable('archive_state', table => {
    table.comment('Outcome of the last archive step, per scope');
    table.string('scope', 255).notNullable().primary();
    table.string('last_run_at', 32).nullable();
    table.string('last_success_at', 32).nullable();
    table.text('last_error').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('archive_state');
  await knex.schema.dropTable('archive_log');
  for (const name of ['team_day', 'aggregate_day']) {
    await knex.schema.alterTable(name, table => {
      table.dropColumn('source');
    });
  }
  await knex.schema.alterTable('user_team_day', table => {
    table.dropColumn('raw');
  });
};
