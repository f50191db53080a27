/* Step 4 of a day's write: the repos-1-day rows, inside the day's transaction. */
import { AnyReportKind } from '../lib/scope';
import { DayWriter, IngestionStatus } from '../store/types';
import { RepoDayRow } from '../store/repoTypes';
import { parseRepoDay } from './parseRepoRows';
import { RecordContext } from './parseRows';
import type { ReportEntries } from './writeReportDay';

/**
 * Parses every record first and then replaces the day's repository rows, so a
 * malformed line throws before anything is written (and the day's transaction
 * rolls back the other reports too). "No data" clears the day's rows.
 */
export async function writeRepoReport(
  entries: ReportEntries,
  status: 'ok' | 'no_data',
  ctx: RecordContext,
  writer: DayWriter,
  log: (
    report: AnyReportKind,
    status: IngestionStatus,
    rows: number,
  ) => Promise<void>,
): Promise<void> {
  if (!writer.replaceRepoDays) {
    throw new Error('this day writer cannot store repository rows');
  }
  const rows: RepoDayRow[] = [];
  for await (const { record, line } of entries) {
    try {
      rows.push(parseRepoDay(record, ctx));
    } catch (error) {
      throw new Error(`line ${line}: ${(error as Error).message}`);
    }
  }
  await writer.replaceRepoDays(rows);
  await log('repos', status === 'ok' ? 'complete' : 'no_data', rows.length);
}
