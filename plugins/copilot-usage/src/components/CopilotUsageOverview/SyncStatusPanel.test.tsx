import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { makeSyncStatus } from '../../__testUtils__/fixtures';
import { mockCopilotUsageApi } from '../../__testUtils__/mockApi';
import { SyncStatusPanel, describeFinishedRun } from './SyncStatusPanel';

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

  it('says the run finished for one scope and for several', () => {
    const [org] = makeSyncStatus(false).scopes;
    const at = new Date(org.lastRunFinishedAt!).toLocaleString();
    expect(describeFinishedRun([org])).toBe(
      `Sync finished at ${at}, 12 of 40 days fetched, no errors.`,
    );
    expect(
      describeFinishedRun([
        org,
        { ...org, scope: 'enterprise:acme-corp', lastError: 'HTTP 403' },
      ]),
    ).toBe(
      `Sync finished: org:acme at ${at}, 12 of 40 days fetched, no errors; enterprise:acme-corp at ${at}, failed: HTTP 403.`,
    );
  });
});
