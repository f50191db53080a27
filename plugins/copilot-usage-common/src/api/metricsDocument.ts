/*
 * Metric documents: the counters of a day, their totals and breakdowns, and the documents the team, org and user routes return.
 */
import type { TeamOwner } from './teams';

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
 * The activity counters GitHub reports for a day and for each breakdown value.
 *
 * @public
 */
export interface ActivityCounters {
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
}

/**
 * The counters that are summed over teams, days and ranges.
 *
 * The `completion*` counters are the same activity restricted to the
 * `code_completion` feature; the acceptance rates are computed from them.
 *
 * @public
 */
export interface MetricsCounters extends ActivityCounters {
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
 * joined with that day's team membership. For an org, active, weekly and monthly
 * active users are GitHub's own aggregate figures; chat, agent and CLI users come
 * from the day's per-user rows, as a team's do, so both scopes have the same
 * daily figures with the same definitions. A field is `null` where the source
 * does not have it (a day imported from another tool has no per-user rows; a team
 * has no monthly chat or agent user count).
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
  /** Distinct users (of a team: members) who used chat that day; `null` without per-user rows. */
  chatUsers: number | null;
  /** Distinct users (of a team: members) who used agent mode that day; `null` without per-user rows. */
  agentUsers: number | null;
  /**
   * Distinct users (of a team: members) who used the Copilot CLI that day; for an
   * org day without per-user rows, GitHub's aggregate figure, `null` when it has none.
   */
  cliUsers: number | null;
  /**
   * Distinct users (of a team: members) who used the Copilot cloud agent that day
   * (GitHub's `used_copilot_cloud_agent`, or its older name `used_copilot_coding_agent`).
   * `null` without per-user rows; absent in documents of older servers.
   */
  cloudAgentUsers?: number | null;
  /**
   * Distinct users (of a team: members) who used the Copilot app that day (GitHub's
   * `used_copilot_app`, reported since 2026-07-28). `null` without per-user rows.
   */
  copilotAppUsers?: number | null;
  /**
   * GitHub's `ai_credits_used` of the day's per-user rows, summed: a metrics
   * signal, not a billed total. For a team each member's credits are split 1/n
   * across the n teams they were in that day, so the teams never sum above the
   * org. `null` without per-user rows or when no row of the day carries credits.
   */
  aiCredits?: number | null;
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
   * day these totals include, from GitHub's user-teams report (so `activeUsers`,
   * who count only while members, never exceeds it). `null` when none of those
   * days has membership rows (imported history); absent for an org or a user.
   */
  members?: number | null;
  completionAcceptanceRate: number | null;
  locAcceptanceRate: number | null;
  /**
   * AI credits of the days these totals include (see {@link MetricsDay.aiCredits}):
   * a metrics signal, not a billed total; for a team split 1/n per member across
   * their teams of each day. `null` when no day has credits.
   */
  aiCredits?: number | null;
  /** `aiCredits` over `activeUsers`; `null` without credits or active users. */
  aiCreditsPerActiveUser?: number | null;
}

/**
 * The dimensions GitHub breaks activity down by.
 *
 * @public
 */
export type BreakdownDimension =
  | 'ide'
  | 'language'
  | 'feature'
  | 'model'
  /** GitHub's `totals_by_3rd_party_agent` (e.g. Claude, Codex; since 2026-08), by agent name; only interactions are counted. */
  | 'thirdPartyAgent';

/**
 * One value of a breakdown dimension (e.g. `vscode` for `ide`), summed over the range.
 *
 * @public
 */
export interface BreakdownItem extends ActivityCounters {
  key: string;
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
      /** The org of an org team, or the enterprise of an enterprise team. */
      owner: TeamOwner;
      /**
       * The owner's name for an org team; absent for an enterprise team.
       * @deprecated Read `owner`.
       */
      org?: string;
      slug: string;
      title: string;
    }
  | { type: 'org'; org: string }
  /** GitHub's enterprise aggregate: a user in several orgs counts once. */
  | { type: 'enterprise'; enterprise: string };

/**
 * The GitHub organization or enterprise a metrics document is about.
 *
 * @public
 */
export function scopeOwner(scope: MetricsScope): string {
  if (scope.type === 'team') {
    return scope.owner.name;
  }
  return scope.type === 'enterprise' ? scope.enterprise : scope.org;
}

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
 * What a metrics document holds: `full` (the default) everything; `headline` only its
 * days and totals (no breakdowns, which are empty, and no client versions), for a
 * comparison period whose other parts a page does not show. Asked for with the
 * metrics routes' `view` query parameter.
 *
 * @public
 */
export type MetricsView = 'full' | 'headline';

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
  /**
   * Which IDE, plugin and CLI versions the range's active users were on (each
   * user's latest known version per client). Absent where the server has no
   * per-user rows for the document (imported history) or does not support it.
   */
  clientVersions?: ClientVersionsSummary;
}

/**
 * One version of a client and how many of its users were last seen on it.
 *
 * @public
 */
export interface ClientVersionShare {
  /** The IDE's or CLI's version (GitHub's `ide_version`, `cli_version`); `unknown` when not reported. */
  version: string;
  /** The Copilot plugin of the IDE (GitHub's `plugin`); empty for the CLI. */
  plugin: string;
  /** GitHub's `plugin_version`; empty when not reported. */
  pluginVersion: string;
  /** Users whose latest known version of the client is this one. */
  users: number;
  /** `users` over the client's users (0 to 1). */
  share: number;
  /** Set when the version is one GitHub named as undercounting agent activity. */
  flag?: { id: string; label: string };
}

/**
 * The versions of one client (an IDE of `totals_by_ide`, or `cli`).
 *
 * @public
 */
export interface ClientVersionUsage {
  client: string;
  /** Distinct users of the range with a known version of this client. */
  users: number;
  /** Most users first. */
  versions: ClientVersionShare[];
}

/**
 * The client versions of a document's active users (see {@link MetricsDocument.clientVersions}).
 *
 * @public
 */
export interface ClientVersionsSummary {
  /** Distinct users of the range with any known client version. */
  users: number;
  clients: ClientVersionUsage[];
  /** Users whose latest known version of any client is flagged. */
  flaggedUsers: number;
  /** Only for admins: the logins of `flaggedUsers`, sorted, so they know whom to ask to upgrade. */
  flaggedLogins?: string[];
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
