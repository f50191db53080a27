import { Knex } from 'knex';
import { REPORT_KINDS, ScopeKey } from '../../lib/scope';
import { DayStore, ImportStore } from '../CopilotUsageStore';
import {
  DbRecord,
  aggregateDayToRecord,
  breakdownDayToRecord,
  ingestionLogFromRecord,
  ingestionLogToRecord,
  seatToRecord,
  teamDayToRecord,
  userDayToRecord,
  userTeamDayToRecord,
} from '../records';
import {
  AggregateDayRow,
  BreakdownDayRow,
  DayWriter,
  ImportedDay,
  ImportWriter,
  IngestionLogEntry,
  UserDayRow,
  UserTeamDayRow,
} from '../types';
import { RepoDayRow } from '../repoTypes';
import {
  assertRowOfDay,
  deleteWhereIn,
  insertInChunks,
  insertRows,
  storedDays,
} from './util';
import { rebuildBreakdownMonths } from './breakdownMonths';
import { replaceRepoDays } from './repoDays';
import {
  LineReport,
  membershipLine,
  ReportLinesSink,
  replaceReportLines,
} from './reportLines';
import { addClientVersionRecords, upsertClientVersions } from './userFields';

/** Client version interval records held before an upsert (a few MB at most). */
const VERSION_RECORDS_PER_UPSERT = 5000;

/** The writes of one scope+day, all inside the transaction `trx`. */
class TransactionDayWriter implements DayWriter {
  /** GitHub's lines of the reports being replaced, stored when the day's writes end. */
  readonly #lines = new Map<LineReport, ReportLinesSink>();
  /** The people whose client versions the day folded in: their latest one is refreshed at the end. */
  /** The day's client version intervals, upserted a few thousand at a time. */
  readonly #versions = new Map<string, DbRecord>();

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly scope: ScopeKey,
    private readonly day: string,
    private readonly clock: () => Date,
  ) {}

  #startLines(report: LineReport) {
    this.#lines.get(report)?.dispose();
    this.#lines.set(report, new ReportLinesSink());
  }

  async #addLines(report: LineReport, lines: string[]) {
    const sink = this.#lines.get(report);
    if (!sink) {
      throw new Error(
        `${report} rows of ${this.scope} ${this.day} were written without clearing the day first`,
      );
    }
    for (const line of lines) await sink.add(line);
  }

  /** Stores the lines of every report the day replaced; called once the writes succeeded. */
  async finish(): Promise<void> {
    for (const [report, sink] of this.#lines) {
      await replaceReportLines(this.trx, this.scope, this.day, report, sink);
    }
    this.#lines.clear();
    await this.#flushVersions();
  }

  async #flushVersions() {
    await upsertClientVersions(this.trx, [...this.#versions.values()]);
    this.#versions.clear();
  }

  dispose(): void {
    this.#lines.forEach(sink => sink.dispose());
    this.#lines.clear();
  }

  private ofDay(table: string) {
    return this.trx(table).where({ scope: this.scope, day: this.day });
  }

  async replaceAggregate(row: AggregateDayRow | undefined): Promise<void> {
    // Report data replaces imported history of the day; "no data" leaves it alone.
    const existing = this.ofDay('aggregate_day');
    await (row ? existing : existing.where({ source: 'report' })).delete();
    if (row) {
      assertRowOfDay(this.scope, this.day, row, 'aggregate');
      await this.trx('aggregate_day').insert(aggregateDayToRecord(row));
    }
  }

  async clearUserTeams(): Promise<void> {
    await this.ofDay('user_team_day').delete();
    this.#startLines('user-teams');
  }

  async insertUserTeams(rows: UserTeamDayRow[]): Promise<void> {
    rows.forEach(row =>
      assertRowOfDay(this.scope, this.day, row, 'user-teams'),
    );
    await this.#addLines('user-teams', rows.map(membershipLine));
    await insertInChunks(
      this.trx,
      'user_team_day',
      rows.map(userTeamDayToRecord),
    );
  }

  async clearUserDays(): Promise<void> {
    await this.ofDay('user_day').delete();
    this.#startLines('users');
  }

  async insertUserDays(rows: UserDayRow[]): Promise<void> {
    rows.forEach(row => assertRowOfDay(this.scope, this.day, row, 'users'));
    await this.#addLines(
      'users',
      rows.map(row => row.raw),
    );
    await insertInChunks(this.trx, 'user_day', rows.map(userDayToRecord));
    // Collected over batches: a batch of user rows is about 75 people (its lines are
    // bounded), and an upsert per batch was 465 statements a first sync at 2,500 users.
    addClientVersionRecords(this.#versions, this.scope, this.day, rows);
    if (this.#versions.size >= VERSION_RECORDS_PER_UPSERT) {
      await this.#flushVersions();
    }
  }

  async replaceBreakdowns(
    subjects: string[] | 'all-teams',
    rows: BreakdownDayRow[],
  ): Promise<void> {
    const covers = (subject: string) =>
      subjects === 'all-teams'
        ? subject.startsWith('team:')
        : subjects.includes(subject);
    for (const row of rows) {
      assertRowOfDay(this.scope, this.day, row, 'breakdown');
      if (!covers(row.subject)) {
        throw new Error(
          `Breakdown row of subject '${row.subject}' is outside the subjects being replaced`,
        );
      }
    }
    if (subjects === 'all-teams') {
      await deleteTeamBreakdowns(this.trx, this.scope, this.day);
    } else if (subjects.length > 0) {
      await this.ofDay('breakdown_day').whereIn('subject', subjects).delete();
    }
    await insertRows(this.trx, 'breakdown_day', rows, breakdownDayToRecord);
  }

  async replaceRepoDays(rows: RepoDayRow[]): Promise<void> {
    await replaceRepoDays(this.trx, this.scope, this.day, rows);
  }

  async logIngestion(
    entry: Omit<IngestionLogEntry, 'updatedAt' | 'scope' | 'day'>,
  ): Promise<void> {
    await upsertIngestionLog(this.trx, this.clock, {
      ...entry,
      scope: this.scope,
      day: this.day,
    });
  }
}

/**
 * Deletes the day's team breakdowns. SQLite is told to use the (scope, day) index:
 * left to itself it walked the primary key (scope, subject, ...) through the team rows
 * of every stored day, which grows with the history (3 ms a day at 2,500 users after
 * 28 days).
 */
async function deleteTeamBreakdowns(
  trx: Knex.Transaction,
  scope: ScopeKey,
  day: string,
) {
  if (trx.client.dialect === 'sqlite3') {
    await trx.raw(
      `DELETE FROM breakdown_day INDEXED BY breakdown_day_scope_day_idx
        WHERE scope = ? AND day = ? AND subject LIKE ?`,
      [scope, day, 'team:%'],
    );
    return;
  }
  await trx('breakdown_day')
    .where({ scope, day })
    .where('subject', 'like', 'team:%')
    .delete();
}

/**
 * Records a report's outcome. A failure never replaces a report stored complete or
 * as no data (from GitHub or the archive): a fetch that failed leaves the stored day
 * as it was, so it is no downgrade of the day; the run's error says what failed.
 */
async function upsertIngestionLog(
  db: Knex,
  clock: () => Date,
  entry: Omit<IngestionLogEntry, 'updatedAt'>,
) {
  const merge = db('ingestion_log')
    .insert(
      ingestionLogToRecord({ ...entry, updatedAt: clock().toISOString() }),
    )
    .onConflict(['scope', 'day', 'report'])
    .merge();
  await (entry.status === 'failed'
    ? merge.where('ingestion_log.status', 'failed')
    : merge);
}

/** The imports of one transaction. */
class TransactionImportWriter implements ImportWriter {
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly scope: ScopeKey,
  ) {}

  async replaceImportedDay(imported: ImportedDay): Promise<void> {
    const { scope } = this;
    const { day } = imported;
    const subjects: string[] = imported.teams.map(t => `team:${t.teamSlug}`);
    if (imported.aggregate) {
      subjects.push('org');
      assertRowOfDay(scope, day, imported.aggregate, 'imported aggregate');
      await this.trx('aggregate_day')
        .where({ scope, day, source: 'import' })
        .delete();
      await this.trx('aggregate_day').insert(
        aggregateDayToRecord({ ...imported.aggregate, source: 'import' }),
      );
    }
    const slugs = imported.teams.map(t => t.teamSlug);
    await deleteWhereIn(
      this.trx('team_day').where({ scope, day, source: 'import' }),
      'team_slug',
      slugs,
    );
    imported.teams.forEach(t => assertRowOfDay(scope, day, t, 'imported team'));
    await insertInChunks(
      this.trx,
      'team_day',
      imported.teams.map(t => teamDayToRecord({ ...t, source: 'import' })),
    );
    for (const row of imported.breakdowns) {
      assertRowOfDay(scope, day, row, 'imported breakdown');
      if (!subjects.includes(row.subject)) {
        throw new Error(
          `Imported breakdown of '${row.subject}' has no imported day of that subject`,
        );
      }
    }
    await deleteWhereIn(
      this.trx('breakdown_day').where({ scope, day }),
      'subject',
      subjects,
    );
    await insertInChunks(
      this.trx,
      'breakdown_day',
      imported.breakdowns.map(breakdownDayToRecord),
    );
    // No rollup rebuild follows an import: its months are rebuilt here.
    await rebuildBreakdownMonths(this.trx, scope, [day], subjects);
  }
}

/** One transaction per scope+day, and the ingestion log that says what each day holds. */
export function dayStore(db: Knex, clock: () => Date): DayStore {
  return {
    async writeDay(scope, day, fn) {
      await db.transaction(async trx => {
        const writer = new TransactionDayWriter(trx, scope, day, clock);
        try {
          await fn(writer);
          await writer.finish();
        } finally {
          writer.dispose();
        }
      });
    },

    async logIngestion(entry) {
      await upsertIngestionLog(db, clock, entry);
    },

    async getIngestionLog(scope, from, to) {
      const query = db('ingestion_log').where({ scope });
      if (from) {
        query.where('day', '>=', from);
      }
      if (to) {
        query.where('day', '<=', to);
      }
      const records = await query.orderBy(['day', 'report']);
      return records.map(ingestionLogFromRecord);
    },

    async getCompleteDays(scope, from, to) {
      const records = await storedDays(db, scope).whereBetween('day', [
        from,
        to,
      ]);
      return records.map(record => record.day);
    },

    async getNoDataDays(scope, from, to) {
      const records: DbRecord[] = await db('ingestion_log')
        .select('day')
        .max({ checked_at: 'updated_at' })
        .where({ scope, status: 'no_data' })
        .whereBetween('day', [from, to])
        .whereIn('report', REPORT_KINDS)
        .groupBy('day')
        .havingRaw('count(*) = ?', [REPORT_KINDS.length])
        .orderBy('day');
      return records.map(record => ({
        day: record.day,
        checkedAt: record.checked_at,
      }));
    },

    async replaceSeats(scope, snapshotDay, seats) {
      for (const seat of seats) {
        if (seat.scope !== scope || seat.snapshotDay !== snapshotDay) {
          throw new Error(
            `Cannot store a seat of ${seat.scope} ${seat.snapshotDay} in the snapshot ${scope} ${snapshotDay}`,
          );
        }
      }
      await db.transaction(async trx => {
        await trx('seat_snapshot')
          .where({ scope, snapshot_day: snapshotDay })
          .delete();
        await insertRows(trx, 'seat_snapshot', seats, seatToRecord);
      });
    },
  };
}

/** History imported from other tools, one transaction per import. */
export function importStore(db: Knex): ImportStore {
  return {
    async getReportDays(scope) {
      const records = await db('ingestion_log')
        .distinct('day')
        .where({ scope, status: 'complete' })
        .whereIn('source', ['github', 'archive'])
        .orderBy('day');
      return records.map(record => record.day as string);
    },

    async writeImport(scope, fn) {
      await db.transaction(async trx => {
        await fn(new TransactionImportWriter(trx, scope));
      });
    },
  };
}
