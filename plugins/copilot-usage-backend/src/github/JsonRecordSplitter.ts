import { ReportFormatError, TruncatedReportError } from './errors';

/** A record of a report file: one JSON object, kept open (GitHub adds fields often). */
export type ReportRecord = Record<string, unknown>;

const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

function isWhitespace(code: number) {
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0x0d ||
    code === NEWLINE ||
    code === 0xfeff
  );
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
  #recordText: string | undefined;
  #records = 0;
  /** Once the first record fits on one line, the file is NDJSON: a record may not span lines. */
  #lineDelimited = false;

  /** NDJSON only: the start of a line whose end is in a later chunk. */
  #partialLine: string | undefined;

  *push(text: string): Generator<ReportRecord> {
    if (
      this.#partialLine !== undefined ||
      (this.#lineDelimited && this.#depth === 0 && !this.#inString)
    ) {
      yield* this.#lines(text);
    } else {
      yield* this.#scan(text);
    }
  }

  /**
   * NDJSON, once known to be: a record is a line, so the line break is found with
   * indexOf and the line goes to JSON.parse whole, without a look at every character
   * (most of a sync's parsing time before). A line JSON.parse refuses, or that is not
   * one object, goes through the scanner, which says what is wrong with it.
   */
  *#lines(chunk: string): Generator<ReportRecord> {
    const text =
      this.#partialLine === undefined ? chunk : this.#partialLine + chunk;
    this.#partialLine = undefined;
    let from = 0;
    for (;;) {
      const end = text.indexOf('\n', from);
      if (end < 0) {
        if (from < text.length) this.#partialLine = text.slice(from);
        return;
      }
      const line = text.slice(from, end);
      from = end + 1;
      if (line.trim() === '') {
        this.#line += 1;
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      if (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value)
      ) {
        this.#recordLine = this.#line;
        this.#recordText = line.endsWith('\r') ? line.slice(0, -1) : line;
        this.#line += 1;
        this.#records += 1;
        yield value as ReportRecord;
      } else {
        yield* this.#scan(`${line}\n`);
      }
    }
  }

  *#scan(text: string): Generator<ReportRecord> {
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
            // The first record showed the file is NDJSON: the rest goes by lines.
            if (this.#lineDelimited && this.#depth === 0) {
              yield* this.#lines(text.slice(i + 1));
              return;
            }
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
      if (this.#topLevel === 'array' && code === COMMA && this.#records > 0)
        continue;
      if (this.#topLevel === 'array' && code === CLOSE_BRACKET) {
        this.#topLevel = 'array-closed';
        this.#depth = 0;
        continue;
      }
      if (
        (code === OPEN_BRACE || code === OPEN_BRACKET) &&
        this.#topLevel !== 'array-closed'
      ) {
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

  /**
   * The last record's text as the file had it, when it was on one line (an NDJSON
   * line, or an element of a one-line array); undefined for a record that spanned
   * lines (the caller serialises those).
   */
  get recordText(): string | undefined {
    return this.#recordText;
  }

  /**
   * Call after the last chunk, for the last record when the file ends without a line
   * break: an unfinished record or array means the file was cut.
   */
  *end(): Generator<ReportRecord> {
    // A loop: the scanner hands what follows a record back to the line splitter,
    // which keeps an unfinished last line for later.
    while (this.#partialLine !== undefined) {
      const rest = this.#partialLine;
      this.#partialLine = undefined;
      yield* this.#scan(rest);
    }
    if (this.#depth > 0 || this.#inString) {
      const where =
        this.#depth > this.#base()
          ? `a record starting at line ${this.#recordLine}`
          : 'the JSON array';
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
    const text =
      this.#pending.length === 1 ? this.#pending[0] : this.#pending.join('');
    this.#pending = [];
    // The record's own characters, as valid JSON as the line it came from.
    this.#recordText = this.#recordLine === this.#line ? text : undefined;
    const index = this.#records;
    this.#records += 1;
    if (
      index === 0 &&
      this.#topLevel === 'values' &&
      this.#recordLine === this.#line
    ) {
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
