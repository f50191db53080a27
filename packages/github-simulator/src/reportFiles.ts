import { addDays } from './days';
import { ReportName } from './faults';
import type { ReportSource } from './enterprise';
import { ReportScope } from './types';

export type FileFormat = 'ndjson' | 'array' | 'object-per-file';

/** One downloadable file of a report. */
export interface ReportFile {
  scope: ReportScope;
  report: ReportName;
  /** The report day; for 28-day reports the window's end day. */
  day: string;
  part: number;
}

/** Reports whose files hold one record per user (or user and team); all others hold one aggregate object. */
export function isRowReport(report: ReportName): boolean {
  return (
    report === 'users-1-day' ||
    report === 'user-teams-1-day' ||
    report === 'users-28-day'
  );
}

/** Contiguous user ranges, one per file, so the parts of a report add up to the whole. */
function userRange(source: ReportSource, part: number, parts: number) {
  const count = source.users.length;
  return {
    from: Math.floor((part * count) / parts),
    to: Math.floor(((part + 1) * count) / parts),
  };
}

/** The records of one file, generated lazily so large files can be streamed. */
export function* fileRecords(
  source: ReportSource,
  file: ReportFile,
  parts: number,
  format: FileFormat,
): Generator<object> {
  const { scope, report, day } = file;
  if (!isRowReport(report)) {
    yield report.endsWith('28-day')
      ? source.aggregate28DayReport({ scope })
      : source.aggregateReport(day, { scope })!;
    return;
  }
  if (format === 'object-per-file') {
    // One record per file: the part number is the record's position in the report.
    let position = 0;
    for (const record of fileRecords(
      source,
      { ...file, part: 0 },
      1,
      'ndjson',
    )) {
      if (position++ === file.part) {
        yield record;
        return;
      }
    }
    return;
  }
  if (report === 'users-1-day') {
    yield* source.iterateUsersReport(day, {
      scope,
      userIndexes: userRange(source, file.part, parts),
    });
  } else if (report === 'user-teams-1-day') {
    const rows = source.userTeamsReport(day, { scope });
    const from = Math.floor((file.part * rows.length) / parts);
    const to = Math.floor(((file.part + 1) * rows.length) / parts);
    yield* rows.slice(from, to);
  } else {
    const { startDay, endDay } = source.latest28DayWindow();
    const window = { report_start_day: startDay, report_end_day: endDay };
    const userIndexes = userRange(source, file.part, parts);
    for (let d = startDay; d <= endDay; d = addDays(d, 1)) {
      for (const row of source.iterateUsersReport(d, { scope, userIndexes })) {
        yield { ...window, ...row };
      }
    }
  }
}

/** How many files the report is split into. */
export function fileCount(
  source: ReportSource,
  scope: ReportScope,
  report: ReportName,
  day: string,
  filesPerReport: number,
  format: FileFormat,
): number {
  if (!isRowReport(report)) return 1;
  if (format === 'object-per-file') {
    let count = 0;
    for (const _ of fileRecords(
      source,
      { scope, report, day, part: 0 },
      1,
      'ndjson',
    ))
      count++;
    return Math.max(1, count);
  }
  return Math.max(1, Math.floor(filesPerReport));
}

/**
 * The file's text in chunks (one record per chunk, with its separator), as
 * the format wants it: NDJSON lines, or one JSON array.
 */
export function* fileChunks(
  records: Iterable<object>,
  format: FileFormat,
  malformedLine?: number,
): Generator<string> {
  const brokenRecord = '{"user_id": 12, "user_login": ';
  let line = 0;
  const text = (record: object) =>
    ++line === malformedLine ? brokenRecord : JSON.stringify(record);
  if (format === 'array') {
    let first = true;
    for (const record of records) {
      yield `${first ? '[' : ','}${text(record)}`;
      first = false;
    }
    yield first ? '[]\n' : ']\n';
    return;
  }
  for (const record of records) {
    yield `${text(record)}\n`;
  }
}
