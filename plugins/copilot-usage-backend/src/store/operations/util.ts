import { Knex } from 'knex';
import { REPORT_KINDS, ScopeKey } from '../../lib/scope';
import { DbRecord } from '../records';
import { bulkInsert } from './bulkInsert';

/**
 * Rows per multi-row INSERT. SQLite builds before 3.32 stop at 999 bind variables, and
 * Knex writes SQLite inserts as a compound SELECT, limited to 500 terms. PostgreSQL
 * allows 65535 variables, but longer statements gained nothing when measured.
 */
export function rowsPerInsert(db: Knex, columnCount: number): number {
  const sqlite = db.client.dialect === 'sqlite3';
  const byVariables = Math.floor((sqlite ? 999 : 10_000) / columnCount);
  return Math.max(1, sqlite ? Math.min(byVariables, 500) : byVariables);
}

/** Inserts records of the same columns: in a transaction through {@link bulkInsert}. */
export async function insertInChunks(
  db: Knex,
  table: string,
  records: DbRecord[],
): Promise<void> {
  await bulkInsert(db, table, records, async all => {
    const chunkSize = rowsPerInsert(db, Object.keys(all[0]).length);
    for (let i = 0; i < all.length; i += chunkSize) {
      await db(table).insert(all.slice(i, i + chunkSize));
    }
  });
}

/** Rows converted to records at once by {@link insertRows} (the records are a second copy). */
const RECORDS_PER_SLICE = 5000;

/**
 * Inserts rows converted to records a slice at a time, so a long insert (a day of
 * 2,000 teams has about 100,000 team breakdown rows) never holds every record at once.
 */
export async function insertRows<T>(
  db: Knex,
  table: string,
  rows: T[],
  toRecord: (row: T) => DbRecord,
): Promise<void> {
  for (let i = 0; i < rows.length; i += RECORDS_PER_SLICE) {
    await insertInChunks(
      db,
      table,
      rows.slice(i, i + RECORDS_PER_SLICE).map(toRecord),
    );
  }
}

/** Values per `WHERE … IN (…)` of a delete, well below every engine's variable limit. */
const WHERE_IN_CHUNK = 500;

/** Deletes the rows of `query` whose `column` is one of `values`, a chunk at a time. */
export async function deleteWhereIn(
  query: Knex.QueryBuilder,
  column: string,
  values: string[],
): Promise<void> {
  for (let i = 0; i < values.length; i += WHERE_IN_CHUNK) {
    await query
      .clone()
      .whereIn(column, values.slice(i, i + WHERE_IN_CHUNK))
      .delete();
  }
}

/** Inserts the row of `scope`, or sets only the patched columns of the existing one. */
export async function upsertPatch(
  db: Knex,
  table: string,
  scope: ScopeKey,
  changes: DbRecord,
): Promise<void> {
  const insert = db(table)
    .insert({ scope, ...changes })
    .onConflict('scope');
  await (Object.keys(changes).length > 0
    ? insert.merge(Object.keys(changes))
    : insert.ignore());
}

/** Days of the scope whose three reports are all `complete` or `no_data`, ascending. */
export function storedDays(db: Knex, scope: ScopeKey) {
  return db('ingestion_log')
    .select('day')
    .where({ scope })
    .whereIn('report', REPORT_KINDS)
    .whereIn('status', ['complete', 'no_data'])
    .groupBy('day')
    .havingRaw('count(*) = ?', [REPORT_KINDS.length])
    .orderBy('day');
}

export function assertRowOfDay(
  scope: ScopeKey,
  day: string,
  row: { scope: ScopeKey; day: string },
  what: string,
) {
  if (row.scope !== scope || row.day !== day) {
    throw new Error(
      `Cannot write a ${what} row of ${row.scope} ${row.day} while writing ${scope} ${day}`,
    );
  }
}

/**
 * `expression` rounded to six decimals: a float sum depends on the order the engine
 * adds in, and a rebuilt rollup row must be the same row.
 */
export function roundedToSix(db: Knex, expression: string): string {
  return db.client.dialect === 'postgresql'
    ? `ROUND(CAST(${expression} AS numeric), 6)`
    : `ROUND(${expression}, 6)`;
}
