// @ts-check

/*
 * report_lines: GitHub's lines of the users and user-teams reports, one gzip member per
 * scope, day and report, instead of a raw text column on every user_day and
 * user_team_day row (those lines were most of the database: bench/README.md). The
 * stored lines move here, day by day, and the raw columns are dropped.
 * The move is written out here (not imported) so this migration never changes.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */
const { promisify } = require('node:util');
const zlib = require('node:zlib');

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

/**
 * @param {import('knex').Knex} knex
 * @param {string} scope
 * @param {string} day
 * @param {string} report
 * @param {string[]} lines
 */
async function store(knex, scope, day, report, lines) {
  if (lines.length === 0) return;
  const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  await knex('report_lines').insert({
    scope,
    day,
    report,
    line_count: lines.length,
    text_bytes: text.length,
    gzip: await gzip(text, { level: 3 }),
  });
}

/** @param {import('knex').Knex} knex @param {string} table */
async function daysOf(knex, table) {
  return knex(table).distinct('scope', 'day').orderBy(['scope', 'day']);
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('report_lines', table => {
    table.comment(
      'GitHub lines of the users and user-teams reports of a day, gzip-compressed, in file order',
    );
    table.string('scope', 255).notNullable();
    table.string('day', 10).notNullable();
    table.string('report', 32).notNullable();
    table.integer('line_count').notNullable();
    table
      .bigInteger('text_bytes')
      .notNullable()
      .comment('Size of the lines before compression');
    table.binary('gzip').notNullable();
    table.primary(['scope', 'day', 'report']);
  });

  for (const { scope, day } of await daysOf(knex, 'user_day')) {
    const lines = await knex('user_day')
      .where({ scope, day })
      .orderBy('user_id')
      .pluck('raw');
    await store(knex, scope, day, 'users', lines);
  }
  for (const { scope, day } of await daysOf(knex, 'user_team_day')) {
    const rows = await knex('user_team_day')
      .where({ scope, day })
      .orderBy(['team_slug', 'user_id']);
    const lines = rows.map(
      row =>
        row.raw ??
        // Stored before lines were kept: the fields the plugin reads, in GitHub names.
        JSON.stringify({
          user_id: Number(row.user_id),
          user_login: row.user_login,
          day: row.day,
          team_id: Number(row.team_id),
          slug: row.team_slug,
        }),
    );
    await store(knex, scope, day, 'user-teams', lines);
  }

  await knex.schema.alterTable('user_day', table => table.dropColumn('raw'));
  await knex.schema.alterTable('user_team_day', table =>
    table.dropColumn('raw'),
  );
};

/**
 * Puts each line back on its row (by user id, and team slug for memberships).
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('user_day', table => table.text('raw'));
  await knex.schema.alterTable('user_team_day', table => table.text('raw'));
  const stored = await knex('report_lines').select('scope', 'day', 'report');
  for (const { scope, day, report } of stored) {
    const record = await knex('report_lines')
      .where({ scope, day, report })
      .first('gzip');
    const lines = (await gunzip(record.gzip)).toString('utf8').split('\n');
    for (const line of lines.filter(Boolean)) {
      const value = JSON.parse(line);
      if (value.user_id === undefined) continue;
      const rows =
        report === 'users'
          ? knex('user_day').where({ scope, day, user_id: value.user_id })
          : knex('user_team_day').where({
              scope,
              day,
              user_id: value.user_id,
              team_slug: value.slug,
            });
      await rows.update({ raw: line });
    }
  }
  await knex.schema.dropTable('report_lines');
};
