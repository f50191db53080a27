import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { makeSyncStatus } from '../../__testUtils__/fixtures';
import { mockCopilotUsageApi } from '../../__testUtils__/mockApi';
import { SyncStatusPanel } from './SyncStatusPanel';

describe('SyncStatusPanel', () => {
  it('shows a first backfill with its days and the time it still needs', async () => {
    const status = makeSyncStatus(true);
    status.scopes[0].progress = {
      daysDone: 143,
      daysTotal: 351,
      backfilling: true,
      minutesLeft: 12,
    };
    const api = mockCopilotUsageApi({
      getSyncStatus: jest.fn().mockResolvedValue(status),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
        <SyncStatusPanel />
      </TestApiProvider>,
    );
    expect(await screen.findByTestId('sync-progress')).toHaveTextContent(
      /^Backfilling: 143 of 351 days, about 12 min left$/,
    );
    expect(
      screen.getByRole('progressbar', { name: 'Sync progress of org:acme' }),
    ).toHaveAttribute('aria-valuenow', String(Math.round((100 * 143) / 351)));
  });
});
