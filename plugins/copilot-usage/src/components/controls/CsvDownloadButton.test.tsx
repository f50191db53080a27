import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import {
  clientAnswering,
  csvResponse,
  testBaseUrl,
} from '../../__testUtils__/mockApi';
import { CsvDownloadButton } from './CsvDownloadButton';

const path = 'orgs/acme/metrics?from=2026-10-01&to=2026-10-28&format=csv';
const csv = 'day,activeUsers\r\n2026-10-01,5\r\n';

/** Renders the button over the real client and returns the names it saved under. */
async function download(response: Response) {
  const { client, fetch } = clientAnswering(response);
  const createObjectURL = jest.fn(() => 'blob:csv');
  Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
  const saved: string[] = [];
  const click = jest
    .spyOn(HTMLAnchorElement.prototype, 'click')
    .mockImplementation(function save(this: HTMLAnchorElement) {
      saved.push(this.download);
    });
  try {
    await renderInTestApp(
      <TestApiProvider apis={[[copilotUsageApiRef, client]]}>
        <CsvDownloadButton path={path} />
      </TestApiProvider>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalledTimes(1));
  } finally {
    click.mockRestore();
  }
  expect(fetch).toHaveBeenCalledWith(`${testBaseUrl}/${path}`, undefined);
  return saved;
}

describe('CsvDownloadButton', () => {
  it("saves the CSV under the name in the backend's Content-Disposition header", async () => {
    await expect(
      download(
        csvResponse(
          csv,
          'attachment; filename="copilot-usage_acme_2026-10-01_2026-10-28.csv"',
        ),
      ),
    ).resolves.toEqual(['copilot-usage_acme_2026-10-01_2026-10-28.csv']);
  });

  it('saves it as copilot-usage.csv when the header is not readable', async () => {
    await expect(download(csvResponse(csv))).resolves.toEqual([
      'copilot-usage.csv',
    ]);
  });
});
