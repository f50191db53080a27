/*
 * Which days of a year a person was active, or a member of a team, kept as bits: one
 * row per (scope, team, user, year) in `team_user_year` and per (scope, user, year) in
 * `scope_user_year`, six 62-bit words a row (bit i of word w is day 62·w + i of the
 * year, the first of January being day 0). A range's distinct users are the rows whose
 * bits meet the range's mask: exact, and one row read per person and year instead of
 * one per person-day (a year of 100,000 seats is 36 million user rows, 100,000 bit rows).
 *
 * 62 bits keep every word below the sign bit, so SQLite and PostgreSQL agree on the
 * values; 6 × 62 = 372 covers a leap year. Masks are written into the SQL as integer
 * literals computed here (never from input), so no driver has to carry a 64-bit value.
 */
import { Knex } from 'knex';
import { daysBetween } from '../../lib/days';
import { ScopeKey } from '../../lib/scope';
import { DbRecord, toNumber } from '../records';

const BITS_PER_WORD = 62;
export const DAY_BIT_WORDS = 6;

type YearMasks = Map<number, bigint[]>;

function position(day: string) {
  const year = Number(day.slice(0, 4));
  const index = Math.round(
    (Date.parse(`${day}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000,
  );
  return {
    year,
    word: Math.floor(index / BITS_PER_WORD),
    bit: 1n << BigInt(index % BITS_PER_WORD),
  };
}

/** The days as one mask a year (word by word). */
export function yearMasks(days: Iterable<string>): YearMasks {
  const masks: YearMasks = new Map();
  for (const day of days) {
    const { year, word, bit } = position(day);
    let words = masks.get(year);
    if (!words) {
      words = new Array(DAY_BIT_WORDS).fill(0n);
      masks.set(year, words);
    }
    words[word] |= bit;
  }
  return masks;
}

/** Days of [from, to], restricted to `onlyDays` when given. */
function rangeDays(from: string, to: string, onlyDays?: string[]) {
  return onlyDays
    ? onlyDays.filter(day => day >= from && day <= to)
    : daysBetween(from, to);
}

/** `WHERE` condition: the row's `<kind>_w*` bits meet the masks of its year. */
function meets(kind: 'active' | 'member', masks: YearMasks) {
  const years = [...masks].map(([year, words]) => {
    const tests = words
      .map((mask, word) =>
        mask ? `(${kind}_w${word} & ${mask}) <> 0` : undefined,
      )
      .filter(Boolean);
    return { sql: `(year = ? AND (${tests.join(' OR ')}))`, year };
  });
  return {
    sql: `(${years.map(y => y.sql).join(' OR ')})`,
    bindings: years.map(y => y.year),
  };
}

/**
 * Distinct users whose `kind` bits meet the days, in the scope's rows of `table`
 * narrowed by `where` (a team, say). 0 for no days.
 */
export async function countUsersOnDays(
  db: Knex,
  table: 'team_user_year' | 'scope_user_year',
  kind: 'active' | 'member',
  where: Record<string, string>,
  days: string[],
): Promise<number> {
  const masks = yearMasks(days);
  if (masks.size === 0) {
    return 0;
  }
  const condition = meets(kind, masks);
  // Within one year a person has one row (of a team, or of the scope): rows are
  // counted, without the distinct's hash of every id (39 ms of 100,000 people).
  const query = db(table);
  if (masks.size === 1) query.count({ count: '*' });
  else query.countDistinct({ count: 'user_id' });
  const [record] = await query
    .where(where)
    .whereRaw(condition.sql, condition.bindings);
  return toNumber(record?.count);
}

/**
 * {@link countUsersOnDays} of both kinds for every team of the scope at once, by team
 * slug: one pass over the scope's rows of the days' years. Within one year a person
 * has one row a team, so the rows are counted; across years they are counted distinct.
 */
export async function countTeamUsersOnDays(
  db: Knex,
  scope: ScopeKey,
  days: string[],
): Promise<Map<string, { active: number; member: number }>> {
  const masks = yearMasks(days);
  if (masks.size === 0) {
    return new Map();
  }
  const active = meets('active', masks);
  const member = meets('member', masks);
  const years = [...masks.keys()];
  const flag = (condition: { sql: string; bindings: number[] }) =>
    db.raw(`CASE WHEN ${condition.sql} THEN 1 ELSE 0 END`, condition.bindings);
  let records: DbRecord[];
  if (years.length === 1) {
    records = await db('team_user_year')
      .select('team_slug', {
        active: db.raw('SUM(?)', [flag(active)]),
        member: db.raw('SUM(?)', [flag(member)]),
      })
      .where({ scope, year: years[0] })
      .groupBy('team_slug');
  } else {
    // One scan; DISTINCT's sort per team beats grouping per person first (measured).
    const distinct = (condition: { sql: string; bindings: number[] }) =>
      db.raw(`COUNT(DISTINCT CASE WHEN ${condition.sql} THEN user_id END)`, [
        ...condition.bindings,
      ]);
    records = await db('team_user_year')
      .select('team_slug', {
        active: distinct(active),
        member: distinct(member),
      })
      .where({ scope })
      .whereIn('year', years)
      .groupBy('team_slug');
  }
  return new Map(
    records.map(record => [
      record.team_slug as string,
      { active: toNumber(record.active), member: toNumber(record.member) },
    ]),
  );
}

/**
 * The ids of the users whose `kind` bits meet the days of the range, as a query to
 * pluck or to use as a subquery; undefined for no days.
 */
export function usersInRange(
  db: Knex,
  table: 'team_user_year' | 'scope_user_year',
  kind: 'active' | 'member',
  where: Record<string, string>,
  range: { from: string; to: string; onlyDays?: string[] },
): Knex.QueryBuilder | undefined {
  const masks = yearMasks(rangeDays(range.from, range.to, range.onlyDays));
  if (masks.size === 0) {
    return undefined;
  }
  const condition = meets(kind, masks);
  return db(table)
    .distinct('user_id')
    .where(where)
    .whereRaw(condition.sql, condition.bindings);
}

export function countUsersInRange(
  db: Knex,
  table: 'team_user_year' | 'scope_user_year',
  kind: 'active' | 'member',
  where: Record<string, string>,
  range: { from: string; to: string; onlyDays?: string[] },
): Promise<number> {
  return countUsersOnDays(
    db,
    table,
    kind,
    where,
    rangeDays(range.from, range.to, range.onlyDays),
  );
}

/**
 * Per team of the scope, the distinct members active in each window of days (as
 * team_active_user_day says, from the team's active bits): a subquery with
 * `team_slug` and `w0`, `w1`, … for the rollup's rolling windows. Within one year a
 * person has one row a team, so the rows are counted; across years, distinct ids.
 */
export function teamActiveInWindows(
  scope: ScopeKey,
  windows: string[][],
): { sql: string; bindings: Array<string | number> } {
  const all = yearMasks(windows.flat());
  const widest = meets('active', all);
  const distinct = all.size > 1;
  const columns = windows.map((days, index) => {
    const condition = meets('active', yearMasks(days));
    return {
      sql: distinct
        ? `COUNT(DISTINCT CASE WHEN ${condition.sql} THEN user_id END) AS w${index}`
        : `SUM(CASE WHEN ${condition.sql} THEN 1 ELSE 0 END) AS w${index}`,
      bindings: condition.bindings,
    };
  });
  return {
    sql: `SELECT team_slug, ${columns.map(c => c.sql).join(', ')}
      FROM team_user_year WHERE scope = ? AND ${widest.sql} GROUP BY team_slug`,
    bindings: [...columns.flatMap(c => c.bindings), scope, ...widest.bindings],
  };
}

/** `SUM(CASE day WHEN … THEN <bit> …)` for one word: the OR of the bits (a day is one row). */
function wordSum(days: string[], word: number) {
  const ofWord = days.filter(day => position(day).word === word);
  if (ofWord.length === 0) {
    return undefined;
  }
  return {
    sql: `SUM(CASE day ${ofWord
      .map(day => `WHEN ? THEN ${position(day).bit}`)
      .join(' ')} ELSE 0 END)`,
    bindings: ofWord,
  };
}

/** One bit source: rows of `from` on the days, grouped into `table`'s key. */
interface BitSource {
  table: 'team_user_year' | 'scope_user_year';
  key: string[];
  kind: 'active' | 'member';
  from: string;
}

const SOURCES: BitSource[] = [
  {
    table: 'team_user_year',
    key: ['scope', 'team_slug', 'year', 'user_id'],
    kind: 'member',
    from: 'user_team_day',
  },
  {
    table: 'team_user_year',
    key: ['scope', 'team_slug', 'year', 'user_id'],
    kind: 'active',
    from: 'team_active_user_day',
  },
  {
    table: 'scope_user_year',
    key: ['scope', 'year', 'user_id'],
    kind: 'active',
    from: 'user_day',
  },
];

/**
 * Sets the bits of the days from the per-day tables (user_team_day, team_active_user_day,
 * user_day), after clearing what the bits said of those days before: run it inside the
 * rollup transaction, once the days' team_active_user_day rows are rebuilt.
 */
export async function rebuildDayBits(
  trx: Knex.Transaction,
  scope: ScopeKey,
  days: string[],
): Promise<void> {
  const byYear = new Map<number, string[]>();
  for (const day of days) {
    const { year } = position(day);
    byYear.set(year, [...(byYear.get(year) ?? []), day]);
  }
  for (const [year, ofYear] of byYear) {
    const words = yearMasks(ofYear).get(year)!;
    for (const table of ['team_user_year', 'scope_user_year'] as const) {
      const kinds =
        table === 'team_user_year' ? ['active', 'member'] : ['active'];
      const columns = words.flatMap((mask, word) =>
        mask ? kinds.map(kind => ({ column: `${kind}_w${word}`, mask })) : [],
      );
      // Only rows with a bit of these days are rewritten (PostgreSQL writes a new
      // version of every row an UPDATE touches).
      await trx.raw(
        `UPDATE ${table} SET ${columns
          .map(({ column, mask }) => `${column} = ${column} & ~${mask}`)
          .join(', ')}
         WHERE scope = ? AND year = ? AND (${columns
           .map(({ column, mask }) => `(${column} & ${mask}) <> 0`)
           .join(' OR ')})`,
        [scope, year],
      );
    }
    for (const source of SOURCES) {
      const sums = words
        .map((_, word) => ({ word, sum: wordSum(ofYear, word) }))
        .filter(entry => entry.sum);
      const columns = sums.map(({ word }) => `${source.kind}_w${word}`);
      const groupKey = source.key.filter(column => column !== 'year');
      await trx.raw(
        `INSERT INTO ${source.table} (${groupKey.join(', ')}, year, ${columns.join(', ')})
         SELECT ${groupKey.join(', ')}, ?, ${sums.map(({ sum }) => sum!.sql).join(', ')}
         FROM ${source.from}
         WHERE scope = ? AND day IN (${ofYear.map(() => '?').join(', ')})
         GROUP BY ${groupKey.join(', ')}
         ON CONFLICT (${source.key.join(', ')}) DO UPDATE SET ${columns
           .map(
             column =>
               `${column} = ${source.table}.${column} | excluded.${column}`,
           )
           .join(', ')}`,
        [year, ...sums.flatMap(({ sum }) => sum!.bindings), scope, ...ofYear],
      );
    }
  }
}
