/*
 * GitHub's own per-user lines of a day (the users and user-teams reports), kept as one
 * gzip member per scope, day and report in `report_lines`, not as a text column on
 * every row: the archive, a restore and an erase read them back whole, nothing queries
 * inside them, and compressed they take a tenth of the space (bench/README.md).
 */
import { Knex } from 'knex';
import { once } from 'node:events';
import { promisify } from 'node:util';
import type { TransformOptions } from 'node:stream';
import { createGzip, gunzip, Gzip, ZlibOptions } from 'node:zlib';
import { ScopeKey } from '../../lib/scope';
import { toNumber } from '../records';
import { UserTeamDayRow } from '../types';

/** The reports whose lines are kept here (the aggregate's one line stays on its row). */
export type LineReport = 'users' | 'user-teams';

const gunzipAsync = promisify(gunzip);

/**
 * Level 3: measured on a day of the benchmark's users report (5.8 MB), 12x smaller in
 * 16 ms, where level 6 gives 17x in 42 ms. The sync writes these on every day it
 * stores, so speed wins; the compression runs on libuv's thread pool.
 */
const GZIP_LEVEL = 3;
/** Lines are joined into chunks of about this many characters before compression. */
const CHUNK_CHARS = 256 * 1024;

/**
 * The stream buffers four chunks (Node's default is 16 KB): the day's writes go on
 * while the thread pool compresses, instead of waiting for it after every chunk
 * (bench/README.md). Node passes stream options through; ZlibOptions omits them.
 */
const GZIP_OPTIONS: ZlibOptions &
  Pick<TransformOptions, 'writableHighWaterMark'> = {
  level: GZIP_LEVEL,
  writableHighWaterMark: 4 * CHUNK_CHARS,
};

/** One report's lines of the day on their way into a gzip member. */
export class ReportLinesSink {
  readonly #gzip: Gzip = createGzip(GZIP_OPTIONS);
  readonly #output: Buffer[] = [];
  readonly #ended: Promise<unknown>;
  #pending: string[] = [];
  #pendingChars = 0;
  lineCount = 0;
  textBytes = 0;

  constructor() {
    this.#gzip.on('data', (chunk: Buffer) => this.#output.push(chunk));
    this.#ended = once(this.#gzip, 'end');
    // A failure surfaces from add() or close(); the listener keeps it from being unhandled.
    this.#ended.catch(() => {});
  }

  async add(line: string): Promise<void> {
    this.#pending.push(line);
    this.#pendingChars += line.length + 1;
    this.lineCount += 1;
    if (this.#pendingChars >= CHUNK_CHARS) await this.#flush();
  }

  /** The gzip member of every line added, each ended by a line break. */
  async close(): Promise<Buffer> {
    await this.#flush();
    this.#gzip.end();
    await this.#ended;
    return Buffer.concat(this.#output);
  }

  /** Frees the stream of a day that failed. */
  dispose(): void {
    this.#gzip.destroy();
  }

  async #flush() {
    if (this.#pending.length === 0) return;
    const text = `${this.#pending.join('\n')}\n`;
    this.#pending = [];
    this.#pendingChars = 0;
    const bytes = Buffer.from(text, 'utf8');
    this.textBytes += bytes.length;
    if (!this.#gzip.write(bytes)) await once(this.#gzip, 'drain');
  }
}

/** A membership line as GitHub names its fields, for rows stored before lines were kept. */
export function membershipLine(row: UserTeamDayRow): string {
  return (
    row.raw ??
    JSON.stringify({
      user_id: row.userId,
      user_login: row.userLogin,
      day: row.day,
      team_id: row.teamId,
      slug: row.teamSlug,
    })
  );
}

/** Replaces the stored lines of one report of the day; no lines leaves none stored. */
export async function replaceReportLines(
  trx: Knex.Transaction,
  scope: ScopeKey,
  day: string,
  report: LineReport,
  sink: ReportLinesSink,
): Promise<void> {
  const gzip = await sink.close();
  await trx('report_lines').where({ scope, day, report }).delete();
  if (sink.lineCount === 0) return;
  await trx('report_lines').insert({
    scope,
    day,
    report,
    line_count: sink.lineCount,
    text_bytes: sink.textBytes,
    gzip,
  });
}

/** The stored lines of one report of the day, in the order they were written. */
export async function readReportLines(
  db: Knex,
  scope: ScopeKey,
  day: string,
  report: LineReport,
): Promise<string[]> {
  const record = await db('report_lines')
    .where({ scope, day, report })
    .first('gzip', 'line_count');
  if (!record) return [];
  const text = (await gunzipAsync(record.gzip as Buffer)).toString('utf8');
  const lines = text.split('\n');
  lines.pop(); // after the last line break
  if (lines.length !== toNumber(record.line_count)) {
    throw new Error(
      `The stored ${report} lines of ${scope} ${day} are damaged: ${lines.length} lines, ${record.line_count} expected`,
    );
  }
  return lines;
}
