/**
 * Seat holders from seat objects. GitHub's enterprise seat list has one seat
 * object per granting org or enterprise team, so a person in two orgs is listed
 * twice while `total_seats` counts them once. The store keeps one row per
 * person and snapshot (its key is the login); the row's `raw` keeps every seat
 * object, so the grants can still be listed.
 */
import { SeatRow } from '../store/types';

/** One seat object's grant: the org whose seat it is and the granting team's slug. */
export interface StoredSeatGrant {
  org: string | null;
  team: string | null;
}

type RawGrant = {
  organization?: { login?: unknown } | null;
  assigning_team?: { slug?: unknown } | null;
};

const instant = (timestamp: string | null) =>
  timestamp === null ? -Infinity : Date.parse(timestamp);

/** The later of two timestamps (instants; offsets may differ), null when both are. */
function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return instant(b) > instant(a) ? b : a;
}

/** The earlier of two timestamps, null only when both are. */
function earlier(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return instant(b) < instant(a) ? b : a;
}

/**
 * {@link mergeSeatsByLogin} one seat at a time, as the seat list pages in: only the
 * merged rows are held (at 40,000 seats the list, its merged copy and their records
 * were 80 MB at once). Takes ownership of the rows it is given: it updates them.
 */
export class SeatMerger {
  readonly #byLogin = new Map<string, { row: SeatRow; raws?: string[] }>();

  add(seat: SeatRow): void {
    const key = seat.userLogin.toLowerCase();
    const entry = this.#byLogin.get(key);
    if (!entry) {
      this.#byLogin.set(key, { row: seat });
      return;
    }
    const { row } = entry;
    entry.raws ??= [row.raw];
    entry.raws.push(seat.raw);
    if (instant(seat.lastActivityAt) > instant(row.lastActivityAt)) {
      row.lastActivityAt = seat.lastActivityAt;
      row.lastActivityEditor = seat.lastActivityEditor;
      row.planType = seat.planType ?? row.planType;
      row.assigningTeamSlug = seat.assigningTeamSlug;
    }
    row.userId ??= seat.userId;
    row.lastAuthenticatedAt = later(
      row.lastAuthenticatedAt,
      seat.lastAuthenticatedAt,
    );
    row.createdAt = earlier(row.createdAt, seat.createdAt);
    row.pendingCancellationDate =
      row.pendingCancellationDate === null ||
      seat.pendingCancellationDate === null
        ? null
        : [row.pendingCancellationDate, seat.pendingCancellationDate].sort()[1];
  }

  /** One row per person, in the order each was first seen. */
  rows(): SeatRow[] {
    const rows: SeatRow[] = [];
    for (const entry of this.#byLogin.values()) {
      if (entry.raws) entry.row.raw = `[${entry.raws.join(',')}]`;
      entry.raws = undefined;
      rows.push(entry.row);
    }
    return rows;
  }
}

/**
 * One row per login (compared case-insensitively, as GitHub does), in the order
 * of each person's first seat object. The person's last activity and last
 * authentication are the latest over their seats (with that seat's editor, plan
 * and team); assigned is the earliest grant; pending cancellation only when
 * every seat is (then the latest date: the day the person loses Copilot).
 * `raw` is the JSON array of every seat object when there are several.
 */
export function mergeSeatsByLogin(seats: SeatRow[]): SeatRow[] {
  const merger = new SeatMerger();
  for (const seat of seats) merger.add({ ...seat });
  return merger.rows();
}

/**
 * GitHub's seat objects behind a stored row, one JSON text each (what an
 * archive file holds a line per): the row's `raw`, or each element of its array.
 */
export function seatObjectTexts(seat: SeatRow): string[] {
  if (!seat.raw.startsWith('[')) return [seat.raw];
  const parsed: unknown = JSON.parse(seat.raw);
  return Array.isArray(parsed)
    ? parsed.map(object => JSON.stringify(object))
    : [seat.raw];
}

/**
 * Where a stored seat row's seats come from: one grant per seat object in its
 * `raw`. `ownOrg` names the org of an org scope's seats (GitHub's org seat list
 * need not name the org); undefined for the enterprise.
 */
export function seatGrants(seat: SeatRow, ownOrg?: string): StoredSeatGrant[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(seat.raw);
  } catch {
    parsed = undefined;
  }
  const raws = (Array.isArray(parsed) ? parsed : [parsed]).filter(
    (raw): raw is RawGrant => typeof raw === 'object' && raw !== null,
  );
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const grants = raws.map(raw => ({
    org: text(raw.organization?.login) ?? ownOrg ?? null,
    team: text(raw.assigning_team?.slug),
  }));
  return grants.length > 0
    ? grants
    : [{ org: ownOrg ?? null, team: seat.assigningTeamSlug }];
}
