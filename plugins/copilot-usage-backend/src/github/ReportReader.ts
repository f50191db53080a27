import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A record of a report file: one JSON object, kept open (GitHub adds fields often). */
export type ReportRecord = Record<string, unknown>;

/** The file is not valid JSON records; `line` (and `record` for JSON arrays) say where. */
export class ReportFormatError extends Error {
  readonly name = 'ReportFormatError';
  constructor(
    message: string,
    readonly line: number,
    readonly record?: number,
  ) {
    super(message);
  }
}

/** The download ended early: connection cut, or fewer bytes than announced. */
export class TruncatedReportError extends Error {
  readonly name = 'TruncatedReportError';
}

/** The signed link expired (HTTP 403/410): ask GitHub for fresh links. */
export class ExpiredLinkError extends Error {
  readonly name = 'ExpiredLinkError';
}

/** The download host answered with an error status or could not be reached; worth another try. */
export class DownloadFailedError extends Error {
  readonly name = 'DownloadFailedError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The link points at a host that is not in `copilotUsage.download.allowedHosts`. */
export class DisallowedHostError extends Error {
  readonly name = 'DisallowedHostError';
}

export interface ReportReaderOptions {
  /** Host patterns downloads may go to; `*.example.net` matches any subdomain. */
  allowedHosts: string[];
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

const MAX_REDIRECTS = 5;
const WIRE_IDS = ['organization_id', 'enterprise_id'];

/**
 * Downloads report files from GitHub's signed links and yields their records one by
 * one while the body streams in, so a multi-megabyte file is never held in memory.
 *
 * Accepts NDJSON, a JSON array, one (pretty-printed) object or a sequence of them, and
 * `day_totals` wrappers (each element is yielded, with the wrapper's ids added). Plain
 * fetch without credentials: the GitHub token never reaches the download host.
 */
export class ReportReader {
  readonly #allowedHosts: string[];
  readonly #fetch: typeof fetch;
  #downloads = 0;
  #bytes = 0;

  constructor(options: ReportReaderOptions) {
    this.#allowedHosts = options.allowedHosts.map(h => h.trim().toLowerCase());
    this.#fetch = options.fetch ?? fetch;
  }

  get stats(): { downloads: number; bytes: number } {
    return { downloads: this.#downloads, bytes: this.#bytes };
  }

  /** Whether `url` may be downloaded under the allowed-hosts rule. */
  isAllowed(url: string): boolean {
    const { hostname, host } = new URL(url);
    return this.#allowedHosts.some(pattern => {
      const target = pattern.includes(':') ? host.toLowerCase() : hostname.toLowerCase();
      return pattern.startsWith('*.')
        ? target.endsWith(pattern.slice(1)) && target.length > pattern.length - 1
        : target === pattern;
    });
  }

  /** The records of the file at `url`, as they stream in. */
  async *read(url: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<ReportRecord> {
    for await (const { record } of this.entries(url, options)) {
      yield record;
    }
  }

  /** Like {@link ReportReader.read}, with the line each record starts on (for error messages). */
  async *entries(
    url: string,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<{ record: ReportRecord; line: number }> {
    const response = await this.#get(url, options.signal);
    const splitter = new JsonRecordSplitter();
    for await (const text of decodeText(this.#countBytes(response, url))) {
      for (const record of splitter.push(text)) {
        for (const entry of unwrapDayTotals(record)) {
          yield { record: entry, line: splitter.recordLine };
        }
      }
    }
    splitter.end();
  }

  async #get(url: string, signal?: AbortSignal): Promise<Response> {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const parsed = new URL(current);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new DisallowedHostError(`Report link uses unsupported protocol ${parsed.protocol}`);
      }
      if (!this.isAllowed(current)) {
        throw new DisallowedHostError(
          `Report download host '${parsed.host}' is not allowed; add it to copilotUsage.download.allowedHosts`,
        );
      }
      this.#downloads += 1;
      // No credentials of any kind; redirects are followed by hand so each hop is checked.
      const response = await this.#fetch(current, { redirect: 'manual', signal }).catch(error => {
        if ((error as Error).name === 'AbortError') throw error;
        throw new DownloadFailedError(
          `Report download from ${describe(current)} failed: ${(error as Error).message}`,
        );
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current).toString();
        continue;
      }
      if (response.status === 403 || response.status === 410) {
        await response.body?.cancel();
        throw new ExpiredLinkError(
          `Report link to ${describe(current)} expired or was refused (HTTP ${response.status})`,
        );
      }
      if (!response.ok || !response.body) {
        await response.body?.cancel();
        throw new DownloadFailedError(
          `Report download from ${describe(current)} failed with HTTP ${response.status}`,
          response.status,
        );
      }
      return response;
    }
    throw new Error(`Report download from ${describe(url)} redirected more than ${MAX_REDIRECTS} times`);
  }

  /** The body's bytes, checked against Content-Length and decompressed when gzip. */
  async *#countBytes(response: Response, url: string): AsyncGenerator<Uint8Array> {
    // fetch already decodes `Content-Encoding: gzip`; then Content-Length counts the
    // compressed bytes and cannot be compared with what we read.
    const expected = response.headers.get('content-encoding')
      ? undefined
      : Number(response.headers.get('content-length') ?? NaN);
    let received = 0;
    const raw = async function* (this: ReportReader) {
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          received += chunk.byteLength;
          this.#bytes += chunk.byteLength;
          yield chunk;
        }
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        throw new TruncatedReportError(
          `Report download from ${describe(url)} broke off after ${received} bytes: ${(error as Error).message}`,
        );
      }
      if (expected !== undefined && Number.isFinite(expected) && received < expected) {
        throw new TruncatedReportError(
          `Report download from ${describe(url)} ended after ${received} of ${expected} bytes`,
        );
      }
    }.call(this);
    yield* gunzipIfCompressed(raw, url);
  }
}

/** Files served as `.gz` without Content-Encoding start with the gzip magic bytes. */
async function* gunzipIfCompressed(
  chunks: AsyncGenerator<Uint8Array>,
  url: string,
): AsyncGenerator<Uint8Array> {
  const first = await chunks.next();
  if (first.done) return;
  const head = first.value;
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) {
    yield head;
    yield* chunks;
    return;
  }
  const compressed = Readable.from(
    (async function* () {
      yield head;
      yield* chunks;
    })(),
  );
  const gunzip = createGunzip();
  compressed.on('error', error => gunzip.destroy(error));
  try {
    for await (const chunk of compressed.pipe(gunzip)) {
      yield chunk as Uint8Array;
    }
  } catch (error) {
    if (error instanceof TruncatedReportError) throw error;
    throw new TruncatedReportError(
      `Report download from ${describe(url)} is not a complete gzip file: ${(error as Error).message}`,
    );
  }
}

async function* decodeText(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Host and path of a link, never its query: the signature must not reach the logs. */
export function describe(url: string): string {
  const { host, pathname } = new URL(url);
  return `${host}${pathname}`;
}

function* unwrapDayTotals(record: ReportRecord): Generator<ReportRecord> {
  const dayTotals = record.day_totals;
  if (!Array.isArray(dayTotals)) {
    yield record;
    return;
  }
  for (const entry of dayTotals) {
    const inherited = Object.fromEntries(
      WIRE_IDS.filter(id => record[id] !== undefined).map(id => [id, record[id]]),
    );
    yield { ...inherited, ...(entry as ReportRecord) };
  }
}

const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

function isWhitespace(code: number) {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === NEWLINE || code === 0xfeff;
}

/**
 * Cuts a stream of text into top-level JSON records without parsing more than one record
 * at a time: it tracks nesting (outside strings) to find where each record ends, then
 * hands that slice to JSON.parse. This one pass covers NDJSON, concatenated or
 * pretty-printed objects and a top-level array (whose elements become the records), and
 * knows the line each record starts on for error messages.
 *
 * (stream-json could split arrays too, but reports no line numbers and needs a second
 * code path for NDJSON.)
 */
export class JsonRecordSplitter {
  #line = 1;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #topLevel: 'unknown' | 'values' | 'array' | 'array-closed' = 'unknown';
  #pending: string[] = [];
  #recordLine = 0;
  #records = 0;
  /** Once the first record fits on one line, the file is NDJSON: a record may not span lines. */
  #lineDelimited = false;

  *push(text: string): Generator<ReportRecord> {
    let start = this.#depth > this.#base() ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === NEWLINE) {
        if (this.#depth > this.#base() && this.#lineDelimited) {
          throw new ReportFormatError(
            `Malformed report record at line ${this.#recordLine}: the record does not end on its line`,
            this.#recordLine,
          );
        }
        this.#line += 1;
      }
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (code === BACKSLASH) this.#escaped = true;
        else if (code === QUOTE) this.#inString = false;
        continue;
      }
      if (this.#depth > this.#base()) {
        if (code === QUOTE) this.#inString = true;
        else if (code === OPEN_BRACE || code === OPEN_BRACKET) this.#depth += 1;
        else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
          this.#depth -= 1;
          if (this.#depth === this.#base()) {
            this.#pending.push(text.slice(start, i + 1));
            start = -1;
            yield this.#completeRecord();
          }
        }
        continue;
      }
      // Between records.
      if (isWhitespace(code)) continue;
      if (code === OPEN_BRACKET && this.#topLevel === 'unknown') {
        this.#topLevel = 'array';
        this.#depth = 1;
        continue;
      }
      if (this.#topLevel === 'array' && code === COMMA && this.#records > 0) continue;
      if (this.#topLevel === 'array' && code === CLOSE_BRACKET) {
        this.#topLevel = 'array-closed';
        this.#depth = 0;
        continue;
      }
      if ((code === OPEN_BRACE || code === OPEN_BRACKET) && this.#topLevel !== 'array-closed') {
        if (this.#topLevel === 'unknown') this.#topLevel = 'values';
        this.#depth += 1;
        this.#recordLine = this.#line;
        start = i;
        continue;
      }
      throw new ReportFormatError(
        `Malformed report at line ${this.#line}${this.#arrayPosition(this.#records)}: unexpected '${text[i]}'`,
        this.#line,
        this.#topLevel === 'array' ? this.#records : undefined,
      );
    }
    if (start >= 0) this.#pending.push(text.slice(start));
  }

  /** The line the last record started on. */
  get recordLine(): number {
    return this.#recordLine;
  }

  /** Call after the last chunk: an unfinished record or array means the file was cut. */
  end(): void {
    if (this.#depth > 0 || this.#inString) {
      const where = this.#depth > this.#base() ? `a record starting at line ${this.#recordLine}` : 'the JSON array';
      throw new TruncatedReportError(`Report file ends inside ${where}`);
    }
  }

  #base() {
    return this.#topLevel === 'array' ? 1 : 0;
  }

  #arrayPosition(index: number) {
    return this.#topLevel === 'array' ? ` (record ${index})` : '';
  }

  #completeRecord(): ReportRecord {
    const text = this.#pending.length === 1 ? this.#pending[0] : this.#pending.join('');
    this.#pending = [];
    const index = this.#records;
    this.#records += 1;
    if (index === 0 && this.#topLevel === 'values' && this.#recordLine === this.#line) {
      this.#lineDelimited = true;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ReportFormatError(
        `Malformed report record at line ${this.#recordLine}${this.#arrayPosition(index)}: ${(error as Error).message}`,
        this.#recordLine,
        this.#topLevel === 'array' ? index : undefined,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ReportFormatError(
        `Malformed report record at line ${this.#recordLine}${this.#arrayPosition(index)}: expected a JSON object`,
        this.#recordLine,
        this.#topLevel === 'array' ? index : undefined,
      );
    }
    return value as ReportRecord;
  }
}
