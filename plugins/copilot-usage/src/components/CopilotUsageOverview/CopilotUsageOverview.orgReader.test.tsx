// usePermission caches decisions (SWR) per module instance; each permission
// profile gets its own test file so one profile's answers never leak into another's.
import { screen } from '@testing-library/react';
import { copilotUsageOrgReadPermission } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { responseError } from '../../__testUtils__/mockApi';
import {
  fullApi,
  permissions,
  renderOverview,
} from '../../__testUtils__/overview';

// The charts themselves are covered by the Group tab's tests; here only their
// table alternatives matter, and skipping the SVG keeps the page test fast.
jest.mock('recharts', () => ({
  ...jest.requireActual('recharts'),
  ResponsiveContainer: () => null,
}));

describe('CopilotUsageOverview for an org reader who is not an admin', () => {
  it('explains a 403 on the org figures when the permission check let them through', async () => {
    const api = fullApi();
    api.getOrgMetrics.mockRejectedValue(await responseError(403, 'no'));
    await renderOverview(
      api,
      permissions([copilotUsageOrgReadPermission.name]),
    );

    expect(
      await screen.findByText(
        'The organization overview is for Copilot usage admins',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('team-comparison')).not.toBeInTheDocument();
  });
});
