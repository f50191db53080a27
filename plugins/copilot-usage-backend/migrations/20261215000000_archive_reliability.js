// @ts-check

/*
 * Archive reliability:
 * - restore_state: one row (id restore) telling whether a restore from the archive
 *   is running (a fresh heartbeat), who started it and how the last one ended. The
 *   sync of every replica waits while it runs; a restore is refused while a sync runs.
 * - archive_import_backlog: imported files whose copy to the archive has not been
 *   written yet (gzipped as uploaded), retried by every archive step until the
 *   bucket has them, so a later restore brings the imported days back.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('restore_state', table => {
    table.comment(
      'The restore from the archive: running or how the last ended',
    );
    table.string('id', 32).notNullable().primary();
    table.string('trigger', 16).nullable().comment('admin or automatic');
    table.string('started_at', 32).nullable().comment('ISO 8601');
    table
      .string('heartbeat_at', 32)
      .nullable()
      .comment('ISO 8601; last sign of life of the replica restoring');
    table
      .string('finished_at', 32)
      .nullable()
      .comment('ISO 8601; null while a restore runs');
    table.text('last_error').nullable();
    table.text('summary').nullable().comment('JSON of the last restore');
  });

  await knex.schema.createTable('archive_import_backlog', table => {
    table.comment('Imported files not yet copied to the archive');
    table.string('key', 512).notNullable().primary().comment('Archive key');
    table.string('scope', 255).notNullable();
    table.string('created_at', 32).notNullable().comment('ISO 8601');
    table.binary('content').notNullable().comment('The file, gzipped');
    table.string('attempted_at', 32).nullable().comment('ISO 8601');
    table.text('error').nullable();
    table.index(['scope'], 'archive_import_backlog_scope_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('archive_import_backlog');
  await knex.schema.dropTable('restore_state');
};
