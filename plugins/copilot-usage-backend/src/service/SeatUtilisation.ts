import {
  InactiveSeat,
  InactiveSeatStatus,
  InactiveSeatsResponse,
  SeatUtilisation,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { SeatRow } from '../store/types';
import { Scope, scopeKey } from '../lib/scope';
import { addDays, toIsoDay } from '../lib/days';
import { seatGrants } from '../ingest/seatGrants';
import { ownerFields } from './metrics/documentParts';

type SeatUse = 'active-7-days' | 'active-30-days' | InactiveSeatStatus;

/**
 * How a seat was used up to the snapshot day. One classification for the
 * counts and the inactive list, so the list has exactly `inactive + neverUsed` rows.
 */
function seatUse(seat: SeatRow, snapshotDay: string): SeatUse {
  const lastActive = seat.lastActivityAt
    ? toIsoDay(seat.lastActivityAt)
    : undefined;
  if (!lastActive) {
    return 'never-used';
  }
  if (lastActive < addDays(snapshotDay, -29)) {
    return 'inactive';
  }
  return lastActive >= addDays(snapshotDay, -6)
    ? 'active-7-days'
    : 'active-30-days';
}

/**
 * Copilot seats at the latest snapshot of an org or of the enterprise: assigned,
 * active, never used. The enterprise's snapshot holds one row per person (see
 * mergeSeatsByLogin), so a person with seats from two orgs counts once.
 */
export class SeatUtilisationReport {
  constructor(
    private readonly options: {
      store: Pick<CopilotUsageStore, 'getLatestSeats'>;
    },
  ) {}

  async utilisation(owner: Scope): Promise<SeatUtilisation> {
    const seats = await this.#latestSeats(owner);
    const snapshotDay = seats[0]?.snapshotDay ?? null;
    const utilisation: SeatUtilisation = {
      ...ownerFields(owner),
      snapshotDay,
      total: seats.length,
      assigned: 0,
      activeLast7Days: 0,
      activeLast30Days: 0,
      neverUsed: 0,
      inactive: 0,
      pendingCancellation: 0,
    };
    if (!snapshotDay) {
      return utilisation;
    }
    for (const seat of seats) {
      if (seat.pendingCancellationDate) {
        utilisation.pendingCancellation += 1;
      } else {
        utilisation.assigned += 1;
      }
      switch (seatUse(seat, snapshotDay)) {
        case 'never-used':
          utilisation.neverUsed += 1;
          break;
        case 'inactive':
          utilisation.inactive += 1;
          break;
        case 'active-7-days':
          utilisation.activeLast7Days += 1;
          utilisation.activeLast30Days += 1;
          break;
        default:
          utilisation.activeLast30Days += 1;
      }
    }
    return utilisation;
  }

  /**
   * The seats not used in the 30 days up to the snapshot day, longest unused
   * first: never used, then by last activity (oldest first), then by login.
   */
  async inactiveSeats(
    owner: Scope,
    options: { status?: InactiveSeatStatus } = {},
  ): Promise<InactiveSeatsResponse> {
    const seats = await this.#latestSeats(owner);
    const snapshotDay = seats[0]?.snapshotDay ?? null;
    const fields = ownerFields(owner);
    if (!snapshotDay) {
      return { ...fields, snapshotDay, activeSince: null, items: [] };
    }
    const ownOrg = owner.kind === 'org' ? owner.name : undefined;
    const items: InactiveSeat[] = [];
    for (const seat of seats) {
      const use = seatUse(seat, snapshotDay);
      if (use !== 'inactive' && use !== 'never-used') continue;
      if (options.status && options.status !== use) continue;
      items.push({
        login: seat.userLogin,
        status: use,
        lastActivityAt: seat.lastActivityAt,
        lastActivityEditor: seat.lastActivityEditor,
        assignedAt: seat.createdAt,
        pendingCancellationDate: seat.pendingCancellationDate,
        grantedBy: seatGrants(seat, ownOrg),
      });
    }
    // Timestamps may carry different offsets: compare instants, never used first.
    const lastUse = (seat: InactiveSeat) =>
      seat.lastActivityAt ? Date.parse(seat.lastActivityAt) : -Infinity;
    items.sort(
      (a, b) => lastUse(a) - lastUse(b) || a.login.localeCompare(b.login),
    );
    return {
      ...fields,
      snapshotDay,
      activeSince: addDays(snapshotDay, -29),
      items,
    };
  }

  #latestSeats(owner: Scope): Promise<SeatRow[]> {
    return this.options.store.getLatestSeats(scopeKey(owner));
  }
}
