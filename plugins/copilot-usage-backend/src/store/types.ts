/**
 * Row types of the store (its contract is in `./CopilotUsageStore`), shared by ingest,
 * the import, the archive and the router.
 *
 * Days are `YYYY-MM-DD` strings (UTC) everywhere: they sort and compare as text on
 * SQLite and PostgreSQL alike, and no time zone can shift them.
 */

import { MetricsCounters } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { AnyReportKind, ScopeKey } from '../lib/scope';
import type { RepoDayRow } from './repoTypes';

/** One user's activity on one day (users-1-day report line). */
export interface UserDayRow extends MetricsCounters {
  scope: ScopeKey;
  day: string;
  userId: number;
  userLogin: string;
  usedChat: boolean;
  usedAgent: boolean;
  usedCli: boolean;
  /** `used_copilot_cloud_agent` or its older name `used_copilot_coding_agent` (default false). */
  usedCloudAgent?: boolean;
  /** `used_copilot_app` (default false). */
  usedCopilotApp?: boolean;
  /** `ai_credits_used`: a metrics signal, not a billed total; null when the row has none. */
  aiCreditsUsed?: number | null;
  /**
   * The client versions the row reports (one per IDE of `totals_by_ide`, and the
   * CLI): not a column, the day writer folds them into the user's version intervals.
   */
  clientVersions?: ClientVersionSample[];
  /**
   * The report line as GitHub sent it, so fields GitHub adds later are never lost:
   * not a column, the day writer keeps the day's lines compressed in `report_lines`.
   */
  raw: string;
}

/** A per-user row as stored (its line and versions are kept elsewhere). */
export type StoredUserDayRow = Omit<UserDayRow, 'raw' | 'clientVersions'>;

/** A client version a per-user row reports: an IDE (with its Copilot plugin) or `cli`. */
export interface ClientVersionSample {
  client: string;
  /** `unknown` when the row does not say. */
  version: string;
  plugin: string;
  pluginVersion: string;
}

/** One user's membership of one team on one day (user-teams-1-day report line). */
export interface UserTeamDayRow {
  scope: ScopeKey;
  day: string;
  userId: number;
  userLogin: string;
  teamId: number;
  teamSlug: string;
  /** The report line as GitHub sent it; absent, the day writer writes one from these fields. */
  raw?: string;
}

/**
 * Where a stored day comes from: `report` for GitHub's report files (synced or
 * restored from the archive), `import` for history imported from other tools.
 */
export type DataSource = 'report' | 'import';

/** GitHub's own aggregate for the org/enterprise on one day (organization-1-day). */
export interface AggregateDayRow extends MetricsCounters {
  scope: ScopeKey;
  day: string;
  dailyActiveUsers: number;
  weeklyActiveUsers: number;
  monthlyActiveUsers: number;
  /** monthly_active_chat_users */
  monthlyActiveChatUsers: number;
  /** monthly_active_agent_users */
  monthlyActiveAgentUsers: number;
  /** daily_active_cli_users (null when GitHub omits it) */
  dailyActiveCliUsers: number | null;
  raw: string;
  /** Default `report`. */
  source?: DataSource;
}

/** The counters of every feature (breakdowns have no `completion*` ones). */
export type BreakdownCounters = Omit<MetricsCounters, `completion${string}`>;

export type BreakdownDimension =
  'ide' | 'language' | 'feature' | 'model' | 'thirdPartyAgent';

/**
 * Counters for one value of one dimension (e.g. ide=vscode) on one day, for the
 * org (`subject: 'org'`) or a team (`subject: 'team:<slug>'`).
 */
export interface BreakdownDayRow extends BreakdownCounters {
  scope: ScopeKey;
  day: string;
  subject: string;
  dimension: BreakdownDimension;
  key: string;
  /** Distinct users with this value that day (0 where the source has no per-user data, e.g. org aggregate). */
  users: number;
}

/** A team's figures for one day, computed from user rows joined with that day's membership. */
export interface TeamDayRollup extends MetricsCounters {
  scope: ScopeKey;
  day: string;
  teamSlug: string;
  teamId: number;
  /** Members listed in that day's user-teams report. */
  memberCount: number;
  activeUsers: number;
  weeklyActiveUsers: number;
  monthlyActiveUsers: number;
  chatUsers: number;
  agentUsers: number;
  cliUsers: number;
  /** Members who used the cloud agent; null on imported days and older rollups. */
  cloudAgentUsers?: number | null;
  /** Members who used the Copilot app; null on imported days and older rollups. */
  copilotAppUsers?: number | null;
  /** The members' AI credits, each split 1/n over their n teams of the day; null without any. */
  aiCredits?: number | null;
  /** Default `report`. */
  source?: DataSource;
}

/**
 * One Copilot seat holder as seen at a snapshot. `raw` is GitHub's seat object,
 * or the JSON array of them for a person the enterprise lists once per grant.
 */
export interface SeatRow {
  scope: ScopeKey;
  snapshotDay: string;
  userLogin: string;
  userId: number | null;
  planType: string | null;
  createdAt: string | null;
  lastActivityAt: string | null;
  lastActivityEditor: string | null;
  lastAuthenticatedAt: string | null;
  pendingCancellationDate: string | null;
  assigningTeamSlug: string | null;
  raw: string;
}

export type IngestionStatus = 'complete' | 'no_data' | 'failed';
export type IngestionSource = 'github' | 'archive' | 'import';

export interface IngestionLogEntry {
  scope: ScopeKey;
  day: string;
  report: AnyReportKind;
  status: IngestionStatus;
  rows: number;
  source: IngestionSource;
  error?: string;
  updatedAt: string;
}

/** Progress and outcome of the sync, per scope; any replica can read it. */
export interface SyncState {
  scope: ScopeKey;
  running: boolean;
  lastRunStartedAt: string | null;
  lastRunFinishedAt: string | null;
  daysDone: number;
  daysTotal: number;
  lastError: string | null;
  /** First day stored since the team rollups were last rebuilt (a run died in between); null when none. */
  rollupsPendingFrom: string | null;
  /**
   * With `rollupsPendingFrom`: the last day such a unit may have stored; null with a
   * first day set means every stored day from there on.
   */
  rollupsPendingTo: string | null;
  /** When a sync was asked for (schedule or "sync now") and not planned yet; null when none. */
  requestedAt: string | null;
  /** The days of the current run not done yet, newest first; null when no run is in progress. */
  pendingDays: string[] | null;
  /** Last sign of life of the replica working on the run (ISO 8601). */
  heartbeatAt: string | null;
  /** When the scheduler lock of the unit working on the run expires (ISO 8601). */
  leaseExpiresAt: string | null;
}

/**
 * Writes for one scope+day, inside one transaction. `replace*` calls delete what the
 * day had for that report before inserting, so a re-fetched day replaces the old one.
 */
export interface DayWriter {
  replaceAggregate(row: AggregateDayRow | undefined): Promise<void>;
  /** Deletes the day's membership rows; then call insertUserTeams in batches. */
  clearUserTeams(): Promise<void>;
  insertUserTeams(rows: UserTeamDayRow[]): Promise<void>;
  /** Deletes the day's user rows; then call insertUserDays in batches. */
  clearUserDays(): Promise<void>;
  insertUserDays(rows: UserDayRow[]): Promise<void>;
  /** Replaces every breakdown row of the day for the given subjects ('org', 'team:<slug>'); `subjects: 'all-teams'` clears every team subject. */
  replaceBreakdowns(
    subjects: string[] | 'all-teams',
    rows: BreakdownDayRow[],
  ): Promise<void>;
  logIngestion(
    entry: Omit<IngestionLogEntry, 'updatedAt' | 'scope' | 'day'>,
  ): Promise<void>;
  /** Replaces the day's repos-1-day rows; absent on writers that never store that report (the erasure's). */
  replaceRepoDays?(rows: RepoDayRow[]): Promise<void>;
}

/** The stored lines of one day's reports, for the archive. */
export interface ReportLines {
  /** Status of each report in the ingestion log (absent when never stored). */
  statuses: Partial<Record<AnyReportKind, IngestionStatus>>;
  aggregate: string[];
  userTeams: string[];
  users: string[];
}

/** Outcome of the archive step for one scope. */
export interface ArchiveState {
  scope: ScopeKey;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
}

/** The restore from the archive (one for the whole database). */
export interface RestoreState {
  /** Who started the last (or running) restore. */
  trigger: 'admin' | 'automatic' | null;
  startedAt: string | null;
  /** Last sign of life of the replica restoring; a stale one means it died. */
  heartbeatAt: string | null;
  /** Null while a restore runs. */
  finishedAt: string | null;
  lastError: string | null;
  /** What the last restore brought back. */
  summary: unknown;
}

/** An imported file whose copy to the archive is not written yet. */
export interface ImportToArchive {
  key: string;
  scope: ScopeKey;
  /** The file as uploaded, gzipped. */
  content: Buffer;
  attemptedAt: string | null;
  error: string | null;
}

/** One imported day of an org or team, without per-user rows behind it. */
export interface ImportedDay {
  day: string;
  /** The org aggregate, or undefined for a file of team days only. */
  aggregate?: AggregateDayRow;
  teams: TeamDayRollup[];
  /** Org (`org`) and team (`team:<slug>`) breakdowns of the day. */
  breakdowns: BreakdownDayRow[];
}

/** Writes of one import, inside one transaction. */
export interface ImportWriter {
  /**
   * Replaces what an earlier import stored for the same day and subjects (the org
   * when `aggregate` is given, each team given). Never touches report data: the
   * caller leaves out days with reports.
   */
  replaceImportedDay(day: ImportedDay): Promise<void>;
}
