import type { ReportEntry } from '../github/ReportReader';
import {
  DayWriter,
  IngestionSource,
  IngestionStatus,
  UserDayRow,
  UserTeamDayRow,
} from '../store/types';
import {
  AnyReportKind,
  OptionalReportKind,
  ReportKind,
  ScopeKey,
} from '../lib/scope';
import { writeRepoReport } from './writeRepoReport';
import { parseAggregateDay, parseUserDay, parseUserTeamDay } from './parseRows';
import { TeamBreakdownAccumulator } from './TeamBreakdownAccumulator';

/** The records of one report file (or several files of one report), with their line numbers and texts. */
export type ReportEntries = AsyncIterable<ReportEntry>;

/** One report of a day: its records, or GitHub's "no data" (204). */
export type ReportInput =
  { status: 'ok'; entries: ReportEntries } | { status: 'no_data' };

/** The error of a day, carrying the report it happened in. */
export class DayError extends Error {
  constructor(
    readonly report: AnyReportKind,
    readonly cause: unknown,
  ) {
    super(
      `${report} report: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/** Rows per insert batch of the day writer, for the sync, a restore and an erase. */
export const DEFAULT_BATCH_SIZE = 500;

/**
 * GitHub's lines a batch of user rows holds at most (characters), whatever the batch
 * size: rows that wait long for their batch outlive the garbage collector's young
 * generation with their lines, and a sync of 40,000 users then promoted 2.9 GB to the
 * old generation, which grew the heap by 200 MB (bench/README.md). About 160 rows.
 */
const BATCH_TEXT_CHARS = 256 * 1024;

/** Collects rows and writes them in batches of `size` rows, or fewer when their `weight` reaches `maxWeight`. */
class Batch<T> {
  #rows: T[] = [];
  #weight = 0;
  total = 0;
  constructor(
    private readonly size: number,
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly weigh?: { of: (row: T) => number; max: number },
  ) {}

  async add(row: T) {
    this.#rows.push(row);
    this.total += 1;
    if (this.weigh) this.#weight += this.weigh.of(row);
    if (
      this.#rows.length >= this.size ||
      (this.weigh && this.#weight >= this.weigh.max)
    ) {
      await this.flush();
    }
  }

  async flush() {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    this.#weight = 0;
    await this.write(rows);
  }
}

/**
 * Parses a day's three reports and writes them through `writer` (inside the day's
 * transaction: any throw rolls the whole day back). The one path both the sync
 * (reports from GitHub) and the restore (reports from the archive) store days by.
 * Returns the user rows written.
 */
export async function writeReportDay(options: {
  scope: ScopeKey;
  day: string;
  /** The three required reports; `repos` (optional) absent leaves the stored repository rows alone. */
  reports: Record<ReportKind, ReportInput> &
    Partial<Record<OptionalReportKind, ReportInput>>;
  writer: DayWriter;
  source: IngestionSource;
  /** Rows per insert batch; default {@link DEFAULT_BATCH_SIZE}. */
  batchSize?: number;
}): Promise<number> {
  const { scope, day, reports, writer, source } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const ctx = { scope, day };
  const log = (report: AnyReportKind, status: IngestionStatus, rows: number) =>
    writer.logIngestion({ report, status, rows, source });

  // 1. GitHub's own aggregate for the scope, and the org breakdowns it carries.
  await inReport('aggregate', async () => {
    let aggregate: ReturnType<typeof parseAggregateDay> | undefined;
    for await (const { record, line } of entriesOf(reports.aggregate)) {
      if (aggregate) {
        throw new Error(
          `line ${line}: more than one aggregate record for ${day}`,
        );
      }
      aggregate = atLine(line, () => parseAggregateDay(record, ctx));
    }
    if (reports.aggregate.status === 'ok' && !aggregate) {
      throw new Error(`no aggregate record for ${day}`);
    }
    await writer.replaceAggregate(aggregate?.row);
    await writer.replaceBreakdowns(['org'], aggregate?.breakdowns ?? []);
    await log(
      'aggregate',
      aggregate ? 'complete' : 'no_data',
      aggregate ? 1 : 0,
    );
  });

  // 2. Membership of that day, needed before the users to attribute team breakdowns.
  const teams = new TeamBreakdownAccumulator(scope, day);
  await inReport('user-teams', async () => {
    await writer.clearUserTeams();
    const batch = new Batch<UserTeamDayRow>(batchSize, rows =>
      writer.insertUserTeams(rows),
    );
    for await (const { record, line, text } of entriesOf(
      reports['user-teams'],
    )) {
      const row = atLine(line, () => parseUserTeamDay(record, ctx, text));
      teams.addMembership(row);
      await batch.add(row);
    }
    await batch.flush();
    await log(
      'user-teams',
      reports['user-teams'].status === 'ok' ? 'complete' : 'no_data',
      batch.total,
    );
  });

  // 3. Per-user rows, streamed in batches; team breakdowns accumulate on the way.
  let userRows = 0;
  await inReport('users', async () => {
    await writer.clearUserDays();
    const batch = new Batch<UserDayRow>(
      batchSize,
      rows => writer.insertUserDays(rows),
      { of: row => row.raw.length, max: BATCH_TEXT_CHARS },
    );
    for await (const { record, line, text } of entriesOf(reports.users)) {
      const { row, breakdowns } = atLine(line, () =>
        parseUserDay(record, ctx, text),
      );
      atLine(line, () => teams.addUser(row.userId, breakdowns));
      await batch.add(row);
    }
    await batch.flush();
    await writer.replaceBreakdowns('all-teams', teams.rows());
    await log(
      'users',
      reports.users.status === 'ok' ? 'complete' : 'no_data',
      batch.total,
    );
    userRows = batch.total;
  });

  // 4. Repositories (repos-1-day), when the day has that report.
  const repos = reports.repos;
  if (repos) {
    await inReport('repos', () =>
      writeRepoReport(entriesOf(repos), repos.status, ctx, writer, log),
    );
  }
  return userRows;
}

async function* entriesOf(input: ReportInput): ReportEntries {
  if (input.status === 'ok') {
    yield* input.entries;
  }
}

async function inReport(report: AnyReportKind, fn: () => Promise<void>) {
  try {
    await fn();
  } catch (error) {
    throw new DayError(report, error);
  }
}

/** Prefixes an error with the line of the record it came from. */
function atLine<T>(line: number, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new Error(`line ${line}: ${(error as Error).message}`);
  }
}
