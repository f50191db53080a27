import { SeatRow } from '../store/types';
import { mergeSeatsByLogin, seatGrants, seatObjectTexts } from './seatGrants';

function seat(
  login: string,
  org: string,
  overrides: Partial<SeatRow> & { team?: string } = {},
): SeatRow {
  const { team, ...rest } = overrides;
  const row: SeatRow = {
    scope: 'enterprise:acme-corp',
    snapshotDay: '2026-12-01',
    userLogin: login,
    userId: 1,
    planType: 'business',
    createdAt: '2026-01-10T10:00:00Z',
    lastActivityAt: null,
    lastActivityEditor: null,
    lastAuthenticatedAt: null,
    pendingCancellationDate: null,
    assigningTeamSlug: team ?? null,
    raw: '',
    ...rest,
  };
  row.raw = JSON.stringify({
    assignee: { login },
    organization: { login: org },
    assigning_team: team ? { slug: team } : null,
    last_activity_at: row.lastActivityAt,
  });
  return row;
}

describe('mergeSeatsByLogin', () => {
  it('keeps one row per person with the latest activity and every grant', () => {
    const merged = mergeSeatsByLogin([
      seat('ana', 'acme', {
        lastActivityAt: '2026-11-20T09:00:00Z',
        lastActivityEditor: 'vscode/old',
        lastAuthenticatedAt: '2026-11-29T09:00:00Z',
        createdAt: '2026-03-01T00:00:00Z',
        pendingCancellationDate: '2027-01-01',
      }),
      seat('bo', 'acme'),
      // Later activity with another offset: 2026-11-30T01:00Z.
      seat('ANA', 'acme-labs', {
        team: 'research',
        lastActivityAt: '2026-11-30T02:00:00+01:00',
        lastActivityEditor: 'jetbrains/new',
        lastAuthenticatedAt: '2026-11-25T09:00:00Z',
        createdAt: '2026-02-01T00:00:00Z',
      }),
    ]);
    expect(merged.map(s => s.userLogin)).toEqual(['ana', 'bo']);
    const [ana] = merged;
    expect(ana).toMatchObject({
      lastActivityAt: '2026-11-30T02:00:00+01:00',
      lastActivityEditor: 'jetbrains/new',
      assigningTeamSlug: 'research',
      lastAuthenticatedAt: '2026-11-29T09:00:00Z',
      createdAt: '2026-02-01T00:00:00Z',
      // The labs seat is not being cancelled: ana keeps Copilot.
      pendingCancellationDate: null,
    });
    expect(seatGrants(ana)).toEqual([
      { org: 'acme', team: null },
      { org: 'acme-labs', team: 'research' },
    ]);
    expect(seatGrants(merged[1])).toEqual([{ org: 'acme', team: null }]);
  });

  it('is pending cancellation only when every seat is, on the latest date', () => {
    const [merged] = mergeSeatsByLogin([
      seat('cy', 'acme', { pendingCancellationDate: '2027-01-01' }),
      seat('cy', 'acme-cloud', { pendingCancellationDate: '2027-02-01' }),
      seat('cy', 'acme-labs', { pendingCancellationDate: '2026-12-15' }),
    ]);
    expect(merged.pendingCancellationDate).toBe('2027-02-01');
    expect(seatGrants(merged).map(g => g.org)).toEqual([
      'acme',
      'acme-cloud',
      'acme-labs',
    ]);
  });

  it("names an org scope's own org when the seat object does not", () => {
    const row = seat('dee', 'x');
    row.raw = JSON.stringify({ assignee: { login: 'dee' } });
    expect(seatGrants(row, 'acme')).toEqual([{ org: 'acme', team: null }]);
    expect(seatGrants({ ...row, raw: 'not json' }, 'acme')).toEqual([
      { org: 'acme', team: null },
    ]);
  });
});

describe('seatObjectTexts', () => {
  it("gives back GitHub's seat objects byte for byte, one per grant", () => {
    const seats = [
      seat('ana', 'acme'),
      seat('bo', 'acme'),
      seat('ana', 'acme-labs'),
    ];
    const merged = mergeSeatsByLogin(seats);
    expect(merged.flatMap(seatObjectTexts)).toEqual([
      seats[0].raw,
      seats[2].raw,
      seats[1].raw,
    ]);
  });
});
