// usePermission caches decisions (SWR) per module instance; each permission
// profile gets its own test file so one profile's answers never leak into another's.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fullApi,
  member,
  myMetrics,
  range,
  renderOverview,
  teamDocument,
} from '../../__testUtils__/overview';

// The charts themselves are covered by the Group tab's tests; here only their
// table alternatives matter, and skipping the SVG keeps the page test fast.
jest.mock('recharts', () => ({
  ...jest.requireActual('recharts'),
  ResponsiveContainer: () => null,
}));

describe('CopilotUsageOverview for a team member', () => {
  // The open tab lives in the URL's hash; every test starts on the first tab.
  beforeEach(() => window.history.replaceState(null, '', '/'));

  it('shows their team and their own usage, and no org-wide figures', async () => {
    const api = fullApi();
    await renderOverview(api, member);

    const teamsSection = await screen.findByRole('tabpanel', {
      name: 'My teams',
    });
    await waitFor(() =>
      expect(
        within(teamsSection).getByTestId('headline-activeUsers-value'),
      ).toHaveTextContent(String(teamDocument.totals.activeUsers)),
    );
    expect(api.getTeamMetrics).toHaveBeenCalledWith(
      'group:default/team-a',
      range,
      { view: 'full' },
    );
    expect(within(teamsSection).getByLabelText('Team')).toHaveValue(
      'Team A (acme/team-a)',
    );

    await userEvent.click(screen.getByRole('tab', { name: 'My usage' }));
    const mine = await screen.findByTestId('my-usage-panel');
    await waitFor(() =>
      expect(within(mine).getByTestId('my-usage-days')).toHaveTextContent(
        String(myMetrics.totals.days),
      ),
    );
    expect(
      within(mine).getByTestId('my-usage-codeGenerations'),
    ).toHaveTextContent(
      myMetrics.totals.codeGenerations.toLocaleString('en-US'),
    );

    expect(
      screen.queryByRole('tab', { name: 'Organization' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByTestId('team-comparison')).not.toBeInTheDocument();
    expect(screen.queryByTestId('sync-status-panel')).not.toBeInTheDocument();
    expect(api.getOrgMetrics).not.toHaveBeenCalled();
    expect(api.getSyncStatus).not.toHaveBeenCalled();
  });

  it('says so when the user is in no team', async () => {
    const api = fullApi();
    api.listTeams.mockResolvedValue({ items: [] });
    await renderOverview(api, member);
    expect(
      await screen.findByText(/You are not a member of any team/),
    ).toBeInTheDocument();
  });
});
