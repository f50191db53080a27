/*
 * Bulk inserts of the day writer without Knex building a statement per batch (a third
 * of a first sync's time when profiled: bench/README.md). Inside a transaction:
 * - SQLite (better-sqlite3): one prepared INSERT per table and connection, run once
 *   per row; the driver is synchronous, so a row costs no round trip.
 * - PostgreSQL: plain inserts stream through one `COPY ... FROM STDIN` per call (text
 *   format, written as the rows are read, so no statement holds them all); inserts
 *   with an `ON CONFLICT` clause, which COPY cannot take, run one
 *   `INSERT ... SELECT * FROM unnest($1::type[], ...)` per batch, an array parameter
 *   per column, as a named prepared statement: the same short text for every batch
 *   size, parsed and planned once per connection.
 * Anything else (another driver, no transaction) goes through Knex's multi-row insert.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Knex } from 'knex';
import { from as copyFrom } from 'pg-copy-streams';
import { DbRecord } from '../records';

interface SqliteStatement {
  run(...values: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
interface PgConnection {
  query(config: {
    name?: string;
    text: string;
    values?: unknown[];
  }): Promise<{ rows: DbRecord[] }>;
  query<T extends NodeJS.WritableStream>(stream: T): T;
}

const sqliteStatements = new WeakMap<object, Map<string, SqliteStatement>>();
const pgColumnTypes = new WeakMap<object, Map<string, Map<string, string>>>();

/** The connection's own map in `cache`: what is prepared on one connection is unknown to the others. */
function perConnection<K, V>(
  cache: WeakMap<object, Map<K, V>>,
  connection: object,
) {
  let map = cache.get(connection);
  if (!map) {
    map = new Map();
    cache.set(connection, map);
  }
  return map;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** What better-sqlite3 binds: it refuses booleans and undefined. */
function sqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  return value;
}

async function insertSqlite(
  connection: SqliteConnection,
  table: string,
  columns: string[],
  records: DbRecord[],
  onConflict: string,
) {
  const sql = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ${onConflict}`;
  const statements = perConnection(sqliteStatements, connection);
  let statement = statements.get(sql);
  if (!statement) {
    statement = connection.prepare(sql);
    statements.set(sql, statement);
  }
  const values = new Array<unknown>(columns.length);
  for (const record of records) {
    for (let i = 0; i < columns.length; i++) {
      values[i] = sqliteValue(record[columns[i]]);
    }
    statement.run(...values);
  }
}

/** The SQL type of each column of `table` (as the search path finds it), once per connection. */
async function columnTypes(connection: PgConnection, table: string) {
  const tables = perConnection(pgColumnTypes, connection);
  let types = tables.get(table);
  if (!types) {
    const { rows } = await connection.query({
      text: `SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
      values: [table],
    });
    types = new Map(rows.map(row => [row.attname as string, row.type]));
    tables.set(table, types);
  }
  return types;
}

async function insertPostgres(
  connection: PgConnection,
  table: string,
  columns: string[],
  records: DbRecord[],
  onConflict: string,
) {
  const types = await columnTypes(connection, table);
  const casts = columns.map((column, i) => {
    const type = types.get(column);
    if (!type) throw new Error(`Table ${table} has no column ${column}`);
    return `$${i + 1}::${type}[]`;
  });
  const text = `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) SELECT * FROM unnest(${casts.join(', ')}) ${onConflict}`;
  const name = `copilot_usage_insert_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
  const values = columns.map(column =>
    records.map(record => record[column] ?? null),
  );
  await connection.query({ name, text, values });
}

/** What COPY's text format escapes in a value (it ends columns with tabs, rows with line breaks). */
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A value in COPY's text format, as the driver would have sent it as a parameter. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') {
    return String(value);
  }
  if (Buffer.isBuffer(value)) return `\\\\x${value.toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/[\\\n\r\t]/g, c => COPY_ESCAPES[c]);
}

/** Rows of COPY text per chunk written to the connection. */
const COPY_ROWS_PER_CHUNK = 500;

async function copyPostgres(
  connection: PgConnection,
  table: string,
  columns: string[],
  records: DbRecord[],
) {
  function* chunks() {
    for (let i = 0; i < records.length; i += COPY_ROWS_PER_CHUNK) {
      let text = '';
      const end = Math.min(i + COPY_ROWS_PER_CHUNK, records.length);
      for (let r = i; r < end; r++) {
        const record = records[r];
        for (let c = 0; c < columns.length; c++) {
          text += (c === 0 ? '' : '\t') + copyValue(record[columns[c]]);
        }
        text += '\n';
      }
      yield text;
    }
  }
  const copy = connection.query(
    copyFrom(
      `COPY ${quote(table)} (${columns.map(quote).join(', ')}) FROM STDIN`,
    ),
  );
  await pipeline(Readable.from(chunks()), copy);
}

/**
 * Rows per PostgreSQL upsert (unnest) statement: each column's array is one parameter,
 * so only memory bounds it. The driver writes each array out as text, and what it builds for 5,000
 * rows outlived the young generation: 40,000 seats in slices of 5,000 grew the heap by
 * 95 MB and the RSS by 100 MB, in slices of 1,000 by 26 and 25 MB (bench/README.md).
 */
const POSTGRES_BATCH = 1000;

/**
 * Inserts `records` (every one with the same columns, as the record mappings write
 * them) into `table`, through the fast path of the transaction's driver when it has one.
 * `onConflict` is an `ON CONFLICT ...` clause in the engine's SQL (no key may repeat
 * within one call: PostgreSQL refuses to touch a row twice in a statement).
 */
export async function bulkInsert(
  db: Knex,
  table: string,
  records: DbRecord[],
  fallback: (records: DbRecord[]) => Promise<void>,
  onConflict = '',
): Promise<void> {
  if (records.length === 0) return;
  const driver = (db.client as { driverName?: string }).driverName;
  if (!db.isTransaction || (driver !== 'better-sqlite3' && driver !== 'pg')) {
    await fallback(records);
    return;
  }
  const columns = Object.keys(records[0]);
  // A transaction's client hands out the transaction's own connection.
  const connection = await db.client.acquireConnection();
  if (driver === 'better-sqlite3') {
    await insertSqlite(connection, table, columns, records, onConflict);
    return;
  }
  if (!onConflict) {
    await copyPostgres(connection, table, columns, records);
    return;
  }
  for (let i = 0; i < records.length; i += POSTGRES_BATCH) {
    await insertPostgres(
      connection,
      table,
      columns,
      records.slice(i, i + POSTGRES_BATCH),
      onConflict,
    );
  }
}
