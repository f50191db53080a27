/*
 * Copilot seats at the latest snapshot.
 */
import type { IsoDay } from './metricsDocument';

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
