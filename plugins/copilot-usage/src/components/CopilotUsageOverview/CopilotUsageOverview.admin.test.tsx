// usePermission caches decisions (SWR) per module instance; each permission
// profile gets its own test file so one profile's answers never leak into another's.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { formatCount, formatFigure } from '../../lib/format';
import {
  inactiveSeats,
  makeSyncStatus,
  seats,
} from '../../__testUtils__/fixtures';
import {
  admin,
  comparison,
  fullApi,
  orgDocument,
  range,
  renderOverview,
} from '../../__testUtils__/overview';
import { SEAT_FIGURES } from './SeatsPanel';

// The charts themselves are covered by the Group tab's tests; here only their
// table alternatives matter, and skipping the SVG keeps the page test fast.
jest.mock('recharts', () => ({
  ...jest.requireActual('recharts'),
  ResponsiveContainer: () => null,
}));

describe('CopilotUsageOverview for an admin', () => {
  // The open tab lives in the URL's hash; every test starts on the first tab.
  beforeEach(() => window.history.replaceState(null, '', '/'));

  it('shows the org figures, the team comparison, seats and the sync status', async () => {
    const api = fullApi();
    await renderOverview(api, admin);

    expect(
      (await screen.findAllByRole('tab')).map(tab => tab.textContent),
    ).toEqual([
      'Organization',
      'Team comparison',
      'Repositories',
      'Seats',
      'Sync status',
      'Teams',
      'My usage',
    ]);
    const org = await screen.findByRole('tabpanel', { name: 'Organization' });
    await waitFor(() =>
      expect(
        within(org).getAllByTestId('headline-activeUsers-value')[0],
      ).toHaveTextContent(formatCount(orgDocument.totals.activeUsers)),
    );
    expect(api.getOrgMetrics).toHaveBeenCalledWith('acme', range, {
      view: 'full',
    });
    const lastOrgDay = orgDocument.days[orgDocument.days.length - 1];
    expect(
      within(org).getByTestId('headline-chatUsers-note'),
    ).toHaveTextContent(
      `counts ${lastOrgDay.monthlyActiveChatUsers} in the 28 days to ${lastOrgDay.day}`,
    );

    // team comparison: 60 teams, 25 a page
    await userEvent.click(screen.getByRole('tab', { name: 'Team comparison' }));
    expect(window.location.hash).toBe('#comparison');
    const table = await screen.findByTestId('team-comparison');
    expect(
      within(table).getByText(
        `Team comparison (${comparison.items.length} teams)`,
      ),
    ).toBeInTheDocument();
    expect(within(table).getByText('Team 0024')).toBeInTheDocument();
    expect(within(table).queryByText('Team 0025')).not.toBeInTheDocument();
    expect(
      within(table).getByRole('link', { name: 'Team 0000' }),
    ).toHaveAttribute('href', '/catalog/default/group/team-0000');
    await userEvent.type(
      within(table).getByPlaceholderText('Filter'),
      'Team 0042',
    );
    await waitFor(() =>
      expect(within(table).queryByText('Team 0001')).not.toBeInTheDocument(),
    );
    const row = within(table).getByText('Team 0042').closest('tr')!;
    expect(row).toHaveTextContent(
      formatFigure(
        comparison.items[42].totals.completionAcceptanceRate,
        'percent',
      ),
    );

    await userEvent.click(screen.getByRole('tab', { name: 'Seats' }));
    const seatsPanel = await screen.findByTestId('seats-panel');
    await waitFor(() =>
      expect(within(seatsPanel).getByTestId('seats-total')).toBeInTheDocument(),
    );
    for (const figure of SEAT_FIGURES) {
      expect(
        within(seatsPanel).getByTestId(`seats-${figure.key}-value`),
      ).toHaveTextContent(formatCount(seats[figure.key]));
    }
    // The figures add up, and the panel reads them out that way.
    expect(
      within(seatsPanel).getByRole('group', {
        name: `${seats.total} seats: ${seats.activeLast30Days} active in 30 days, ${seats.inactive} inactive, ${seats.neverUsed} never used`,
      }),
    ).toBeInTheDocument();
    expect(
      within(seatsPanel).getByRole('group', {
        name: `${seats.assigned} assigned: ${seats.total} seats less ${seats.pendingCancellation} pending cancellation`,
      }),
    ).toBeInTheDocument();
    expect(
      within(seatsPanel).queryByTestId('seats-mismatch'),
    ).not.toBeInTheDocument();
    expect(
      within(seatsPanel).getByRole('figure', { name: 'Seat use' }),
    ).toBeInTheDocument();
    // The unused seats by login: as many as the panel's inactive + never used.
    const unused = await screen.findByTestId('inactive-seats');
    await waitFor(() =>
      expect(
        within(unused).getByText(
          `Seats not used in 30 days (${seats.inactive + seats.neverUsed})`,
        ),
      ).toBeInTheDocument(),
    );
    const neverUsedRow = within(unused)
      .getByText(inactiveSeats.items[0].login)
      .closest('tr')!;
    expect(neverUsedRow).toHaveTextContent('Never');
    expect(neverUsedRow).toHaveTextContent('Never used');
    const inactiveRow = within(unused)
      .getByText(inactiveSeats.items[seats.neverUsed].login)
      .closest('tr')!;
    expect(inactiveRow).toHaveTextContent('VS Code 1.96.0');
    expect(inactiveRow).toHaveTextContent(
      inactiveSeats.items[seats.neverUsed].lastActivityAt!.slice(0, 10),
    );
    expect(
      within(unused).getByRole('button', {
        name: 'Download inactive seats CSV',
      }),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Sync status' }));
    const sync = await screen.findByTestId('sync-status-panel');
    expect(
      within(sync).getByRole('progressbar', {
        name: 'Sync progress of org:acme',
      }),
    ).toHaveAttribute('aria-valuenow', String(Math.round((100 * 12) / 40)));
    expect(
      within(sync).getByText('Syncing: 12 of 40 days'),
    ).toBeInTheDocument();
    expect(
      within(sync).getByText(/users-1-day: download link expired/),
    ).toBeInTheDocument();
  });

  it('says when a sync was interrupted and counts days GitHub had no data for', async () => {
    const api = fullApi();
    const status = makeSyncStatus(false);
    status.scopes[0].interrupted = {
      since: '2026-11-21T04:02:00.000Z',
      resumesBy: '2026-11-21T04:09:00.000Z',
    };
    api.getSyncStatus.mockResolvedValue(status);
    await renderOverview(api, admin);

    await userEvent.click(
      await screen.findByRole('tab', { name: 'Sync status' }),
    );
    const sync = await screen.findByTestId('sync-status-panel');
    const scope = await within(sync).findByTestId('sync-scope-org:acme');
    expect(scope).toHaveTextContent(
      `Interrupted at 12 of 40 days (last active ${new Date(
        '2026-11-21T04:02:00.000Z',
      ).toLocaleString()}); resumes by ${new Date(
        '2026-11-21T04:09:00.000Z',
      ).toLocaleString()}.`,
    );
    expect(scope).toHaveTextContent(
      '2 with no data from GitHub (checked again); 2 missing.',
    );
    expect(
      within(sync).queryByRole('progressbar', {
        name: 'Sync progress of org:acme',
      }),
    ).not.toBeInTheDocument();
  });

  it('starts a sync with "Sync now"', async () => {
    const api = fullApi();
    api.getSyncStatus.mockResolvedValue(makeSyncStatus(false));
    await renderOverview(api, admin);

    await userEvent.click(
      await screen.findByRole('tab', { name: 'Sync status' }),
    );
    const sync = await screen.findByTestId('sync-status-panel');
    await userEvent.click(
      await within(sync).findByRole('button', { name: 'Sync now' }),
    );
    expect(api.triggerSync).toHaveBeenCalledTimes(1);
    expect(await within(sync).findByRole('status')).toHaveTextContent(
      'Sync started.',
    );
  });

  it('says when a sync is already running', async () => {
    const api = fullApi();
    api.getSyncStatus.mockResolvedValue(makeSyncStatus(false));
    api.triggerSync.mockResolvedValue('already-running');
    await renderOverview(api, admin);

    await userEvent.click(
      await screen.findByRole('tab', { name: 'Sync status' }),
    );
    const sync = await screen.findByTestId('sync-status-panel');
    await userEvent.click(
      await within(sync).findByRole('button', { name: 'Sync now' }),
    );
    expect(await within(sync).findByRole('status')).toHaveTextContent(
      'A sync is already running.',
    );
  });

  it('follows a "Sync now" run until it has finished and says how it went', async () => {
    const api = fullApi();
    const before = makeSyncStatus(false);
    const running = makeSyncStatus(true);
    running.scopes[0].lastRunStartedAt = '2026-11-22T10:00:00.000Z';
    running.scopes[0].progress = { daysDone: 1, daysTotal: 3 };
    const finished = makeSyncStatus(false);
    finished.scopes[0].lastRunStartedAt = '2026-11-22T10:00:00.000Z';
    finished.scopes[0].lastRunFinishedAt = '2026-11-22T10:00:01.000Z';
    finished.scopes[0].progress = { daysDone: 3, daysTotal: 3 };
    let triggered = false;
    let pollsSinceTrigger = 0;
    api.getSyncStatus.mockImplementation(async () => {
      if (!triggered) return before;
      pollsSinceTrigger += 1;
      // The first look after "Sync now" may still see the old run.
      if (pollsSinceTrigger === 1) return before;
      return pollsSinceTrigger === 2 ? running : finished;
    });
    api.triggerSync.mockImplementation(async () => {
      triggered = true;
      return 'started';
    });
    await renderOverview(api, admin);

    await userEvent.click(
      await screen.findByRole('tab', { name: 'Sync status' }),
    );
    const sync = await screen.findByTestId('sync-status-panel');
    await userEvent.click(
      await within(sync).findByRole('button', { name: 'Sync now' }),
    );
    // Polled every second while following: the result shows without a reload.
    await waitFor(
      () =>
        expect(within(sync).getByRole('status')).toHaveTextContent(
          `Sync finished at ${new Date(
            '2026-11-22T10:00:01.000Z',
          ).toLocaleString()}, 3 of 3 days fetched, no errors.`,
        ),
      { timeout: 6000 },
    );
    expect(pollsSinceTrigger).toBeGreaterThanOrEqual(3);
    expect(
      within(sync).getByRole('button', { name: 'Sync now' }),
    ).toBeEnabled();
  });

  it("offers the enterprise and each org, the enterprise first, with GitHub's enterprise figures", async () => {
    const api = fullApi();
    const status = makeSyncStatus(false);
    api.getSyncStatus.mockResolvedValue({
      scopes: [
        ...status.scopes,
        { ...status.scopes[0], scope: 'enterprise:acme-corp' },
      ],
    });
    const enterpriseDocument = {
      ...orgDocument,
      scope: { type: 'enterprise' as const, enterprise: 'acme-corp' },
      totals: { ...orgDocument.totals, activeUsers: 4321 },
    };
    api.getEnterpriseMetrics.mockResolvedValue(enterpriseDocument);
    await renderOverview(api, admin);

    const overview = await screen.findByRole('tabpanel', {
      name: 'Enterprise',
    });
    await waitFor(() =>
      expect(
        within(overview).getAllByTestId('headline-activeUsers-value')[0],
      ).toHaveTextContent(formatCount(4321)),
    );
    expect(api.getEnterpriseMetrics).toHaveBeenCalledWith('acme-corp', range, {
      view: 'full',
    });
    expect(api.getOrgMetrics).not.toHaveBeenCalled();

    // The team comparison is the enterprise's: its enterprise teams.
    api.getEnterpriseTeamComparison.mockResolvedValue({
      ...comparison,
      owner: { kind: 'enterprise', name: 'acme-corp' },
      org: undefined,
    });
    await userEvent.click(screen.getByRole('tab', { name: 'Team comparison' }));
    expect(
      await screen.findByText(/Enterprise teams of acme-corp/),
    ).toBeInTheDocument();
    expect(api.getEnterpriseTeamComparison).toHaveBeenCalledWith(
      'acme-corp',
      range,
    );
    // The seats are the enterprise's too: each seat holder once, with every grant.
    const enterpriseOwner = { kind: 'enterprise' as const, name: 'acme-corp' };
    api.getEnterpriseSeats.mockResolvedValue({
      ...seats,
      owner: enterpriseOwner,
      org: undefined,
      total: 777,
    });
    api.getEnterpriseInactiveSeats.mockResolvedValue({
      ...inactiveSeats,
      owner: enterpriseOwner,
      org: undefined,
      items: [
        {
          ...inactiveSeats.items[0],
          grantedBy: [
            { org: 'acme', team: null },
            { org: 'acme-labs', team: 'research' },
          ],
        },
      ],
    });
    await userEvent.click(screen.getByRole('tab', { name: 'Seats' }));
    const enterpriseSeats = await screen.findByTestId('seats-panel');
    await waitFor(() =>
      expect(
        within(enterpriseSeats).getByTestId('seats-total-value'),
      ).toHaveTextContent(formatCount(777)),
    );
    expect(api.getEnterpriseSeats).toHaveBeenCalledWith('acme-corp');
    expect(api.getSeats).not.toHaveBeenCalled();
    const unused = await screen.findByTestId('inactive-seats');
    expect(
      await within(unused).findByText('acme; acme-labs/research'),
    ).toBeInTheDocument();
    expect(api.getEnterpriseInactiveSeats).toHaveBeenCalledWith('acme-corp');
    expect(api.getInactiveSeats).not.toHaveBeenCalled();

    const picker = screen.getByRole('button', { name: 'Scope' });
    expect(picker).toHaveTextContent(
      'Enterprise acme-corp (all organizations)',
    );
    await userEvent.click(picker);
    await userEvent.click(
      await screen.findByRole('option', { name: 'Organization acme' }),
    );
    await userEvent.click(screen.getByRole('tab', { name: 'Organization' }));
    await waitFor(() =>
      expect(api.getOrgMetrics).toHaveBeenCalledWith('acme', range, {
        view: 'full',
      }),
    );
    expect(new URLSearchParams(window.location.search).get('scope')).toBe(
      'org:acme',
    );
    // Picking the org brings its own seats.
    await userEvent.click(screen.getByRole('tab', { name: 'Seats' }));
    await waitFor(() => expect(api.getSeats).toHaveBeenCalledWith('acme'));
    expect(api.getInactiveSeats).toHaveBeenCalledWith('acme');
  });

  it('opens the scope the URL names', async () => {
    window.history.replaceState(null, '', '/?scope=org:ACME');
    const api = fullApi();
    const status = makeSyncStatus(false);
    api.getSyncStatus.mockResolvedValue({
      scopes: [
        ...status.scopes,
        { ...status.scopes[0], scope: 'enterprise:acme-corp' },
      ],
    });
    await renderOverview(api, admin);
    expect(
      await screen.findByRole('tabpanel', { name: 'Organization' }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(api.getOrgMetrics).toHaveBeenCalledWith('acme', range, {
        view: 'full',
      }),
    );
    expect(api.getEnterpriseMetrics).not.toHaveBeenCalled();
  });
});
