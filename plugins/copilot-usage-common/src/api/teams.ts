/*
 * The team list and the team comparison.
 */
import type {
  IsoDay,
  MetricsTotals,
  NotEligibleReason,
} from './metricsDocument';

/**
 * Who a GitHub team belongs to: an organization (an org team), or the
 * enterprise (an enterprise team, whose members may come from several orgs).
 *
 * @public
 */
export interface TeamOwner {
  kind: 'org' | 'enterprise';
  /** The org or enterprise as spelled in config. */
  name: string;
}

/**
 * One team the caller may view.
 *
 * @public
 */
export interface TeamListItem {
  /** The Backstage Group, e.g. `group:default/team-a`. */
  entityRef: string;
  owner: TeamOwner;
  /**
   * The owner's name for an org team; absent for an enterprise team.
   * @deprecated Read `owner`.
   */
  org?: string;
  /** As in GitHub's user-teams report; an enterprise team's starts with `ent:`. */
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
  owner: TeamOwner;
  /**
   * The owner's name for an org team; absent for an enterprise team.
   * @deprecated Read `owner`.
   */
  org?: string;
  /** As in GitHub's user-teams report; an enterprise team's starts with `ent:`. */
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
 * Response of `GET /orgs/:org/teams` and `GET /enterprises/:enterprise/teams`.
 *
 * @public
 */
export interface TeamComparisonResponse {
  /** The org or the enterprise whose teams these are. */
  owner: TeamOwner;
  /**
   * The org's name for an org's teams; absent for the enterprise's.
   * @deprecated Read `owner`.
   */
  org?: string;
  from: IsoDay;
  to: IsoDay;
  minTeamSize: number;
  items: TeamComparisonRow[];
}
