import type { IsoDay } from './metricsDocument';
import type { TeamOwner } from './teams';

/**
 * One team's scorecard facts over the last 28 days of its data (see
 * {@link TeamFactsResponse}). Rates are between 0 and 1, `null` when there is
 * nothing to divide by; days below the privacy floor (`minTeamSize`) do not count.
 *
 * @public
 */
export interface TeamFactsItem {
  /** The Backstage Group, lowercase, e.g. `group:default/team-a`. */
  entityRef: string;
  /** The org or enterprise the GitHub team belongs to. */
  owner: TeamOwner;
  /** As in GitHub's user-teams report (an enterprise team's with `ent:`). */
  slug: string;
  /** First day of the 28-day range (ending at the owner's last complete day). */
  from: IsoDay;
  /** Last day of the range. */
  to: IsoDay;
  /** False when no day of the range is stored or every day is below the privacy floor. */
  eligible: boolean;
  /** Distinct members over the counted days; `null` without membership rows. */
  members: number | null;
  /** Distinct members active on at least one counted day. */
  activeUsers: number;
  /** `activeUsers / members`. */
  adoption: number | null;
  /**
   * The average share of members who used agent mode on a day: Σ daily agent
   * users / Σ daily member counts over the counted days.
   */
  agentAdoption: number | null;
  /** Completion acceptances / completion suggestions over the counted days. */
  completionAcceptanceRate: number | null;
  /** Days of the range that count (stored, at or above the privacy floor). */
  daysOfData: number;
}

/**
 * Response of `GET /facts/teams`: one entry per team the backend knows (a
 * Group mapped to a GitHub team of a configured org or enterprise). For
 * service-to-service callers only, such as a Tech Insights fact retriever.
 *
 * @public
 */
export interface TeamFactsResponse {
  /** One per team, in the backend's team order. */
  items: TeamFactsItem[];
}
