import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { addDays } from '../lib/days';
import {
  BreakdownTotal,
  CopilotUsageStore,
  StoredTeam,
} from './CopilotUsageStore';
import {
  ACTIVITY_COUNTER_COLUMNS,
  BREAKDOWN_COUNTER_COLUMNS,
  DbRecord,
  aggregateDayFromRecord,
  aggregateDayToRecord,
  breakdownDayToRecord,
  breakdownTotalFromRecord,
  ingestionLogFromRecord,
  ingestionLogToRecord,
  seatFromRecord,
  seatToRecord,
  syncStateFromRecord,
  syncStatePatchToRecord,
  teamDayFromRecord,
  teamDayToRecord,
  toNumber,
  userDayFromRecord,
  userDayToRecord,
  userTeamDayToRecord,
} from './records';
import {
  AggregateDayRow,
  ArchiveState,
  BreakdownDayRow,
  BreakdownDimension,
  DayWriter,
  ImportedDay,
  ImportWriter,
  IngestionLogEntry,
  IngestionStatus,
  ReportLines,
  SeatRow,
  SyncState,
  TeamDayRollup,
  UserDayRow,
  UserTeamDayRow,
} from './types';
import { REPORT_KINDS, ReportKind, ScopeKey } from '../lib/scope';

const migrationsDir = resolvePackagePath(
  '@copilot-usage/backstage-plugin-copilot-usage-backend',
  'migrations',
);

/** Trailing windows of the team rolling metrics, the day itself included. */
const WEEK_DAYS = 7;
const MONTH_DAYS = 28;

/**
 * Rows per multi-row INSERT. SQLite builds before 3.32 stop at 999 bind variables, and
 * Knex writes SQLite inserts as a compound SELECT, limited to 500 terms. PostgreSQL
 * allows 65535 variables, but longer statements gained nothing when measured.
 */
function rowsPerInsert(db: Knex, columnCount: number): number {
  const sqlite = db.client.dialect === 'sqlite3';
  const byVariables = Math.floor((sqlite ? 999 : 10_000) / columnCount);
  return Math.max(1, sqlite ? Math.min(byVariables, 500) : byVariables);
}

async function insertInChunks(
  db: Knex,
  table: string,
  records: DbRecord[],
): Promise<void> {
  if (records.length === 0) {
    return;
  }
  const chunkSize = rowsPerInsert(db, Object.keys(records[0]).length);
  for (let i = 0; i < records.length; i += chunkSize) {
    await db(table).insert(records.slice(i, i + chunkSize));
  }
}

/** `day` shifted by `delta` days; days are `YYYY-MM-DD` in UTC. */
function assertRowOfDay(
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

/** The writes of one scope+day, all inside the transaction `trx`. */
class TransactionDayWriter implements DayWriter {
  constructor(
    private readonly trx: Knex.Transaction,
    private readonly scope: ScopeKey,
    private readonly day: string,
    private readonly clock: () => Date,
  ) {}

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
  }

  async insertUserTeams(rows: UserTeamDayRow[]): Promise<void> {
    rows.forEach(row =>
      assertRowOfDay(this.scope, this.day, row, 'user-teams'),
    );
    await insertInChunks(
      this.trx,
      'user_team_day',
      rows.map(userTeamDayToRecord),
    );
  }

  async clearUserDays(): Promise<void> {
    await this.ofDay('user_day').delete();
  }

  async insertUserDays(rows: UserDayRow[]): Promise<void> {
    rows.forEach(row => assertRowOfDay(this.scope, this.day, row, 'users'));
    await insertInChunks(this.trx, 'user_day', rows.map(userDayToRecord));
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
    const existing = this.ofDay('breakdown_day');
    if (subjects === 'all-teams') {
      await existing.where('subject', 'like', 'team:%').delete();
    } else if (subjects.length > 0) {
      await existing.whereIn('subject', subjects).delete();
    }
    await insertInChunks(
      this.trx,
      'breakdown_day',
      rows.map(breakdownDayToRecord),
    );
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

async function upsertIngestionLog(
  db: Knex,
  clock: () => Date,
  entry: Omit<IngestionLogEntry, 'updatedAt'>,
) {
  await db('ingestion_log')
    .insert(
      ingestionLogToRecord({ ...entry, updatedAt: clock().toISOString() }),
    )
    .onConflict(['scope', 'day', 'report'])
    .merge();
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
    for (let i = 0; i < slugs.length; i += 500) {
      await this.trx('team_day')
        .where({ scope, day, source: 'import' })
        .whereIn('team_slug', slugs.slice(i, i + 500))
        .delete();
    }
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
    for (let i = 0; i < subjects.length; i += 500) {
      await this.trx('breakdown_day')
        .where({ scope, day })
        .whereIn('subject', subjects.slice(i, i + 500))
        .delete();
    }
    await insertInChunks(
      this.trx,
      'breakdown_day',
      imported.breakdowns.map(breakdownDayToRecord),
    );
  }
}

/**
 * The Knex implementation of {@link CopilotUsageStore}, for SQLite and PostgreSQL.
 *
 * Team figures are pre-aggregated by {@link DatabaseCopilotUsageStore.rebuildTeamRollups}
 * into `team_day` and `team_active_user_day`, so queries never scan per-user rows of
 * a whole team.
 */
export class DatabaseCopilotUsageStore implements CopilotUsageStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
    /** Stamps the ingestion log (when a day was last checked); tests pin it. */
    clock?: () => Date;
  }): Promise<DatabaseCopilotUsageStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseCopilotUsageStore(
      client,
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly db: Knex,
    private readonly clock: () => Date,
  ) {}

  // ---- ingestion --------------------------------------------------------

  async writeDay(
    scope: ScopeKey,
    day: string,
    fn: (writer: DayWriter) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction(async trx => {
      await fn(new TransactionDayWriter(trx, scope, day, this.clock));
    });
  }

  async logIngestion(
    entry: Omit<IngestionLogEntry, 'updatedAt'>,
  ): Promise<void> {
    await upsertIngestionLog(this.db, this.clock, entry);
  }

  async getIngestionLog(
    scope: ScopeKey,
    from?: string,
    to?: string,
  ): Promise<IngestionLogEntry[]> {
    const query = this.db('ingestion_log').where({ scope });
    if (from) {
      query.where('day', '>=', from);
    }
    if (to) {
      query.where('day', '<=', to);
    }
    const records = await query.orderBy(['day', 'report']);
    return records.map(ingestionLogFromRecord);
  }

  async getCompleteDays(
    scope: ScopeKey,
    from: string,
    to: string,
  ): Promise<string[]> {
    const records = await this.db('ingestion_log')
      .select('day')
      .where({ scope })
      .whereBetween('day', [from, to])
      .whereIn('report', REPORT_KINDS)
      .whereIn('status', ['complete', 'no_data'])
      .groupBy('day')
      .havingRaw('count(*) = ?', [REPORT_KINDS.length])
      .orderBy('day');
    return records.map(record => record.day);
  }

  async getNoDataDays(
    scope: ScopeKey,
    from: string,
    to: string,
  ): Promise<{ day: string; checkedAt: string }[]> {
    const records: DbRecord[] = await this.db('ingestion_log')
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
  }

  async rebuildTeamRollups(scope: ScopeKey, days: string[]): Promise<void> {
    // Ascending, because a day's rolling windows read the active-user index of the
    // 27 days before it, which this same call may be rebuilding. One transaction: a
    // reader never sees some days rebuilt and the windows after them not yet.
    const ascending = [...new Set(days)].sort();
    await this.db.transaction(async trx => {
      if (trx.client.dialect === 'postgresql') {
        // During a first sync PostgreSQL has no useful statistics for these tables,
        // expects a handful of rows per day and nests loops over thousands (measured:
        // 23 s instead of 4 s for 28 days of 10,000 users). Hash joins suit every size.
        await trx.raw('SET LOCAL enable_nestloop = off');
      }
      for (const day of ascending) {
        await rebuildTeamActiveUsers(trx, scope, day);
        await rebuildTeamDays(trx, scope, day);
      }
    });
  }

  async replaceSeats(
    scope: ScopeKey,
    snapshotDay: string,
    seats: SeatRow[],
  ): Promise<void> {
    for (const seat of seats) {
      if (seat.scope !== scope || seat.snapshotDay !== snapshotDay) {
        throw new Error(
          `Cannot store a seat of ${seat.scope} ${seat.snapshotDay} in the snapshot ${scope} ${snapshotDay}`,
        );
      }
    }
    await this.db.transaction(async trx => {
      await trx('seat_snapshot')
        .where({ scope, snapshot_day: snapshotDay })
        .delete();
      await insertInChunks(trx, 'seat_snapshot', seats.map(seatToRecord));
    });
  }

  async getSyncState(scope: ScopeKey): Promise<SyncState | undefined> {
    const record = await this.db('sync_state').where({ scope }).first();
    return record ? syncStateFromRecord(record) : undefined;
  }

  async updateSyncState(
    scope: ScopeKey,
    patch: Partial<Omit<SyncState, 'scope'>>,
  ): Promise<void> {
    const changes = syncStatePatchToRecord(patch);
    const insert = this.db('sync_state')
      .insert({ scope, ...changes })
      .onConflict('scope');
    await (Object.keys(changes).length > 0
      ? insert.merge(Object.keys(changes))
      : insert.ignore());
  }

  async listScopes(): Promise<ScopeKey[]> {
    const records = await this.db
      .select('scope')
      .from('ingestion_log')
      .union(this.db.select('scope').from('sync_state'));
    return records.map(record => record.scope as string).sort();
  }

  // ---- queries ------------------------------------------------------------

  async listTeams(scope?: ScopeKey): Promise<StoredTeam[]> {
    const lastDays = this.db('team_day')
      .select('scope', 'team_slug')
      .max({ last_day: 'day' })
      .groupBy('scope', 'team_slug');
    if (scope) {
      lastDays.where({ scope });
    }
    const records = await this.db('team_day as t')
      .join(lastDays.as('l'), join =>
        join
          .on('t.scope', 'l.scope')
          .andOn('t.team_slug', 'l.team_slug')
          .andOn('t.day', 'l.last_day'),
      )
      .select('t.scope', 't.team_slug', 't.team_id', 't.day', 't.member_count')
      .orderBy(['t.scope', 't.team_slug']);
    return records.map(record => ({
      scope: record.scope,
      teamSlug: record.team_slug,
      teamId: toNumber(record.team_id),
      lastDay: record.day,
      memberCount: toNumber(record.member_count),
    }));
  }

  async getLatestTeamMemberLogins(
    scope: ScopeKey,
    teamSlug: string,
  ): Promise<string[]> {
    const lastDay = this.db('user_team_day')
      .where({ scope, team_slug: teamSlug })
      .max('day');
    const records = await this.db('user_team_day')
      .where({ scope, team_slug: teamSlug })
      .where('day', lastDay)
      .select('user_login')
      .orderBy('user_login');
    return records.map(record => record.user_login);
  }

  async getTeamDays(
    scope: ScopeKey,
    teamSlug: string,
    from: string,
    to: string,
  ): Promise<TeamDayRollup[]> {
    const records = await this.db('team_day')
      .where({ scope, team_slug: teamSlug })
      .whereBetween('day', [from, to])
      .orderBy('day');
    return records.map(teamDayFromRecord);
  }

  async countTeamActiveUsers(
    scope: ScopeKey,
    teamSlug: string,
    from: string,
    to: string,
    onlyDays?: string[],
  ): Promise<number> {
    if (onlyDays && onlyDays.length === 0) {
      return 0;
    }
    const query = this.db('team_active_user_day')
      .countDistinct({ count: 'user_id' })
      .where({ scope, team_slug: teamSlug })
      .whereBetween('day', [from, to]);
    if (onlyDays) {
      query.whereIn('day', onlyDays);
    }
    const [record] = await query;
    return toNumber(record?.count);
  }

  async getAggregateDays(
    scope: ScopeKey,
    from: string,
    to: string,
  ): Promise<Omit<AggregateDayRow, 'raw'>[]> {
    const records = await this.db('aggregate_day')
      .where({ scope })
      .whereBetween('day', [from, to])
      .orderBy('day');
    return records.map(aggregateDayFromRecord);
  }

  async countActiveUsers(
    scope: ScopeKey,
    from: string,
    to: string,
  ): Promise<number> {
    const [record] = await this.db('user_day')
      .countDistinct({ count: 'user_id' })
      .where({ scope })
      .whereBetween('day', [from, to]);
    return toNumber(record?.count);
  }

  async getBreakdownTotals(
    scope: ScopeKey,
    subject: string,
    from: string,
    to: string,
    dimension?: BreakdownDimension,
    onlyDays?: string[],
  ): Promise<BreakdownTotal[]> {
    if (onlyDays && onlyDays.length === 0) {
      return [];
    }
    const query = this.db('breakdown_day')
      .select('dimension', 'key')
      // Distinct users cannot be summed across days: report the busiest day's count.
      .max({ users: 'users' })
      .where({ scope, subject })
      .whereBetween('day', [from, to])
      .groupBy('dimension', 'key')
      .orderBy(['dimension', 'key']);
    for (const column of Object.values(BREAKDOWN_COUNTER_COLUMNS)) {
      query.sum({ [column]: column });
    }
    if (dimension) {
      query.where({ dimension });
    }
    if (onlyDays) {
      query.whereIn('day', onlyDays);
    }
    const records = await query;
    return records.map(breakdownTotalFromRecord);
  }

  async getUserDays(
    scope: ScopeKey,
    user: { userId?: number; userLogin?: string },
    from: string,
    to: string,
  ): Promise<UserDayRow[]> {
    const query = this.db('user_day')
      .where({ scope })
      .whereBetween('day', [from, to])
      .orderBy('day');
    // The id survives renames, so it wins when both are given.
    if (user.userId !== undefined) {
      query.where({ user_id: user.userId });
    } else if (user.userLogin !== undefined) {
      query.where({ user_login: user.userLogin });
    } else {
      return [];
    }
    const records = await query;
    return records.map(userDayFromRecord);
  }

  async getLatestSeats(scope: ScopeKey): Promise<SeatRow[]> {
    const records = await this.db('seat_snapshot')
      .where({ scope })
      .where(
        'snapshot_day',
        this.db('seat_snapshot').max('snapshot_day').where({ scope }),
      )
      .orderBy('user_login');
    return records.map(seatFromRecord);
  }

  // ---- archive ------------------------------------------------------------

  async getDaysToArchive(scope: ScopeKey): Promise<string[]> {
    const stored: DbRecord[] = await this.db('ingestion_log')
      .select('day')
      .max({ changed_at: 'updated_at' })
      .where({ scope })
      .whereIn('report', REPORT_KINDS)
      .whereIn('status', ['complete', 'no_data'])
      .groupBy('day')
      .havingRaw('count(*) = ?', [REPORT_KINDS.length])
      .orderBy('day');
    const archived = new Map<string, string>(
      (
        await this.db('archive_log')
          .select('day', 'archived_at')
          .where({ scope })
          .whereNotNull('archived_at')
      ).map(record => [record.day, record.archived_at]),
    );
    return stored
      .filter(record => {
        const archivedAt = archived.get(record.day);
        return !archivedAt || archivedAt < record.changed_at;
      })
      .map(record => record.day as string);
  }

  async getReportLines(scope: ScopeKey, day: string): Promise<ReportLines> {
    const statuses: Partial<Record<ReportKind, IngestionStatus>> = {};
    for (const record of await this.db('ingestion_log').where({ scope, day })) {
      statuses[record.report as ReportKind] = record.status as IngestionStatus;
    }
    const aggregate: string[] = await this.db('aggregate_day')
      .where({ scope, day, source: 'report' })
      .pluck('raw');
    const users: string[] = await this.db('user_day')
      .where({ scope, day })
      .orderBy('user_id')
      .pluck('raw');
    const memberships = await this.db('user_team_day')
      .where({ scope, day })
      .orderBy(['team_slug', 'user_id']);
    const userTeams = memberships.map(
      record =>
        record.raw ??
        // Stored before lines were kept: the fields the plugin reads, in GitHub's names.
        JSON.stringify({
          user_id: toNumber(record.user_id),
          user_login: record.user_login,
          day: record.day,
          team_id: toNumber(record.team_id),
          slug: record.team_slug,
        }),
    );
    return { statuses, aggregate, userTeams, users };
  }

  async recordArchiveAttempt(
    scope: ScopeKey,
    days: string[],
    outcome: { error?: string },
  ): Promise<void> {
    const now = this.clock().toISOString();
    const records = days.map(day => ({
      scope,
      day,
      attempted_at: now,
      error: outcome.error ?? null,
      ...(outcome.error ? {} : { archived_at: now }),
    }));
    const chunk = rowsPerInsert(this.db, 5);
    for (let i = 0; i < records.length; i += chunk) {
      await this.db('archive_log')
        .insert(records.slice(i, i + chunk))
        .onConflict(['scope', 'day'])
        // A failure keeps the time of the last successful write.
        .merge(
          outcome.error
            ? ['attempted_at', 'error']
            : ['attempted_at', 'error', 'archived_at'],
        );
    }
  }

  async getArchiveState(scope: ScopeKey): Promise<ArchiveState | undefined> {
    const record = await this.db('archive_state').where({ scope }).first();
    return record
      ? {
          scope: record.scope,
          lastRunAt: record.last_run_at ?? null,
          lastSuccessAt: record.last_success_at ?? null,
          lastError: record.last_error ?? null,
        }
      : undefined;
  }

  async updateArchiveState(
    scope: ScopeKey,
    patch: Partial<Omit<ArchiveState, 'scope'>>,
  ): Promise<void> {
    const columns = {
      lastRunAt: 'last_run_at',
      lastSuccessAt: 'last_success_at',
      lastError: 'last_error',
    } as const;
    const changes: DbRecord = {};
    for (const [field, column] of Object.entries(columns)) {
      const value = patch[field as keyof typeof columns];
      if (value !== undefined) {
        changes[column] = value;
      }
    }
    const insert = this.db('archive_state')
      .insert({ scope, ...changes })
      .onConflict('scope');
    await (Object.keys(changes).length > 0
      ? insert.merge(Object.keys(changes))
      : insert.ignore());
  }

  async listSeatSnapshotDays(scope: ScopeKey): Promise<string[]> {
    const records = await this.db('seat_snapshot')
      .distinct('snapshot_day')
      .where({ scope })
      .orderBy('snapshot_day');
    return records.map(record => record.snapshot_day as string);
  }

  async getSeats(scope: ScopeKey, snapshotDay: string): Promise<SeatRow[]> {
    const records = await this.db('seat_snapshot')
      .where({ scope, snapshot_day: snapshotDay })
      .orderBy('user_login');
    return records.map(seatFromRecord);
  }

  // ---- import -------------------------------------------------------------

  async getReportDays(scope: ScopeKey): Promise<string[]> {
    const records = await this.db('ingestion_log')
      .distinct('day')
      .where({ scope, status: 'complete' })
      .whereIn('source', ['github', 'archive'])
      .orderBy('day');
    return records.map(record => record.day as string);
  }

  async writeImport(
    scope: ScopeKey,
    fn: (writer: ImportWriter) => Promise<void>,
  ): Promise<void> {
    await this.db.transaction(async trx => {
      await fn(new TransactionImportWriter(trx, scope));
    });
  }

  async getTeamIds(scope: ScopeKey): Promise<Map<string, number>> {
    const records: DbRecord[] = await this.db('user_team_day')
      .select('team_slug')
      .max({ team_id: 'team_id' })
      .where({ scope })
      .groupBy('team_slug');
    return new Map(
      records.map(record => [record.team_slug, toNumber(record.team_id)]),
    );
  }
}

/**
 * team_active_user_day of one day: members of a team who had a user row that day.
 * Runs before team_day of the day is replaced: the teams of its current rows are the
 * teams that can have index rows that day, which lets the delete use the primary key.
 */
async function rebuildTeamActiveUsers(
  trx: Knex.Transaction,
  scope: ScopeKey,
  day: string,
) {
  const teamSlugs: string[] = await trx('team_day')
    .where({ scope, day })
    .pluck('team_slug');
  for (let i = 0; i < teamSlugs.length; i += 500) {
    await trx('team_active_user_day')
      .where({ scope, day })
      .whereIn('team_slug', teamSlugs.slice(i, i + 500))
      .delete();
  }
  await trx.raw(
    `INSERT INTO team_active_user_day (scope, team_slug, day, user_id)
     SELECT m.scope, m.team_slug, m.day, m.user_id
     FROM user_team_day m
     JOIN user_day u ON u.scope = m.scope AND u.day = m.day AND u.user_id = m.user_id
     WHERE m.scope = ? AND m.day = ?`,
    [scope, day],
  );
}

const counterColumns = Object.values(ACTIVITY_COUNTER_COLUMNS);

/**
 * team_day of one day, one row per team in that day's membership (zeros when nobody
 * was active). Needs team_active_user_day of the day and the 27 days before it.
 */
async function rebuildTeamDays(
  trx: Knex.Transaction,
  scope: ScopeKey,
  day: string,
) {
  // Imported history (no membership behind it) survives, unless the day now has
  // membership from the reports: report data replaces it.
  const hasMembership = await trx('user_team_day')
    .where({ scope, day })
    .first('day');
  const existing = trx('team_day').where({ scope, day });
  await (
    hasMembership ? existing : existing.whereNot({ source: 'import' })
  ).delete();
  const distinctActiveSince = `(SELECT COUNT(DISTINCT a.user_id) FROM team_active_user_day a
       WHERE a.scope = m.scope AND a.team_slug = m.team_slug AND a.day >= ? AND a.day <= m.day)`;
  const userCount = (flag: string) =>
    `SUM(CASE WHEN u.${flag} THEN 1 ELSE 0 END)`;
  await trx.raw(
    `INSERT INTO team_day (scope, day, team_slug, team_id, member_count, active_users,
       weekly_active_users, monthly_active_users, chat_users, agent_users, cli_users,
       ${counterColumns.join(', ')})
     SELECT m.scope, m.day, m.team_slug, MAX(m.team_id), COUNT(*), COUNT(u.user_id),
       ${distinctActiveSince}, ${distinctActiveSince},
       ${userCount('used_chat')}, ${userCount('used_agent')}, ${userCount('used_cli')},
       ${counterColumns.map(column => `COALESCE(SUM(u.${column}), 0)`).join(', ')}
     FROM user_team_day m
     LEFT JOIN user_day u ON u.scope = m.scope AND u.day = m.day AND u.user_id = m.user_id
     WHERE m.scope = ? AND m.day = ?
     GROUP BY m.scope, m.day, m.team_slug`,
    [
      addDays(day, -(WEEK_DAYS - 1)),
      addDays(day, -(MONTH_DAYS - 1)),
      scope,
      day,
    ],
  );
}
