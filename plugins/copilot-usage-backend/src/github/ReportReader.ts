import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import {
  DisallowedHostError,
  DownloadFailedError,
  ExpiredLinkError,
  TruncatedReportError,
} from './errors';
import { JsonRecordSplitter, ReportRecord } from './JsonRecordSplitter';

export interface ReportReaderOptions {
  /** Host patterns downloads may go to; `*.example.net` matches any subdomain. */
  allowedHosts: string[];
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
}

/** A report file downloaded to disk, read back as often as needed until disposed. */
export interface SpooledReport {
  entries(): AsyncGenerator<ReportEntry>;
  dispose(): Promise<void>;
}

/** A record of a report file, the line it starts on and, for an NDJSON line, its text. */
export interface ReportEntry {
  record: ReportRecord;
  line: number;
  text?: string;
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

  constructor(options: ReportReaderOptions) {
    this.#allowedHosts = options.allowedHosts.map(h => h.trim().toLowerCase());
    this.#fetch = options.fetch ?? fetch;
  }

  /** Whether `url` may be downloaded under the allowed-hosts rule. */
  isAllowed(url: string): boolean {
    const { hostname, host } = new URL(url);
    return this.#allowedHosts.some(pattern => {
      const target = pattern.includes(':')
        ? host.toLowerCase()
        : hostname.toLowerCase();
      return pattern.startsWith('*.')
        ? target.endsWith(pattern.slice(1)) &&
            target.length > pattern.length - 1
        : target === pattern;
    });
  }

  /** The records of the file at `url`, as they stream in. */
  async *read(
    url: string,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<ReportRecord> {
    for await (const { record } of this.entries(url, options)) {
      yield record;
    }
  }

  /** Like {@link ReportReader.read}, with the line each record starts on (for error messages). */
  async *entries(
    url: string,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<ReportEntry> {
    const response = await this.#get(url, options.signal);
    yield* entriesOfText(this.#countBytes(response, url));
  }

  /**
   * Downloads the file at `url` into `dir` (checked as {@link ReportReader.entries}
   * checks it: host, redirects, length, gzip) and hands back its entries read from
   * there. The sync downloads a day this way before it opens the day's transaction,
   * so no transaction waits on the network and SQLite's one writer stays busy.
   */
  async spool(
    url: string,
    options: { signal?: AbortSignal; dir: string },
  ): Promise<SpooledReport> {
    const response = await this.#get(url, options.signal);
    const file = path.join(options.dir, `${randomUUID()}.report`);
    try {
      await pipeline(
        Readable.from(this.#countBytes(response, url)),
        fs.createWriteStream(file),
        { signal: options.signal },
      );
    } catch (error) {
      await fs.promises.rm(file, { force: true });
      throw error;
    }
    return {
      entries: () =>
        entriesOfText(fs.createReadStream(file, { highWaterMark: 1 << 16 })),
      dispose: () => fs.promises.rm(file, { force: true }),
    };
  }

  async #get(url: string, signal?: AbortSignal): Promise<Response> {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const parsed = new URL(current);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
        throw new DisallowedHostError(
          `Report link uses unsupported protocol ${parsed.protocol}`,
        );
      }
      if (!this.isAllowed(current)) {
        throw new DisallowedHostError(
          `Report download host '${parsed.host}' is not allowed; add it to copilotUsage.download.allowedHosts`,
        );
      }
      // No credentials of any kind; redirects are followed by hand so each hop is checked.
      const hopUrl = current;
      const response = await this.#fetch(hopUrl, {
        redirect: 'manual',
        signal,
      }).catch(error => {
        if ((error as Error).name === 'AbortError') throw error;
        throw new DownloadFailedError(
          `Report download from ${describe(hopUrl)} failed: ${(error as Error).message}`,
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
    throw new Error(
      `Report download from ${describe(url)} redirected more than ${MAX_REDIRECTS} times`,
    );
  }

  /** The body's bytes, checked against Content-Length and decompressed when gzip. */
  async *#countBytes(
    response: Response,
    url: string,
  ): AsyncGenerator<Uint8Array> {
    // fetch already decodes `Content-Encoding: gzip`; then Content-Length counts the
    // compressed bytes and cannot be compared with what we read.
    const expected = response.headers.get('content-encoding')
      ? undefined
      : Number(response.headers.get('content-length') ?? NaN);
    let received = 0;
    const raw = async function* countedChunks(this: ReportReader) {
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          received += chunk.byteLength;
          yield chunk;
        }
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        throw new TruncatedReportError(
          `Report download from ${describe(url)} broke off after ${received} bytes: ${(error as Error).message}`,
        );
      }
      if (
        expected !== undefined &&
        Number.isFinite(expected) &&
        received < expected
      ) {
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
    (async function* replayHead() {
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

/** The entries of a report file's bytes. */
async function* entriesOfText(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<ReportEntry> {
  const splitter = new JsonRecordSplitter();
  const entriesOf = function* entriesOf(records: Iterable<ReportRecord>) {
    for (const record of records) {
      for (const entry of unwrapDayTotals(record)) {
        yield {
          record: entry,
          line: splitter.recordLine,
          // An element of a day_totals wrapper is not a line of the file.
          text: entry === record ? splitter.recordText : undefined,
        };
      }
    }
  };
  for await (const text of decodeText(chunks)) {
    yield* entriesOf(splitter.push(text));
  }
  yield* entriesOf(splitter.end());
}

async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<string> {
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
      WIRE_IDS.filter(id => record[id] !== undefined).map(id => [
        id,
        record[id],
      ]),
    );
    yield { ...inherited, ...(entry as ReportRecord) };
  }
}
