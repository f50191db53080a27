/*
 * Department rollups: a parent Group's figures over the teams of its whole subtree.
 */
import type {
  IsoDay,
  MetricsCoverage,
  MetricsDay,
  MetricsTotals,
  NotEligibleReason,
} from './metricsDocument';
import type { TeamOwner } from './teams';

/**
 * A department: a Group whose trusted descendants include Groups mapped to
 * GitHub teams.
 *
 * @public
 */
export interface DepartmentScope {
  type: 'department';
  /** The Backstage Group, e.g. `group:default/engineering`. */
  entityRef: string;
  title: string;
  /** Teams of the subtree (the Group's own team included, when it is one). */
  teamCount: number;
  /** The orgs (or the enterprise) the subtree's teams belong to. */
  owners: TeamOwner[];
}

/**
 * One direct child Group of a department, with the figures of its own subtree
 * (or of its team). Without numbers (`eligible` false and `totals` null) for
 * everyone but admins when every day of the range had fewer members than the
 * privacy floor.
 *
 * @public
 */
export interface DepartmentChildRow {
  /** The child Group, for a link to its Copilot tab. */
  entityRef: string;
  title: string;
  /** Whether the child is a department itself (teams below it), or a team. */
  kind: 'department' | 'team';
  teamCount: number;
  eligible: boolean;
  notEligibleReason?: NotEligibleReason;
  /** Distinct members on the range's last day with data; null when hidden or without data. */
  memberCount: number | null;
  /** Distinct active users and members over the range; null when hidden. */
  totals: MetricsTotals | null;
  /** Active users over members, over the range (0 to 1); null when hidden or without members. */
  adoption: number | null;
}

/**
 * Response of `GET /groups/:namespace/:name/metrics`: a department's figures.
 *
 * User counts are distinct people across the subtree's teams (a person in two
 * teams counts once), computed from GitHub's per-user rows joined with the same
 * day's team membership, never summed from the teams' own figures; counters are
 * summed over those distinct people. Days below `minTeamSize` distinct members
 * are left out for everyone but admins, as for a team. Breakdowns are not kept
 * per person, so a department has none.
 *
 * @public
 */
export interface DepartmentDocument {
  scope: DepartmentScope;
  from: IsoDay;
  to: IsoDay;
  coverage: MetricsCoverage;
  eligible: boolean;
  notEligibleReason?: NotEligibleReason;
  minTeamSize: number;
  suppressedDays: number;
  days: MetricsDay[];
  totals: MetricsTotals;
  children: DepartmentChildRow[];
}
