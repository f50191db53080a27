// @ts-check

/*
 * The last days of src/store/operations/lastDays.ts, from which an org range and the
 * team comparison that end today count their people without a distinct count:
 * - user_last_active: each person last day with a user row; team_user_last: each
 *   member last day in a team and last day active in it;
 * - team_latest_day: each team last reported day and its member count, which a
 *   team list read by joining each team last month of team_month;
 * - team_last_day: per team and day, the members whose last day in the team, and
 *   last day active in it, is that day;
 * - scope_last_day: per scope and day, the people whose last active day, and whose
 *   last day on any client version, is that day;
 * - client_version_last_day: per scope, client version and day, the people whose
 *   latest interval of that client (user_client_latest) ends that day.
 * Filled here from the day bits (which outlive retention) and user_client_latest; the
 * rollup rebuild keeps them after that. Written out here (not imported) so this
 * migration never changes.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

const WORDS = 6;
const BITS_PER_WORD = 62;
const DAY_MS = 86_400_000;

/**
 * The last day whose bit is set in a year of words, as YYYY-MM-DD.
 * @param {number} year
 * @param {Array<string | null>} words
 */
function lastDayOfYear(year, words) {
  for (let word = words.length - 1; word >= 0; word--) {
    const value = BigInt(words[word] ?? 0);
    if (value !== 0n) {
      const index = word * BITS_PER_WORD + value.toString(2).length - 1;
      return new Date(Date.UTC(year, 0, 1) + index * DAY_MS)
        .toISOString()
        .slice(0, 10);
    }
  }
  return undefined;
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('user_last_active', table => {
    table.comment('Per scope and user, the last day with a user row');
    table.string('scope', 255).notNullable();
    table.bigInteger('user_id').notNullable();
    table.string('day', 10).notNullable();
    table.primary(['scope', 'user_id']);
  });
  await knex.schema.createTable('team_user_last', table => {
    table.comment(
      'Per scope, team and user, the last day as a member of the team and the last day active in it',
    );
    table.string('scope', 255).notNullable();
    table.string('team_slug', 255).notNullable();
    table.bigInteger('user_id').notNullable();
    table.string('member_day', 10).notNullable();
    table.string('active_day', 10);
    table.primary(['scope', 'team_slug', 'user_id']);
  });
  await knex.schema.createTable('team_last_day', table => {
    table.comment(
      'Per scope, team and day, the members whose last day in the team and whose last day active in it is that day',
    );
    table.string('scope', 255).notNullable();
    table.string('team_slug', 255).notNullable();
    table.string('day', 10).notNullable();
    table.integer('member_people').notNullable();
    table.integer('active_people').notNullable();
    table.primary(['scope', 'team_slug', 'day']);
  });
  await knex.schema.createTable('team_latest_day', table => {
    table.comment(
      'Per scope and team, the last reported day of the team and its member count',
    );
    table.string('scope', 255).notNullable();
    table.string('team_slug', 255).notNullable();
    table.string('day', 10).notNullable();
    table.bigInteger('team_id').notNullable();
    table.integer('member_count').notNullable();
    table.primary(['scope', 'team_slug']);
  });
  await knex.raw(
    `INSERT INTO team_latest_day (scope, team_slug, day, team_id, member_count)
     SELECT t.scope, t.team_slug, t.last_day, t.last_team_id, t.last_member_count
     FROM team_month t
     JOIN (SELECT scope, team_slug, MAX(month) AS month FROM team_month
       GROUP BY scope, team_slug) l
       ON l.scope = t.scope AND l.team_slug = t.team_slug AND l.month = t.month`,
  );
  await knex.schema.createTable('scope_last_day', table => {
    table.comment(
      'Per scope and day, the people whose last active day and whose last day on a client version is that day',
    );
    table.string('scope', 255).notNullable();
    table.string('day', 10).notNullable();
    table.integer('active_people').notNullable();
    table.integer('version_people').notNullable();
    table.primary(['scope', 'day']);
  });
  await knex.schema.createTable('client_version_last_day', table => {
    table.comment(
      'Per scope, client version and day, the people whose latest interval of the client is that version ending that day',
    );
    table.string('scope', 255).notNullable();
    table.string('client', 64).notNullable();
    table.string('version', 128).notNullable();
    table.string('plugin', 128).notNullable();
    table.string('plugin_version', 128).notNullable();
    table.string('last_day', 10).notNullable();
    table.integer('users').notNullable();
    table.primary([
      'scope',
      'last_day',
      'client',
      'version',
      'plugin',
      'plugin_version',
    ]);
  });

  /**
   * The last day of each kind of the rows of a bits table, by key.
   * @param {'scope_user_year' | 'team_user_year'} table
   * @param {string[]} key
   * @param {Array<'active' | 'member'>} kinds
   */
  async function lastDays(table, key, kinds) {
    const columns = kinds.flatMap(kind =>
      Array.from({ length: WORDS }, (_, w) =>
        knex.raw(`CAST(${kind}_w${w} AS TEXT) AS ${kind}${w}`),
      ),
    );
    /** @type {Map<string, Record<string, any>>} */
    const last = new Map();
    const records = await knex(table).select([
      'year',
      ...key.filter(k => k !== 'user_id'),
      knex.raw('CAST(user_id AS TEXT) AS user_id'),
      ...columns,
    ]);
    for (const record of records) {
      const id = key.map(k => record[k]).join('\0');
      const entry =
        last.get(id) ?? Object.fromEntries(key.map(k => [k, record[k]]));
      for (const kind of kinds) {
        const day = lastDayOfYear(
          Number(record.year),
          Array.from({ length: WORDS }, (_, w) => record[`${kind}${w}`]),
        );
        if (day && day > (entry[kind] ?? '')) entry[kind] = day;
      }
      last.set(id, entry);
    }
    return [...last.values()];
  }

  /**
   * @param {string} table
   * @param {Array<Record<string, any>>} rows
   */
  async function insert(table, rows) {
    for (let i = 0; i < rows.length; i += 150) {
      await knex(table).insert(rows.slice(i, i + 150));
    }
  }

  const people = await lastDays(
    'scope_user_year',
    ['scope', 'user_id'],
    ['active'],
  );
  await insert(
    'user_last_active',
    people
      .filter(p => p.active)
      .map(p => ({ scope: p.scope, user_id: p.user_id, day: p.active })),
  );
  const members = await lastDays(
    'team_user_year',
    ['scope', 'team_slug', 'user_id'],
    ['member', 'active'],
  );
  await insert(
    'team_user_last',
    members
      .filter(m => m.member)
      .map(m => ({
        scope: m.scope,
        team_slug: m.team_slug,
        user_id: m.user_id,
        member_day: m.member,
        active_day: m.active ?? null,
      })),
  );
  await knex.raw(
    `INSERT INTO team_last_day (scope, team_slug, day, member_people, active_people)
     SELECT scope, team_slug, day, SUM(member), SUM(active) FROM (
       SELECT scope, team_slug, member_day AS day, 1 AS member, 0 AS active
       FROM team_user_last
       UNION ALL
       SELECT scope, team_slug, active_day, 0, 1
       FROM team_user_last WHERE active_day IS NOT NULL) people
     GROUP BY scope, team_slug, day`,
  );
  await knex.raw(
    `INSERT INTO scope_last_day (scope, day, active_people, version_people)
     SELECT scope, day, SUM(active), SUM(version) FROM (
       SELECT scope, day, 1 AS active, 0 AS version FROM user_last_active
       UNION ALL
       SELECT scope, MAX(last_day), 0, 1 FROM user_client_latest GROUP BY scope, user_id) people
     GROUP BY scope, day`,
  );
  await knex.raw(
    `INSERT INTO client_version_last_day (scope, client, version, plugin, plugin_version,
       last_day, users)
     SELECT scope, client, version, plugin, plugin_version, last_day, COUNT(*)
     FROM user_client_latest
     GROUP BY scope, client, version, plugin, plugin_version, last_day`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('client_version_last_day');
  await knex.schema.dropTable('scope_last_day');
  await knex.schema.dropTable('team_last_day');
  await knex.schema.dropTable('team_user_last');
  await knex.schema.dropTable('team_latest_day');
  await knex.schema.dropTable('user_last_active');
};
