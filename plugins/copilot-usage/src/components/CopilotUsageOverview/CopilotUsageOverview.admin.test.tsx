// usePermission caches decisions (SWR) per module instance; each permission
// profile gets its own test file so one profile's answers never leak into another's.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { formatFigure } from '../../lib/format';
import { makeSyncStatus, seats } from '../../__testUtils__/fixtures';
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
  it('shows the org figures, the team comparison, seats and the sync status', async () => {
    const api = fullApi();
    await renderOverview(api, admin);

    const org = await screen.findByRole('region', { name: 'Organization' });
    await waitFor(() =>
      expect(
        within(org).getAllByTestId('headline-activeUsers-value')[0],
      ).toHaveTextContent(String(orgDocument.totals.activeUsers)),
    );
    expect(api.getOrgMetrics).toHaveBeenCalledWith('acme', range);
    const lastOrgDay = orgDocument.days[orgDocument.days.length - 1];
    expect(
      within(org).getByTestId('headline-monthlyActiveChatUsers-value'),
    ).toHaveTextContent(String(lastOrgDay.monthlyActiveChatUsers));

    // team comparison: 60 teams, 25 a page
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

    const seatsPanel = await screen.findByTestId('seats-panel');
    await waitFor(() =>
      expect(within(seatsPanel).getByTestId('seats-total')).toBeInTheDocument(),
    );
    for (const figure of SEAT_FIGURES) {
      expect(
        within(seatsPanel).getByTestId(`seats-${figure.key}`),
      ).toHaveTextContent(String(seats[figure.key]));
    }
    expect(
      within(seatsPanel).getByRole('figure', { name: 'Seat use' }),
    ).toBeInTheDocument();

    const sync = screen.getByTestId('sync-status-panel');
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

    const sync = await screen.findByTestId('sync-status-panel');
    await userEvent.click(
      await within(sync).findByRole('button', { name: 'Sync now' }),
    );
    expect(await within(sync).findByRole('status')).toHaveTextContent(
      'A sync is already running.',
    );
  });
});
