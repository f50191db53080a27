/*
 * Request and response types of the copilot-usage backend routes
 * (`/api/copilot-usage`). The backend produces exactly these shapes and the
 * frontend client consumes them; both import them from here.
 *
 * Days are `YYYY-MM-DD` strings (UTC) everywhere.
 */

/**
 * A calendar day in UTC, formatted `YYYY-MM-DD`.
 *
 * @public
 */
export type IsoDay = string;

/**
 * Longest range (in days, both ends included) a metrics route answers.
 *
 * @public
 */
export const MAX_RANGE_DAYS = 366;

/**
 * Length of the default range (in days, both ends included).
 *
 * @public
 */
export const DEFAULT_RANGE_DAYS = 28;

/**
 * The counters that are summed over teams, days and ranges.
 *
 * The `completion*` counters are the same activity restricted to the
 * `code_completion` feature; the acceptance rates are computed from them.
 *
 * @public
 */
export interface MetricsCounters {
  /** GitHub's `user_initiated_interaction_count`. */
  interactions: number;
  /** GitHub's `code_generation_activity_count`, all features. */
  codeGenerations: number;
  /** GitHub's `code_acceptance_activity_count`, all features. */
  codeAcceptances: number;
  locSuggestedToAdd: number;
  locSuggestedToDelete: number;
  locAdded: number;
  locDeleted: number;
  completionGenerations: number;
  completionAcceptances: number;
  completionLocSuggestedToAdd: number;
  completionLocAdded: number;
}

/**
 * Names of the summed counters, in display (and CSV column) order.
 *
 * @public
 */
export const METRICS_COUNTER_KEYS: ReadonlyArray<keyof MetricsCounters> = [
  'interactions',
  'codeGenerations',
  'codeAcceptances',
  'locSuggestedToAdd',
  'locSuggestedToDelete',
  'locAdded',
  'locDeleted',
  'completionGenerations',
  'completionAcceptances',
  'completionLocSuggestedToAdd',
  'completionLocAdded',
];

/**
 * One day of a team's or an org's metrics.
 *
 * User counts are distinct users. For a team they are computed from per-user rows
 * joined with that day's team membership; for an org they are GitHub's own
 * aggregate figures. A field is `null` where the source does not have it at that
 * level (GitHub's org aggregate has no daily chat or agent user count, only the
 * monthly ones; a team has no monthly chat or agent user count).
 *
 * @public
 */
export interface MetricsDay extends MetricsCounters {
  day: IsoDay;
  activeUsers: number;
  /** Distinct users active in the trailing 7 days (members on the day they were active, for a team). */
  weeklyActiveUsers: number;
  /** Distinct users active in the trailing 28 days (members on the day they were active, for a team). */
  monthlyActiveUsers: number;
  /** Distinct users who used chat that day. `null` for an org. */
  chatUsers: number | null;
  /** Distinct users who used agent mode that day. `null` for an org. */
  agentUsers: number | null;
  /** Distinct users who used the Copilot CLI that day; `null` when GitHub did not report it. */
  cliUsers: number | null;
  /** GitHub's `monthly_active_chat_users`. `null` for a team. */
  monthlyActiveChatUsers: number | null;
  /** GitHub's `monthly_active_agent_users`. `null` for a team. */
  monthlyActiveAgentUsers: number | null;
  /** Members of the team that day (from the user-teams report). `null` for an org. */
  memberCount: number | null;
  /**
   * Only in documents built for admins: the day has fewer members than
   * `minTeamSize` and is hidden from everyone else.
   */
  belowMinTeamSize?: boolean;
  /**
   * Where the day comes from: `report` for GitHub's usage reports, `import` for
   * history imported from files of other tools (the legacy `/copilot/metrics` or
   * `/copilot/usage` APIs). GitHub warns that the report counters cover more
   * surfaces, so charts mark where the source changes. Absent means `report`.
   */
  source?: MetricsDaySource;
}

/**
 * Where a day of metrics comes from (see {@link MetricsDay.source}).
 *
 * @public
 */
export type MetricsDaySource = 'report' | 'import';

/**
 * The figures of a whole range.
 *
 * Counters are summed; `activeUsers` is the number of distinct users active on
 * any day of the range (never a sum of daily counts); the rates are weighted over
 * the range (sum of numerators over sum of denominators), never a mean of daily
 * rates, and `null` when there is nothing to divide by.
 *
 * @public
 */
export interface MetricsTotals extends MetricsCounters {
  activeUsers: number;
  /** Days of the range that contributed to these totals. */
  days: number;
  /**
   * Teams only: distinct users who were members of the team on at least one
   * day these totals include (so `activeUsers` never exceeds it). Absent where
   * the backend does not compute it, and for an org or a user.
   */
  members?: number | null;
  completionAcceptanceRate: number | null;
  locAcceptanceRate: number | null;
}

/**
 * The dimensions GitHub breaks activity down by.
 *
 * @public
 */
export type BreakdownDimension = 'ide' | 'language' | 'feature' | 'model';

/**
 * One value of a breakdown dimension (e.g. `vscode` for `ide`), summed over the range.
 *
 * @public
 */
export interface BreakdownItem {
  key: string;
  interactions: number;
  codeGenerations: number;
  codeAcceptances: number;
  locSuggestedToAdd: number;
  locSuggestedToDelete: number;
  locAdded: number;
  locDeleted: number;
  /**
   * The most distinct users with this value on any single day of the range
   * (distinct users cannot be summed across days). 0 where the source has no
   * per-user data (GitHub's org aggregate).
   */
  peakDailyUsers: number;
}

/**
 * What a metrics document is about.
 *
 * @public
 */
export type MetricsScope =
  | {
      type: 'team';
      /** The Backstage Group, e.g. `group:default/team-a`. */
      entityRef: string;
      org: string;
      slug: string;
      title: string;
    }
  | { type: 'org'; org: string };

/**
 * Why a metrics document carries no numbers.
 *
 * - `below-min-team-size`: every day of the range with data had fewer team
 *   members than the privacy threshold.
 * - `no-data`: the team has no stored day in the range.
 *
 * @public
 */
export type NotEligibleReason = 'below-min-team-size' | 'no-data';

/**
 * Which days of the range have data.
 *
 * @public
 */
export interface MetricsCoverage {
  /** Days in the range, both ends included. */
  daysInRange: number;
  /** Days in the range whose reports the sync stored completely. */
  daysWithData: number;
  /** The last day in the range whose reports the sync stored completely, if any. */
  lastDay: IsoDay | null;
}

/**
 * Response of `GET /teams/:namespace/:name/metrics` and `GET /orgs/:org/metrics`.
 *
 * For a team, days with fewer than `minTeamSize` members are left out of `days`,
 * `totals` and `breakdowns` for everyone but admins and counted in
 * `suppressedDays`. When no day of the range is left, `eligible` is `false`,
 * `notEligibleReason` says why, and the document carries no numbers (`days` and
 * every breakdown empty, `totals` zero with `null` rates). Admins get every day
 * (flagged `belowMinTeamSize`), with `eligible` still telling whether others
 * would see numbers.
 *
 * @public
 */
export interface MetricsDocument {
  scope: MetricsScope;
  from: IsoDay;
  to: IsoDay;
  coverage: MetricsCoverage;
  eligible: boolean;
  notEligibleReason?: NotEligibleReason;
  /** The privacy threshold applied (members per team-day). */
  minTeamSize: number;
  /** Team-days of the range below `minTeamSize` (always 0 for an org). */
  suppressedDays: number;
  days: MetricsDay[];
  totals: MetricsTotals;
  breakdowns: Record<BreakdownDimension, BreakdownItem[]>;
}

/**
 * One team the caller may view.
 *
 * @public
 */
export interface TeamListItem {
  /** The Backstage Group, e.g. `group:default/team-a`. */
  entityRef: string;
  org: string;
  slug: string;
  title: string;
  /**
   * Whether the team met `minTeamSize` on the last day it appeared in GitHub's
   * membership report (`false` as well when it never appeared).
   */
  eligible: boolean;
}

/**
 * Response of `GET /teams`.
 *
 * @public
 */
export interface TeamListResponse {
  items: TeamListItem[];
}

/**
 * One team's summary over a range, for the admin comparison table.
 *
 * @public
 */
export interface TeamComparisonRow {
  org: string;
  slug: string;
  /** The Backstage Group mapped to this team, or `null` when there is none. */
  entityRef: string | null;
  title: string;
  /**
   * Members on the last day of the range the team has data for; `null` when the
   * team has no membership rows in the range (GitHub leaves teams with fewer
   * than 5 seated members out of its user-teams report).
   */
  memberCount: number | null;
  /**
   * The average share of the team's members active on a day:
   * Σ daily active users / Σ daily member counts over the days of the range
   * the totals include (the `dailyAdoption` function). At most 1 by construction,
   * unlike the range's distinct active users over one day's members, which
   * passes 100% when membership changes. `null` without membership rows.
   */
  dailyAdoption: number | null;
  eligible: boolean;
  notEligibleReason?: NotEligibleReason;
  suppressedDays: number;
  /** Over every day of the range (admins see suppressed days too). */
  totals: MetricsTotals;
}

/**
 * Response of `GET /orgs/:org/teams`.
 *
 * @public
 */
export interface TeamComparisonResponse {
  org: string;
  from: IsoDay;
  to: IsoDay;
  minTeamSize: number;
  items: TeamComparisonRow[];
}

/**
 * Response of `GET /orgs/:org/seats`: Copilot seats at the latest snapshot.
 *
 * `activeLast30Days + inactive + neverUsed === total`.
 *
 * @public
 */
export interface SeatUtilisation {
  org: string;
  /** The day the seats were listed; `null` when no snapshot exists yet (all counts 0). */
  snapshotDay: IsoDay | null;
  /** Seats listed by GitHub's billing API. */
  total: number;
  /** Seats not pending cancellation. */
  assigned: number;
  /** Seats with activity in the 7 days up to the snapshot day. */
  activeLast7Days: number;
  /** Seats with activity in the 30 days up to the snapshot day. */
  activeLast30Days: number;
  /** Seats with no recorded activity at all. */
  neverUsed: number;
  /** Seats used before, but not in the 30 days up to the snapshot day. */
  inactive: number;
  /** Seats with a pending cancellation date. */
  pendingCancellation: number;
}

/**
 * A failed report download or ingestion, from the ingestion log.
 *
 * @public
 */
export interface SyncFailure {
  day: IsoDay;
  report: string;
  error: string;
  at: string;
}

/**
 * The sync's state for one scope (an org or the enterprise).
 *
 * @public
 */
export interface ScopeSyncStatus {
  /** `org:<name>` or `enterprise:<name>`. */
  scope: string;
  /**
   * A backend is working on a sync of this scope now (its heartbeat is fresh). A
   * backend that crashed or stopped mid-sync leaves `interrupted` instead.
   */
  running: boolean;
  /**
   * Set when a sync has days left that no backend is working on (a backend crashed
   * or stopped mid-run). `progress` tells how far it got; the next unit of work
   * resumes it.
   */
  interrupted?: SyncInterruption;
  lastRunStartedAt: string | null;
  lastRunFinishedAt: string | null;
  /** Progress of the current (or last) run. */
  progress: { daysDone: number; daysTotal: number };
  lastError: string | null;
  /** First day the ingestion log knows of. */
  firstDay: IsoDay | null;
  /** The last day whose three reports are stored completely (with data or not). */
  lastCompleteDay: IsoDay | null;
  /** Days from `firstDay` to the last day GitHub publishes that are stored completely with data. */
  daysComplete: number;
  /** Days with a stored organization aggregate. */
  daysWithData: number;
  /**
   * Days from `firstDay` to the last day GitHub publishes for which GitHub answered
   * "no data" (204). The sync asks for them again: daily in the week after the day,
   * weekly after, while GitHub still holds the day.
   */
  daysNoData: number;
  /** Days from `firstDay` to the last day GitHub publishes that are not stored completely. */
  daysMissing: number;
  /** The most recent failures, newest first (at most 20). */
  recentFailures: SyncFailure[];
  /** The S3 archive step for this scope; absent when no archive is configured or it never ran. */
  archive?: ArchiveStatus;
}

/**
 * A sync that stopped before its last day (see {@link ScopeSyncStatus.interrupted}).
 *
 * @public
 */
export interface SyncInterruption {
  /** The last sign of life of the backend that ran it. */
  since: string;
  /** When a backend will have resumed it (if one is running). */
  resumesBy: string;
}

/**
 * Outcome of the S3 archive step for one scope.
 *
 * @public
 */
export interface ArchiveStatus {
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  /** Why the last archive step failed (e.g. an unreachable bucket); `null` after a success. */
  lastError: string | null;
  /** Stored days not yet in the archive (or changed since); written on the next run. */
  daysPending: number;
  /** Imported files not yet copied to the archive (its bucket was down); retried on the next run. */
  importsPending: number;
}

/**
 * The restore from the archive (`GET /status`, when an archive is configured).
 *
 * @public
 */
export interface RestoreStatus {
  /** A restore runs now (on any backend); the sync waits for it. */
  running: boolean;
  /**
   * The database holds no day: the next unit of the sync restores from the archive
   * (when it holds data) before it fetches anything from GitHub.
   */
  databaseEmpty: boolean;
  /** Who started the last (or running) restore: an admin or the sync on an empty database. */
  trigger: 'admin' | 'automatic' | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Why the last restore failed; null after a success. */
  lastError: string | null;
  /** What the last restore that succeeded brought back. */
  lastRestore: RestoreResponse | null;
}

/**
 * Response of `POST /import` (admins): what a history file added.
 *
 * @public
 */
export interface ImportResponse {
  file: string;
  /** `teams-history`, `metrics-days` or `usage-days`. */
  format: string;
  /** `org:<name>`. */
  scope: string;
  orgDays: number;
  teamDays: number;
  teams: number;
  /**
   * Teams of the file that the org's membership reports do not list (sorted). The
   * import refuses such a file (400) unless `unknownTeams=keep` is given; then they
   * are stored under their slugs and listed here.
   */
  unknownTeams: string[];
  /** Days of the file left alone because report data covers them. */
  skippedReportDays: IsoDay[];
  firstDay: IsoDay | null;
  lastDay: IsoDay | null;
  /** The archive key the file was copied to, when an archive is configured. */
  archiveKey?: string;
  /** Set when the import is stored but its copy to the archive failed. */
  archiveError?: string;
  /** The copy to the archive failed and waits in the backlog: every archive step retries it. */
  archivePending?: boolean;
}

/**
 * Response of `POST /archive/restore` (admins): what was rebuilt from the archive.
 *
 * @public
 */
export interface RestoreResponse {
  scopes: Array<{
    scope: string;
    days: number;
    seatSnapshots: number;
    /** Days with an incomplete set of report files in the archive (fetched again by the sync). */
    skippedDays: IsoDay[];
  }>;
  imports: Array<{ key: string; orgDays: number; teamDays: number }>;
}

/**
 * Response of `DELETE /users/:login` (admins): what erasing one person removed.
 * GitHub's own org aggregate has no per-person data and is left as it is; team
 * figures of the affected days (and of the 27 days after them, whose rolling
 * windows contain them) are rebuilt from the remaining per-user rows.
 *
 * @public
 */
export interface UserErasureResponse {
  /** The login as asked for (matched case-insensitively). */
  login: string;
  /** True when nothing is left: the database and the archive (if any) hold no row or line of the person. */
  complete: boolean;
  /** Rows removed per table. */
  removed: {
    userDay: number;
    userTeamDay: number;
    teamActiveUserDay: number;
    seatSnapshot: number;
  };
  /** Per scope, the days whose per-user rows changed and the seat snapshots that named the person. */
  scopes: Array<{
    scope: string;
    days: IsoDay[];
    seatSnapshots: IsoDay[];
  }>;
  /** The S3 archive: whether one is configured, the files rewritten without the person, and why it failed. */
  archive: {
    configured: boolean;
    /** Archive keys rewritten without the person's lines. */
    filesRewritten: string[];
    /** Why the archive could not be rewritten; the database was left as it was, call again. */
    error?: string;
  };
}

/**
 * Response of `GET /status`.
 *
 * @public
 */
export interface SyncStatus {
  scopes: ScopeSyncStatus[];
  /** The restore from the archive; absent when no archive is configured. */
  restore?: RestoreStatus;
}

/**
 * Response of `POST /sync` (202). A sync that is already running answers 409.
 *
 * @public
 */
export interface SyncTriggerResponse {
  status: 'started';
}

/**
 * One day of the signed-in user's own activity in one org.
 *
 * @public
 */
export interface UserMetricsDay extends MetricsCounters {
  day: IsoDay;
  org: string;
  usedChat: boolean;
  usedAgent: boolean;
  usedCli: boolean;
}

/**
 * Response of `GET /me/metrics`: the signed-in user's own per-day rows across the
 * configured orgs. There is no user parameter by design.
 *
 * @public
 */
export interface UserMetricsDocument {
  user: {
    entityRef: string;
    /** The GitHub login matched against the reports. */
    login: string;
  };
  from: IsoDay;
  to: IsoDay;
  /** Sorted by day, then org. */
  days: UserMetricsDay[];
  /** Counters summed over `days`; `activeUsers` is 1 when there is any day, `days` the distinct active days. */
  totals: MetricsTotals;
}

/**
 * Response of `GET /health`.
 *
 * @public
 */
export interface HealthResponse {
  status: 'ok';
}
