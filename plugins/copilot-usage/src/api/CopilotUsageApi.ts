import { createApiRef } from '@backstage/core-plugin-api';
import {
  DepartmentDocument,
  InactiveSeatsResponse,
  MetricsDocument,
  MetricsView,
  SeatUtilisation,
  SyncStatus,
  TeamComparisonResponse,
  TeamListResponse,
  UserMetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import type {
  RepositoryMetricsResponse,
  RepositoryTableResponse,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';

/**
 * A range of days, `YYYY-MM-DD`, both ends included. Leaving both out lets the
 * backend pick its default (the 28 days ending at the last day with data).
 *
 * @public
 */
export interface DayRange {
  from?: string;
  to?: string;
}

/**
 * Outcome of asking for a sync: a 409 from the backend (a sync is already
 * running) is an expected answer, not an error.
 *
 * @public
 */
export type SyncTriggerOutcome = 'started' | 'already-running';

/**
 * Client of the copilot-usage backend (`/api/copilot-usage`).
 *
 * Every method rejects with a `ResponseError` from `@backstage/errors` when the
 * backend answers with an error status, so callers can tell a 403 (not allowed)
 * from other failures by its `statusCode`.
 *
 * @public
 */
export interface CopilotUsageApi {
  /** Teams the signed-in user may view (`GET /teams`). */
  listTeams(): Promise<TeamListResponse>;
  /**
   * One team's metrics; `entityRef` is the Group, e.g. `group:default/team-a`.
   * `view: 'headline'`: its days and totals only (see `MetricsView`).
   */
  getTeamMetrics(
    entityRef: string,
    range?: DayRange,
    options?: { view?: MetricsView },
  ): Promise<MetricsDocument>;
  /**
   * A department's rollup: the figures of a parent Group's subtree of teams (each
   * person once) and of its child Groups; `entityRef` is the Group.
   */
  getDepartmentMetrics(
    entityRef: string,
    range?: DayRange,
  ): Promise<DepartmentDocument>;
  /** GitHub's aggregate metrics of one organization (`view` as for a team). */
  getOrgMetrics(
    org: string,
    range?: DayRange,
    options?: { view?: MetricsView },
  ): Promise<MetricsDocument>;
  /** GitHub's aggregate metrics of the enterprise (a person in several orgs counts once). */
  getEnterpriseMetrics(
    enterprise: string,
    range?: DayRange,
    options?: { view?: MetricsView },
  ): Promise<MetricsDocument>;
  /** One summary row per team of an organization (admins). */
  getTeamComparison(
    org: string,
    range?: DayRange,
  ): Promise<TeamComparisonResponse>;
  /** One summary row per enterprise team (teams across the enterprise's orgs; admins). */
  getEnterpriseTeamComparison(
    enterprise: string,
    range?: DayRange,
  ): Promise<TeamComparisonResponse>;
  /** Copilot seat utilisation of an organization (admins). */
  getSeats(org: string): Promise<SeatUtilisation>;
  /** The seats of an organization not used in 30 days or never used (admins). */
  getInactiveSeats(org: string): Promise<InactiveSeatsResponse>;
  /**
   * Copilot seat utilisation of the enterprise (admins): each person once,
   * though GitHub lists a seat per granting org or team.
   */
  getEnterpriseSeats(enterprise: string): Promise<SeatUtilisation>;
  /** The enterprise's seat holders not active in 30 days or never (admins), with every grant. */
  getEnterpriseInactiveSeats(
    enterprise: string,
  ): Promise<InactiveSeatsResponse>;
  /** The sync's state per scope (admins). */
  getSyncStatus(): Promise<SyncStatus>;
  /** Starts a sync now (admins). */
  triggerSync(): Promise<SyncTriggerOutcome>;
  /** The signed-in user's own usage. */
  getMyMetrics(range?: DayRange): Promise<UserMetricsDocument>;
  /**
   * The CSV of a route given relative to the plugin's base URL, e.g.
   * `teams/default/team-a/metrics?from=2026-10-01&to=2026-10-28&format=csv`
   * (see `csvPath`): its text, and the file name the backend gives it in the
   * response's `Content-Disposition` header (`copilot-usage.csv` when the
   * header is missing or not readable, e.g. not exposed to a cross-origin app).
   */
  getCsv(path: string): Promise<{ text: string; fileName: string }>;
  /**
   * One repository's pull request figures (GitHub's repos-1-day report); `slug`
   * is `owner/repo`, as in the Component's `github.com/project-slug`. The three
   * repository methods are optional, so implementations written before them
   * still compile; without them the repository views stay empty.
   */
  getRepositoryMetrics?(
    slug: string,
    range?: DayRange,
  ): Promise<RepositoryMetricsResponse>;
  /** Every repository of an organization with its figures (admins). */
  getOrgRepositories?(
    org: string,
    range?: DayRange,
  ): Promise<RepositoryTableResponse>;
  /** The repositories of the Components a Group owns (those the caller may read). */
  getGroupRepositories?(
    entityRef: string,
    range?: DayRange,
  ): Promise<RepositoryTableResponse>;
}

/**
 * The API reference of the {@link CopilotUsageApi}.
 *
 * @public
 */
export const copilotUsageApiRef = createApiRef<CopilotUsageApi>({
  id: 'plugin.copilot-usage.service',
});
