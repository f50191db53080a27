// @ts-check

/*
 * GitHub's repos-1-day report: one row per scope, day and repository, with the
 * figures the plugin shows as columns and the line as GitHub sent it (raw), which
 * the archive writes back. Figures GitHub did not send are null, not zero.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('repo_day', table => {
    table.comment('repos-1-day rows: pull requests per repository and day');
    table.string('scope', 255).notNullable();
    table.string('day', 10).notNullable();
    table.bigInteger('repo_id').notNullable();
    table.string('repo_owner', 255).notNullable();
    table.string('repo_name', 255).notNullable();
    table
      .string('repo_slug', 511)
      .notNullable()
      .comment('owner/name in lower case, as github.com/project-slug');
    table.string('visibility', 32).nullable();
    table.integer('prs_created').nullable();
    table.integer('prs_merged').nullable();
    table.integer('prs_reviewed').nullable();
    table
      .integer('agent_created')
      .nullable()
      .comment('pull requests created by the Copilot cloud agent');
    table
      .integer('agent_merged')
      .nullable()
      .comment('cloud agent pull requests merged that day');
    table
      .integer('code_review_reviewed')
      .nullable()
      .comment('pull requests reviewed by Copilot code review');
    table.integer('suggestions').nullable();
    table.integer('applied_suggestions').nullable();
    table
      .integer('review_merged')
      .nullable()
      .comment('merged pull requests the review stage times cover');
    for (const column of [
      'median_ready_to_first_review',
      'p90_ready_to_first_review',
      'median_first_to_final_review',
      'p90_first_to_final_review',
      'median_final_review_to_merge',
      'p90_final_review_to_merge',
    ]) {
      table.double(column).nullable().comment('minutes');
    }
    table.text('raw').notNullable();
    table.primary(['scope', 'day', 'repo_id']);
    table.index(['scope', 'repo_slug', 'day'], 'repo_day_slug_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('repo_day');
};
