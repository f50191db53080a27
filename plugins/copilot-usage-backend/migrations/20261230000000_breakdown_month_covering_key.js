// @ts-check

/*
 * On PostgreSQL the primary key of breakdown_month carries its other columns
 * (INCLUDE), as team_day does since 20261226000000_breakdown_month.js: a team page
 * reads its year of months, whose rows the month rebuilds leave on a dozen heap pages
 * (measured at 100,000 users and 5,000 teams: 6 to 19 ms for a team not read before);
 * from the key they are one or two pages. SQLite keeps its plain key. A column added to
 * breakdown_month later is read from the heap until a migration adds it here.
 * Written out here (not imported) so this migration never changes.
 */

/** The counters of breakdown_month, as 20261226000000_breakdown_month.js lists them. */
const COUNTERS = [
  'interactions',
  'code_generations',
  'code_acceptances',
  'loc_suggested_to_add',
  'loc_suggested_to_delete',
  'loc_added',
  'loc_deleted',
];

/**
 * breakdown_month primary key, with or without the other columns.
 * @param {import('knex').Knex} knex
 * @param {boolean} covering
 */
async function breakdownMonthKey(knex, covering) {
  if (knex.client.dialect !== 'postgresql') return;
  await knex.raw(
    `ALTER TABLE breakdown_month DROP CONSTRAINT breakdown_month_pkey,
       ADD CONSTRAINT breakdown_month_pkey
       PRIMARY KEY (scope, subject, month, dimension, key)
       ${covering ? `INCLUDE (${[...COUNTERS, 'users', 'day_mask'].join(', ')})` : ''}`,
  );
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await breakdownMonthKey(knex, true);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await breakdownMonthKey(knex, false);
};
