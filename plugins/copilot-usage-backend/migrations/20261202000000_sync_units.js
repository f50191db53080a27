// @ts-check

/*
 * The sync runs in short units of work (each one scheduler task run), so a replica
 * that dies mid-sync holds nothing for long and the next unit carries on:
 * - requested_at: a sync was asked for (schedule or sync now) and not planned yet.
 * - pending_days: JSON array of the days of the current run not done yet; null when
 *   no run is in progress.
 * - heartbeat_at: last sign of life of the replica working on the run; a stale one
 *   means the run was interrupted.
 * - lease_expires_at: when the scheduler lock of the current unit expires, after
 *   which another replica resumes the run.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table
      .string('requested_at', 32)
      .nullable()
      .comment('ISO 8601; a sync was requested and not planned yet');
    table
      .text('pending_days')
      .nullable()
      .comment('JSON array of the days of the current run not done yet');
    table
      .string('heartbeat_at', 32)
      .nullable()
      .comment('ISO 8601; last sign of life of the replica running the sync');
    table
      .string('lease_expires_at', 32)
      .nullable()
      .comment('ISO 8601; when the scheduler lock of the current unit expires');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table.dropColumn('lease_expires_at');
    table.dropColumn('heartbeat_at');
    table.dropColumn('pending_days');
    table.dropColumn('requested_at');
  });
};
