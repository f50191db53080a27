// @ts-check

/*
 * team_user_year and scope_user_year: the days of a year a person was active (or a
 * member of a team) as bits, six 62-bit words a row (src/store/operations/dayBits.ts),
 * so range distinct counts read one row per person and year, not one per person-day.
 * Filled here from the rows already stored; the rollup rebuild keeps them after that.
 * The fill is written out here (not imported) so this migration never changes.
 * Comments contain no single quotes (Knex does not escape them in COMMENT ON).
 */

const WORDS = 6;
const BITS_PER_WORD = 62;

/**
 * @param {import('knex').Knex.CreateTableBuilder} table
 * @param {'active' | 'member'} kind
 */
function words(table, kind) {
  for (let word = 0; word < WORDS; word++) {
    table.bigInteger(`${kind}_w${word}`).notNullable().defaultTo(0);
  }
}

/** @param {string} day */
function position(day) {
  const year = Number(day.slice(0, 4));
  const index = Math.round(
    (Date.parse(`${day}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86400000,
  );
  return {
    year,
    word: Math.floor(index / BITS_PER_WORD),
    bit: 1n << BigInt(index % BITS_PER_WORD),
  };
}

const SOURCES = [
  {
    table: 'team_user_year',
    group: ['scope', 'team_slug', 'user_id'],
    kind: 'member',
    from: 'user_team_day',
  },
  {
    table: 'team_user_year',
    group: ['scope', 'team_slug', 'user_id'],
    kind: 'active',
    from: 'team_active_user_day',
  },
  {
    table: 'scope_user_year',
    group: ['scope', 'user_id'],
    kind: 'active',
    from: 'user_day',
  },
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('team_user_year', table => {
    table.comment(
      'Days of a year a user was a member of a team (member_w*) and active as one (active_w*), as bits',
    );
    table.string('scope', 255).notNullable();
    table.string('team_slug', 255).notNullable();
    table.integer('year').notNullable();
    table.bigInteger('user_id').notNullable();
    words(table, 'active');
    words(table, 'member');
    table.primary(['scope', 'team_slug', 'year', 'user_id']);
  });
  await knex.schema.createTable('scope_user_year', table => {
    table.comment('Days of a year a user had a user row in the scope, as bits');
    table.string('scope', 255).notNullable();
    table.integer('year').notNullable();
    table.bigInteger('user_id').notNullable();
    words(table, 'active');
    table.primary(['scope', 'year', 'user_id']);
  });

  for (const source of SOURCES) {
    const days = await knex(source.from)
      .distinct('scope', 'day')
      .orderBy(['scope', 'day']);
    /** @type {Map<string, string[]>} */
    const groups = new Map();
    for (const { scope, day } of days) {
      const key = `${scope}\n${position(day).year}`;
      groups.set(key, [...(groups.get(key) ?? []), day]);
    }
    for (const [key, ofYear] of groups) {
      const [scope, year] = key.split('\n');
      const sums = [];
      for (let word = 0; word < WORDS; word++) {
        const ofWord = ofYear.filter(day => position(day).word === word);
        if (ofWord.length) {
          sums.push({
            column: `${source.kind}_w${word}`,
            sql: `SUM(CASE day ${ofWord.map(day => `WHEN ? THEN ${position(day).bit}`).join(' ')} ELSE 0 END)`,
            bindings: ofWord,
          });
        }
      }
      const key_ = [...source.group.slice(0, -1), 'year', 'user_id'];
      await knex.raw(
        `INSERT INTO ${source.table} (${source.group.join(', ')}, year, ${sums.map(s => s.column).join(', ')})
         SELECT ${source.group.join(', ')}, ?, ${sums.map(s => s.sql).join(', ')}
         FROM ${source.from}
         WHERE scope = ? AND day IN (${ofYear.map(() => '?').join(', ')})
         GROUP BY ${source.group.join(', ')}
         ON CONFLICT (${key_.join(', ')}) DO UPDATE SET ${sums
           .map(
             s =>
               `${s.column} = ${source.table}.${s.column} | excluded.${s.column}`,
           )
           .join(', ')}`,
        [Number(year), ...sums.flatMap(s => s.bindings), scope, ...ofYear],
      );
    }
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scope_user_year');
  await knex.schema.dropTable('team_user_year');
};
