// @ts-check

/*
 * sync_state.rollups_pending_to: with rollups_pending_from, the span of days a unit of
 * the sync may have stored without rebuilding their team rollups (it stopped or died
 * in between). A backfill runs newest day first, so a first day alone would make the
 * next unit rebuild every newer day of the run, up to a year; with the last day it
 * rebuilds the span and the 27 days after. Null with a first day set: up to the end.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table
      .string('rollups_pending_to', 10)
      .nullable()
      .comment(
        'Last day a unit may have stored without rebuilding its rollups',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table.dropColumn('rollups_pending_to');
  });
};
