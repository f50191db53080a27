/** Options that shape the synthetic org (a subset of the simulator's options). */
export interface SyntheticOrgOptions {
  /** Organization login; default 'acme'. */
  org?: string;
  /** Enterprise slug; default 'acme-corp'. Enterprise reports serve the same users. */
  enterprise?: string;
  /** Default 42. */
  seed?: number;
  /** Copilot users; default 60. */
  users?: number;
  /** Normal teams (5+ members every day); default 8. */
  teams?: number;
  /** Teams with 2-4 members, which GitHub leaves out of user-teams reports; default 2. */
  smallTeams?: number;
  /** Share of users who are also in a second team; default 0.2. */
  multiTeamRatio?: number;
  /** Users with a seat and usage but in no team (default 1). */
  unteamedUsers?: number;
  /** Days before `lastDay` that have data; default 365 (the year GitHub keeps). */
  historyDays?: number;
  /** 'YYYY-MM-DD'; default the real UTC today. The last day with data is today - 2. */
  today?: string;
  /**
   * The enterprise's other orgs, next to `org` (which stays as these options
   * make it); default `acme-labs` and `acme-cloud`, `[]` for an enterprise of one org.
   */
  extraOrgs?: readonly ExtraOrgOptions[];
}

/** Another org of the enterprise: small, with its own teams and some users of earlier orgs. */
export interface ExtraOrgOptions {
  org: string;
  /** The org's own users (not counting the shared ones). */
  users: number;
  /** Normal teams (5+ members); the org's users and shared users are spread over them. */
  teams: number;
  smallTeams?: number;
  teamNames: readonly string[];
  smallTeamNames?: readonly string[];
  /** Users of earlier orgs who are members here too: org name -> how many. */
  sharedWith?: Readonly<Record<string, number>>;
}

export interface SyntheticUser {
  id: number;
  login: string;
  name: string;
}

export interface SyntheticTeam {
  id: number;
  slug: string;
  name: string;
  description: string;
  parentSlug?: string;
}

export interface TeamMembership {
  userId: number;
  userLogin: string;
  teamId: number;
  teamSlug: string;
}

/** Which report family a record belongs to: org reports carry organization_id, enterprise ones do not. */
export type ReportScope = 'organization' | 'enterprise';

export interface ReportOptions {
  /** Default 'organization'; 'enterprise' gives this org's rows in the enterprise shape (the enterprise's own reports are `SyntheticEnterprise`'s). */
  scope?: ReportScope;
}

/** The metric fields every breakdown entry and every report record carries. */
export interface ActivityCounters {
  user_initiated_interaction_count: number;
  code_generation_activity_count: number;
  code_acceptance_activity_count: number;
  loc_suggested_to_add_sum: number;
  loc_suggested_to_delete_sum: number;
  loc_added_sum: number;
  loc_deleted_sum: number;
}

export type LanguageCounters = Omit<
  ActivityCounters,
  'user_initiated_interaction_count'
>;

export interface CliTotals {
  session_count: number;
  request_count: number;
  prompt_count: number;
  token_usage: {
    output_tokens_sum: number;
    prompt_tokens_sum: number;
    avg_tokens_per_request: number | null;
  };
  last_known_cli_version?: { cli_version: string; sampled_at: string };
}

/** GitHub's `totals_by_copilot_app` (per-user and aggregate). */
export interface CopilotAppTotals {
  prompt_count: number;
  request_count: number;
  session_count: number;
  token_usage: { output_tokens_sum: number; prompt_tokens_sum: number };
}

/** One entry of GitHub's `totals_by_3rd_party_agent` (`session_count` in aggregates only). */
export interface ThirdPartyAgentTotals {
  agent_id: string;
  agent_name: string;
  user_initiated_interaction_count: number;
  session_count?: number;
}

export interface AdoptionPhase {
  phase_number: number;
  phase: string;
  version: string;
}

export interface IdeTotals extends ActivityCounters {
  ide: string;
  last_known_ide_version?: { ide_version: string; sampled_at: string };
  last_known_plugin_version?: {
    plugin: string;
    plugin_version: string;
    sampled_at: string;
  };
}

export interface Breakdowns {
  totals_by_feature: Array<{ feature: string } & ActivityCounters>;
  totals_by_ide: IdeTotals[];
  totals_by_language_feature: Array<
    { language: string; feature: string } & LanguageCounters
  >;
  totals_by_language_model: Array<
    { language: string; model: string } & ActivityCounters
  >;
  totals_by_model_feature: Array<
    { model: string; feature: string } & ActivityCounters
  >;
}

/** One row of a users-1-day (or users-28-day) report file. */
export interface UserDayRecord extends ActivityCounters, Breakdowns {
  report_start_day?: string;
  report_end_day?: string;
  user_id: number;
  user_login: string;
  day: string;
  enterprise_id: string;
  organization_id?: string;
  ai_credits_used: number;
  used_agent: boolean;
  used_chat: boolean;
  used_cli: boolean;
  used_copilot_coding_agent: boolean;
  used_copilot_cloud_agent: boolean;
  used_copilot_code_review_active: boolean;
  used_copilot_code_review_passive: boolean;
  ai_adoption_phase: AdoptionPhase;
  totals_by_cli?: CliTotals;
  /** Since 2026-07-28; omitted when the user did not use the Copilot app that day. */
  used_copilot_app?: boolean;
  totals_by_copilot_app?: CopilotAppTotals;
  /** Since 2026-08-07; omitted when there is no data. */
  totals_by_3rd_party_agent?: ThirdPartyAgentTotals[];
  etl_id: string;
  day_partition: string;
  entity_id_partition: number;
}

/** One row of a user-teams-1-day report file. */
export interface UserTeamRecord {
  user_id: number;
  user_login: string;
  day: string;
  organization_id?: string;
  enterprise_id?: string;
  team_id: number;
  slug: string;
}

export interface PullRequestTotals {
  total_created: number;
  total_reviewed: number;
  total_merged: number;
  median_minutes_to_merge: number | null;
  total_suggestions: number;
  total_applied_suggestions: number;
  total_created_by_copilot: number;
  total_reviewed_by_copilot: number;
  total_merged_created_by_copilot: number;
  total_merged_reviewed_by_copilot: number;
  median_minutes_to_merge_copilot_authored: number | null;
  median_minutes_to_merge_copilot_reviewed: number | null;
  total_copilot_suggestions: number;
  total_copilot_applied_suggestions: number;
  copilot_suggestions_by_comment_type: Array<{
    comment_type: string;
    total_copilot_suggestions: number;
    total_copilot_applied_suggestions: number;
  }>;
}

export interface AdoptionPhaseTotals {
  phase: string;
  phase_number: number;
  total_engaged_users: number;
  avg_user_initiated_interactions: number;
  avg_code_generation_activities: number;
  avg_code_acceptance_activities: number;
  avg_loc_added: number;
  avg_loc_deleted: number;
  avg_pull_requests_reviewed: number;
  avg_pull_requests_created: number;
  avg_pull_requests_merged: number;
  avg_pull_requests_median_minutes_to_merge: number;
}

/** An organization-1-day / enterprise-1-day file, and each `day_totals[]` entry of a 28-day file. */
export interface AggregateDayRecord extends ActivityCounters, Breakdowns {
  day: string;
  organization_id?: string;
  enterprise_id: string;
  daily_active_users: number;
  weekly_active_users: number;
  monthly_active_users: number;
  monthly_active_chat_users: number;
  monthly_active_agent_users: number;
  daily_active_copilot_cloud_agent_users: number;
  weekly_active_copilot_cloud_agent_users: number;
  monthly_active_copilot_cloud_agent_users: number;
  daily_active_copilot_code_review_users: number;
  weekly_active_copilot_code_review_users: number;
  monthly_active_copilot_code_review_users: number;
  daily_passive_copilot_code_review_users: number;
  weekly_passive_copilot_code_review_users: number;
  monthly_passive_copilot_code_review_users: number;
  /** Omitted when nobody used the CLI that day. */
  daily_active_cli_users?: number;
  pull_requests: PullRequestTotals;
  totals_by_cli?: Omit<CliTotals, 'last_known_cli_version'>;
  totals_by_ai_adoption_phase: AdoptionPhaseTotals[];
  /** Since 2026-07-28; the `daily_active_copilot_app_users` beside it. */
  daily_active_copilot_app_users?: number;
  totals_by_copilot_app?: CopilotAppTotals;
  totals_by_3rd_party_agent?: ThirdPartyAgentTotals[];
  etl_id: string;
  day_partition: string;
  entity_id_partition: number;
}

/** An organization-28-day / enterprise-28-day file. */
export interface Aggregate28DayReport {
  report_start_day: string;
  report_end_day: string;
  organization_id?: string;
  enterprise_id: string;
  created_at: string;
  day_totals: AggregateDayRecord[];
}

/** GitHub's `simple-user` object. */
export interface SimpleUser {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string;
  url: string;
  html_url: string;
  followers_url: string;
  following_url: string;
  gists_url: string;
  starred_url: string;
  subscriptions_url: string;
  organizations_url: string;
  repos_url: string;
  events_url: string;
  received_events_url: string;
  type: 'User';
  site_admin: boolean;
  user_view_type: string;
}

/** GitHub's `team-simple` object (with the `type` GitHub's own examples forget). */
export interface GithubTeamSimple {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  name: string;
  slug: string;
  description: string | null;
  privacy: string;
  notification_setting: string;
  permission: string;
  members_url: string;
  repositories_url: string;
  type: 'organization';
  organization_id: number;
}

/** GitHub's `team` object. */
export interface GithubTeam extends GithubTeamSimple {
  parent: GithubTeamSimple | null;
}

/** GitHub's `copilot-seat-details` object. */
export interface CopilotSeat {
  created_at: string;
  updated_at: string;
  pending_cancellation_date: string | null;
  last_activity_at: string | null;
  last_activity_editor: string | null;
  last_authenticated_at: string | null;
  plan_type: 'business';
  assignee: SimpleUser;
  assigning_team: GithubTeam | null;
}

/** GitHub's `organization-simple` object. */
export interface OrganizationSimple {
  login: string;
  id: number;
  node_id: string;
  url: string;
  repos_url: string;
  events_url: string;
  hooks_url: string;
  issues_url: string;
  members_url: string;
  public_members_url: string;
  avatar_url: string;
  description: string | null;
}

/** An enterprise seat: one per granting org, so a person in two orgs has two. */
export interface EnterpriseCopilotSeat extends CopilotSeat {
  organization: OrganizationSimple;
}

/** A Backstage catalog entity, as plain data (serialize it as you like). */
export interface CatalogEntity {
  apiVersion: 'backstage.io/v1alpha1';
  kind: 'User' | 'Group';
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

export interface CatalogEntityOptions {
  /** Put every entity in this namespace; omitted = Backstage's default. */
  namespace?: string;
  /** Name of the admin Group; default 'platform-admins'. */
  adminGroup?: string;
}

/** The generated org. Every function is deterministic for given options and revisions. */
export interface SyntheticOrg {
  readonly org: string;
  readonly enterprise: string;
  readonly seed: number;
  /** As GitHub writes it in report files: a numeric string. */
  readonly organizationId: string;
  readonly enterpriseId: string;
  readonly users: readonly SyntheticUser[];
  readonly teams: readonly SyntheticTeam[];
  /** First and last day with data, 'YYYY-MM-DD'. */
  readonly firstDay: string;
  readonly lastDay: string;
  /** Every day from firstDay to lastDay. */
  days(): string[];
  /** Point-in-time team membership (direct members; child teams are separate teams). */
  membersOn(day: string): TeamMembership[];
  /** Per-user rows of that day: only the users active that day; [] outside [firstDay, lastDay]. */
  usersReport(day: string, options?: ReportOptions): UserDayRecord[];
  /** The same rows, one at a time, so a large org's report can be streamed. */
  iterateUsersReport(
    day: string,
    options?: ReportOptions & { userIndexes?: { from: number; to: number } },
  ): Iterable<UserDayRecord>;
  /** membersOn(day) as report rows, leaving out teams with fewer than 5 members that day. */
  userTeamsReport(day: string, options?: ReportOptions): UserTeamRecord[];
  /** The organization-1-day (or enterprise-1-day) record; undefined outside [firstDay, lastDay]. */
  aggregateReport(
    day: string,
    options?: ReportOptions,
  ): AggregateDayRecord | undefined;
  /** The 28 days ending on lastDay (clipped to firstDay). */
  latest28DayWindow(): { startDay: string; endDay: string };
  aggregate28DayReport(options?: ReportOptions): Aggregate28DayReport;
  /** copilot-seat-details for every user, ordered by user id. */
  seats(): CopilotSeat[];
  /** GitHub `team` objects as the REST API lists them (current state). */
  githubTeams(): GithubTeam[];
  simpleUser(userId: number): SimpleUser;
  catalogEntities(options?: CatalogEntityOptions): CatalogEntity[];
  /** How often `day` was revised (0 = original numbers). */
  revisionOf(day: string): number;
  /** GitHub revised that day: its user and aggregate reports change from now on. */
  revise(day: string): void;
}
