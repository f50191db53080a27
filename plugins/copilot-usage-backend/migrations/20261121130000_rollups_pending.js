// @ts-check

/*
 * sync_state.rollups_pending_from: the first day stored since the team rollups were
 * last rebuilt. A sync that dies between storing days and rebuilding their rollups
 * leaves it set, and the next run rebuilds from there (the stored days themselves are
 * complete and would not be fetched again).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table
      .string('rollups_pending_from', 10)
      .nullable()
      .comment('First day stored since the team rollups were last rebuilt');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('sync_state', table => {
    table.dropColumn('rollups_pending_from');
  });
};
