import { SeatUtilisation } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { scopeKey } from '../lib/scope';
import { addDays, toIsoDay } from '../lib/days';

/** Copilot seats at an org's latest snapshot: assigned, active, never used. */
export class SeatUtilisationReport {
  constructor(
    private readonly options: {
      store: Pick<CopilotUsageStore, 'getLatestSeats'>;
    },
  ) {}

  async forOrg(org: string): Promise<SeatUtilisation> {
    const seats = await this.options.store.getLatestSeats(
      scopeKey({ kind: 'org', name: org }),
    );
    const snapshotDay = seats[0]?.snapshotDay ?? null;
    const utilisation: SeatUtilisation = {
      org,
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
    const weekStart = addDays(snapshotDay, -6);
    const monthStart = addDays(snapshotDay, -29);
    for (const seat of seats) {
      if (seat.pendingCancellationDate) {
        utilisation.pendingCancellation += 1;
      } else {
        utilisation.assigned += 1;
      }
      const lastActive = seat.lastActivityAt
        ? toIsoDay(seat.lastActivityAt)
        : undefined;
      if (!lastActive) {
        utilisation.neverUsed += 1;
      } else if (lastActive >= monthStart) {
        utilisation.activeLast30Days += 1;
        if (lastActive >= weekStart) {
          utilisation.activeLast7Days += 1;
        }
      } else {
        utilisation.inactive += 1;
      }
    }
    return utilisation;
  }
}
