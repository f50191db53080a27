/*
 * Copilot seats at the latest snapshot.
 */
import type { IsoDay } from './metricsDocument';
import type { TeamOwner } from './teams';

/**
 * Response of `GET /orgs/:org/seats` and `GET /enterprises/:enterprise/seats`:
 * Copilot seats at the latest snapshot. For the enterprise a person with seats
 * from several orgs (or enterprise teams) is one seat holder, counted once.
 *
 * `activeLast30Days + inactive + neverUsed === total`.
 *
 * @public
 */
export interface SeatUtilisation {
  /** The org or enterprise, as spelled in config. */
  owner: TeamOwner;
  /**
   * The owner's name for an org; absent for the enterprise.
   * @deprecated Read `owner`.
   */
  org?: string;
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
 * Why a seat is in the inactive-seats list: used before but not in the 30 days
 * up to the snapshot day, or never used at all.
 *
 * @public
 */
export type InactiveSeatStatus = 'inactive' | 'never-used';

/**
 * One seat not used in the 30 days up to the snapshot day.
 *
 * @public
 */
export interface InactiveSeat {
  login: string;
  status: InactiveSeatStatus;
  /** GitHub's `last_activity_at`; `null` when the seat was never used. */
  lastActivityAt: string | null;
  /** GitHub's `last_activity_editor` (e.g. `vscode/1.96.0/copilot-chat/0.23.0`). */
  lastActivityEditor: string | null;
  /** When the seat was assigned (GitHub's `created_at`). */
  assignedAt: string | null;
  /** Set when the seat is already pending cancellation. */
  pendingCancellationDate: string | null;
  /**
   * Where the seat comes from, one entry per seat object GitHub lists for the
   * person: several for a person the enterprise seat list names once per
   * granting org or team.
   */
  grantedBy: SeatGrant[];
}

/**
 * One grant of a Copilot seat: the org whose seat it is (`null` when GitHub
 * does not say, e.g. an enterprise team's seat) and the team that granted it,
 * if any (its slug as GitHub's seat list gives it).
 *
 * @public
 */
export interface SeatGrant {
  /** The org whose seat it is; `null` when GitHub does not name one. */
  org: string | null;
  /** The slug of the team that granted the seat, if a team did. */
  team: string | null;
}

/**
 * Response of `GET /orgs/:org/seats/inactive` and
 * `GET /enterprises/:enterprise/seats/inactive`: the seats that count as
 * `inactive` or `neverUsed` in {@link SeatUtilisation}, longest unused first
 * (never used, then by last activity). `?status=` narrows to one status;
 * `?format=csv` gives the same rows as CSV.
 *
 * @public
 */
export interface InactiveSeatsResponse {
  /** The org or enterprise, as spelled in config. */
  owner: TeamOwner;
  /**
   * The owner's name for an org; absent for the enterprise.
   * @deprecated Read `owner`.
   */
  org?: string;
  /** The day the seats were listed; `null` when no snapshot exists yet (no items). */
  snapshotDay: IsoDay | null;
  /**
   * First day of the 30-day window (the snapshot day minus 29): the listed seats
   * have no activity on or after it. `null` without a snapshot.
   */
  activeSince: IsoDay | null;
  items: InactiveSeat[];
}
