import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { CopilotUsageClient } from '../../api/CopilotUsageClient';
import { CsvDownloadButton } from './CsvDownloadButton';

const baseUrl = 'http://backstage.test/api/copilot-usage';
const path = 'orgs/acme/metrics?from=2026-10-01&to=2026-10-28&format=csv';

/** The backend's CSV answer, with or without its Content-Disposition header. */
function csvResponse(contentDisposition?: string): Response {
  const headers = new Headers({ 'content-type': 'text/csv; charset=utf-8' });
  if (contentDisposition) {
    headers.set('content-disposition', contentDisposition);
  }
  return {
    ok: true,
    status: 200,
    statusText: 'OK',
    url: `${baseUrl}/${path}`,
    headers,
    text: async () => 'day,activeUsers\r\n2026-10-01,5\r\n',
  } as unknown as Response;
}

/** Renders the button over the real client and returns the names it saved under. */
async function download(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  const client = new CopilotUsageClient({
    discoveryApi: { getBaseUrl: jest.fn().mockResolvedValue(baseUrl) },
    fetchApi: { fetch },
  });
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
  expect(fetch).toHaveBeenCalledWith(`${baseUrl}/${path}`, undefined);
  return saved;
}

describe('CsvDownloadButton', () => {
  it("saves the CSV under the name in the backend's Content-Disposition header", async () => {
    await expect(
      download(
        csvResponse(
          'attachment; filename="copilot-usage_acme_2026-10-01_2026-10-28.csv"',
        ),
      ),
    ).resolves.toEqual(['copilot-usage_acme_2026-10-01_2026-10-28.csv']);
  });

  it('saves it as copilot-usage.csv when the header is not readable', async () => {
    await expect(download(csvResponse())).resolves.toEqual([
      'copilot-usage.csv',
    ]);
  });
});
