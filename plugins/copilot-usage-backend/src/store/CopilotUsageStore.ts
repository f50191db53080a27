import {
  AggregateDayRow,
  ArchiveState,
  ImportWriter,
  ReportLines,
  BreakdownDayRow,
  BreakdownDimension,
  DayWriter,
  StoredUserDayRow,
  ImportToArchive,
  IngestionLogEntry,
  RestoreState,
  SeatRow,
  SyncState,
  TeamDayRollup,
} from './types';
import { ScopeKey } from '../lib/scope';
import type {
  MetricsCounters,
  RepositoryTotals,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import type { RepoDayRow } from './repoTypes';
import type { UserFieldQueries } from './operations/userFields';
import type { DepartmentQueries } from './operations/departments';

/** Counters of one breakdown value summed over a range. */
export type BreakdownTotal = Omit<BreakdownDayRow, 'scope' | 'day' | 'subject'>;

/** Distinct users of one day with a per-user row that used each feature. */
export interface DailyFeatureUsers {
  day: string;
  chatUsers: number;
  agentUsers: number;
  cliUsers: number;
}

/** One team as known from the stored membership reports. */
export interface StoredTeam {
  scope: ScopeKey;
  teamSlug: string;
  teamId: number;
  /** Last day the team appeared in a user-teams report. */
  lastDay: string;
  /** Members on that day. */
  memberCount: number;
}

/** The writes of one day's reports, and the ingestion log that says what is stored. */
export interface DayStore {
  /**
   * Runs `fn` in one transaction for a scope+day. If `fn` throws, nothing it wrote
   * is kept and the day stays as it was.
   */
  writeDay(
    scope: ScopeKey,
    day: string,
    fn: (writer: DayWriter) => Promise<void>,
  ): Promise<void>;
  /** Records an attempt outside the day transaction (e.g. a failure after rollback). */
  logIngestion(entry: Omit<IngestionLogEntry, 'updatedAt'>): Promise<void>;
  getIngestionLog(
    scope: ScopeKey,
    from?: string,
    to?: string,
  ): Promise<IngestionLogEntry[]>;
  /** Days whose three reports are all `complete` or `no_data`. */
  getCompleteDays(scope: ScopeKey, from: string, to: string): Promise<string[]>;
  /** Days whose three reports all answered 204 (no data), with when that was last checked. */
  getNoDataDays(
    scope: ScopeKey,
    from: string,
    to: string,
  ): Promise<{ day: string; checkedAt: string }[]>;
  replaceSeats(
    scope: ScopeKey,
    snapshotDay: string,
    seats: SeatRow[],
  ): Promise<void>;
}

export interface RollupStore {
  /**
   * Recomputes team_day rollups (and the team active-user index) for the given days
   * from stored user rows joined with each day's membership, in one transaction:
   * readers see every day's old rollups or every day's new ones. Callers pass every
   * day whose trailing 28-day window contains a changed day.
   */
  rebuildTeamRollups(scope: ScopeKey, days: string[]): Promise<void>;
}

export interface SyncStateStore {
  getSyncState(scope: ScopeKey): Promise<SyncState | undefined>;
  updateSyncState(
    scope: ScopeKey,
    patch: Partial<Omit<SyncState, 'scope'>>,
  ): Promise<void>;
  listScopes(): Promise<ScopeKey[]>;
}

/** The read side of the metrics (pre-aggregated rows only). */
/** A team's figures over a range (see `getTeamRangeSummaries`). */
export interface TeamRangeSummary extends MetricsCounters {
  teamSlug: string;
  /** team_day rows in the range. */
  days: number;
  /** Of them, days with at least `minMembers` members. */
  eligibleDays: number;
  /** Of them, days from GitHub's reports (not imported). */
  reportDays: number;
  /** Members on the last day of the range the team has a row for. */
  lastMemberCount: number;
  /** Σ daily active users and Σ daily member counts (daily adoption). */
  activeUserDays: number;
  memberDays: number;
  /** Σ AI credits of the days that carry them; null when none does. */
  aiCredits: number | null;
  /** Distinct people active as members, and distinct members, over the range. */
  activeUsers: number;
  members: number;
}

export interface MetricsQueries {
  getTeamDays(
    scope: ScopeKey,
    teamSlug: string,
    from: string,
    to: string,
  ): Promise<TeamDayRollup[]>;
  /** Distinct users active in the team over [from, to], counting only days they were members. `onlyDays` restricts to those days (privacy suppression). */
  countTeamActiveUsers(
    scope: ScopeKey,
    teamSlug: string,
    from: string,
    to: string,
    onlyDays?: string[],
  ): Promise<number>;
  /**
   * Distinct members of the team on the given days (GitHub's user-teams rows); the
   * days are explicit so each is one primary-key seek, never a scan of every team.
   */
  countTeamMembers(
    scope: ScopeKey,
    teamSlug: string,
    days: string[],
  ): Promise<number>;
  /**
   * Every team's figures over [from, to] in a few grouped reads (the admins' team
   * comparison): sums of the team_day rows of the range, and distinct active users and
   * members from the day bits. Teams without a row in the range are left out.
   */
  getTeamRangeSummaries(
    scope: ScopeKey,
    from: string,
    to: string,
    minMembers: number,
  ): Promise<TeamRangeSummary[]>;
  getAggregateDays(
    scope: ScopeKey,
    from: string,
    to: string,
  ): Promise<Omit<AggregateDayRow, 'raw'>[]>;
  /** Distinct users with a user row in the scope over [from, to]. */
  countActiveUsers(scope: ScopeKey, from: string, to: string): Promise<number>;
  /**
   * Per day with user rows in [from, to]: the users who used chat, agent mode and
   * the CLI (the same counts the team rollups keep per team-day). Ascending.
   */
  getDailyFeatureUsers(
    scope: ScopeKey,
    from: string,
    to: string,
  ): Promise<DailyFeatureUsers[]>;
  /**
   * A subject's breakdowns over [from, to] (only `onlyDays` when given), summed per
   * dimension and key, with the busiest day's users. Whole months are read from their
   * rollup (`breakdown_month`): a day's breakdowns count there once its rollups are
   * rebuilt, as its team figures do.
   */
  getBreakdownTotals(
    scope: ScopeKey,
    subject: string,
    from: string,
    to: string,
    dimension?: BreakdownDimension,
    onlyDays?: string[],
  ): Promise<BreakdownTotal[]>;
  /** The breakdown rows of one subject (`org`, `team:<slug>`), one per day, dimension and key; ascending. */
  getBreakdownDays(
    scope: ScopeKey,
    subject: string,
    from: string,
    to: string,
  ): Promise<Array<BreakdownTotal & { day: string }>>;
  /** Per-user rows of one user (by id or login), for admins and the user themself. */
  getUserDays(
    scope: ScopeKey,
    user: { userId?: number; userLogin?: string },
    from: string,
    to: string,
  ): Promise<StoredUserDayRow[]>;
  getLatestSeats(scope: ScopeKey): Promise<SeatRow[]>;
}

/** Teams as GitHub's user-teams reports list them. */
export interface TeamMembershipReader {
  listTeams(scope?: ScopeKey): Promise<StoredTeam[]>;
  /** Logins in the team on the last day it appeared in a user-teams report (GitHub's own membership). */
  getLatestTeamMemberLogins(
    scope: ScopeKey,
    teamSlug: string,
  ): Promise<string[]>;
  /**
   * The latest day of the scope's user-teams report and each team's members that
   * day, straight from the report's rows: known as soon as the day is stored,
   * before the team rollups of a running backfill catch up. `undefined` without rows.
   */
  getLatestMembership(
    scope: ScopeKey,
  ): Promise<
    | { day: string; teams: Array<{ teamSlug: string; memberCount: number }> }
    | undefined
  >;
  /** Team ids known from the membership reports, by slug. */
  getTeamIds(scope: ScopeKey): Promise<Map<string, number>>;
}

export interface ArchiveStore {
  /**
   * Days whose three reports are stored (complete or no data) and that were never
   * archived, or stored again after they last were. Ascending.
   */
  getDaysToArchive(scope: ScopeKey): Promise<string[]>;
  /** The stored lines of one day's three reports, as GitHub sent them. */
  getReportLines(scope: ScopeKey, day: string): Promise<ReportLines>;
  /** Records that the days reached the archive (no `error`) or failed to. */
  recordArchiveAttempt(
    scope: ScopeKey,
    days: string[],
    outcome: { error?: string },
  ): Promise<void>;
  getArchiveState(scope: ScopeKey): Promise<ArchiveState | undefined>;
  updateArchiveState(
    scope: ScopeKey,
    patch: Partial<Omit<ArchiveState, 'scope'>>,
  ): Promise<void>;
}

/**
 * The restore's lease, shared by every replica: a restore runs while its row has no
 * `finishedAt` and a fresh heartbeat. Also the imports waiting for the archive.
 */
export interface RestoreStore {
  /** Takes the lease unless a restore holds it with a heartbeat at or after `staleBefore`. */
  acquireRestore(options: {
    trigger: 'admin' | 'automatic';
    staleBefore: string;
  }): Promise<boolean>;
  heartbeatRestore(): Promise<void>;
  /** Frees the lease; with an outcome, records it as the last restore's (without, a restore refused before it began). */
  finishRestore(outcome?: { error?: string; summary?: unknown }): Promise<void>;
  getRestoreState(): Promise<RestoreState | undefined>;
  /** No day of any scope is stored (no report, no import). */
  isEmpty(): Promise<boolean>;
  /** Keeps an imported file (gzipped) until its copy reaches the archive. */
  addImportToArchive(entry: {
    key: string;
    scope: ScopeKey;
    content: Buffer;
  }): Promise<void>;
  /** Imported files not in the archive yet, in the order they were made (by key). */
  getImportsToArchive(scope?: ScopeKey): Promise<ImportToArchive[]>;
  countImportsToArchive(scope: ScopeKey): Promise<number>;
  /** Without `error`: the file is in the archive and leaves the backlog. */
  recordImportArchived(key: string, outcome: { error?: string }): Promise<void>;
}

export interface ImportStore {
  /** Days with report data (any report stored complete from GitHub or the archive); imports never touch them. */
  getReportDays(scope: ScopeKey): Promise<string[]>;
  /** Runs `fn` in one transaction: an import is stored whole or not at all. */
  writeImport(
    scope: ScopeKey,
    fn: (writer: ImportWriter) => Promise<void>,
  ): Promise<void>;
}

/** One person's rows in the per-user tables. */
export interface UserRowCounts {
  userDay: number;
  userTeamDay: number;
  teamActiveUserDay: number;
  seatSnapshot: number;
}

/** Finding and removing one person's per-user rows (see service/UserErasure.ts). */
export interface UserErasureStore {
  /**
   * The person's rows in every scope, by login (case-insensitive) or by a user id
   * any row of that login carries: the ids, the rows per table, the days with user
   * rows, memberships or active-user index rows, and the seat snapshots naming them.
   */
  findUserData(login: string): Promise<{
    userIds: number[];
    counts: UserRowCounts;
    scopes: Array<{ scope: ScopeKey; days: string[]; seatSnapshots: string[] }>;
  }>;
  /** Deletes what is left of the person's rows in the four per-user tables, in one transaction. */
  deleteUserRows(login: string, userIds: number[]): Promise<UserRowCounts>;
}

/** One repository's figures over a range (repos-1-day). */
export interface RepoTotalsRow {
  repoOwner: string;
  repoName: string;
  /** `owner/name` in lower case. */
  repoSlug: string;
  totals: RepositoryTotals;
}

/** The repos-1-day rows (`./operations/repoDays`). */
export interface RepoQueries {
  /** A repository's rows over [from, to], by day; `slug` is `owner/name` in any case. */
  getRepoDays(
    scope: ScopeKey,
    slug: string,
    from: string,
    to: string,
  ): Promise<RepoDayRow[]>;
  /** Per repository of the scope with a row in [from, to]: sums, and merged-weighted review minutes; only `slugs` when given. */
  getRepoTotals(
    scope: ScopeKey,
    from: string,
    to: string,
    slugs?: string[],
  ): Promise<RepoTotalsRow[]>;
  /** The day's repos-1-day lines as GitHub sent them, for the archive. */
  getRepoLines(scope: ScopeKey, day: string): Promise<string[]>;
}

/** The persistence contract of the plugin; one Knex implementation (DatabaseCopilotUsageStore). */
export type CopilotUsageStore = DayStore &
  RepoQueries &
  UserErasureStore &
  RollupStore &
  SyncStateStore &
  MetricsQueries &
  UserFieldQueries &
  DepartmentQueries &
  TeamMembershipReader &
  ArchiveStore &
  RestoreStore &
  ImportStore;
