import { ResponseError } from '@backstage/errors';
import { CopilotUsageApi } from '../api/CopilotUsageApi';
import { CopilotUsageClient } from '../api/CopilotUsageClient';

/** A CopilotUsageApi whose every method is a jest mock (reject by default). */
export function mockCopilotUsageApi(
  overrides: Partial<jest.Mocked<CopilotUsageApi>> = {},
): jest.Mocked<CopilotUsageApi> {
  const notMocked = (name: string) =>
    jest.fn().mockRejectedValue(new Error(`${name} not mocked`));
  return {
    listTeams: notMocked('listTeams'),
    getTeamMetrics: notMocked('getTeamMetrics'),
    getDepartmentMetrics: notMocked('getDepartmentMetrics'),
    getOrgMetrics: notMocked('getOrgMetrics'),
    getEnterpriseMetrics: notMocked('getEnterpriseMetrics'),
    getTeamComparison: notMocked('getTeamComparison'),
    getEnterpriseTeamComparison: notMocked('getEnterpriseTeamComparison'),
    getSeats: notMocked('getSeats'),
    getInactiveSeats: notMocked('getInactiveSeats'),
    getEnterpriseSeats: notMocked('getEnterpriseSeats'),
    getEnterpriseInactiveSeats: notMocked('getEnterpriseInactiveSeats'),
    getSyncStatus: notMocked('getSyncStatus'),
    triggerSync: notMocked('triggerSync'),
    getMyMetrics: notMocked('getMyMetrics'),
    getCsv: notMocked('getCsv'),
    ...overrides,
  } as jest.Mocked<CopilotUsageApi>;
}

/** The plugin's base URL in the tests of the real client. */
export const testBaseUrl = 'http://backstage.test/api/copilot-usage';

/** The parts of a fetch Response that the client and `ResponseError` read. */
export function fakeResponse(
  status: number,
  text: string,
  headers: Record<string, string>,
): Response {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: String(status),
    url: testBaseUrl,
    headers: new Headers(headers),
    json: async () => JSON.parse(text),
    text: async () => text,
  } as unknown as Response;
}

/** A JSON answer of the backend. */
export function jsonResponse(status: number, body: unknown): Response {
  return fakeResponse(status, JSON.stringify(body), {
    'content-type': 'application/json',
  });
}

/** The backend's CSV answer, named by `Content-Disposition` when given. */
export function csvResponse(
  csv: string,
  contentDisposition?: string,
): Response {
  return fakeResponse(200, csv, {
    'content-type': 'text/csv; charset=utf-8',
    ...(contentDisposition && { 'content-disposition': contentDisposition }),
  });
}

/** The real client over a fetchApi that answers every request with `response`. */
export function clientAnswering(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  const client = new CopilotUsageClient({
    discoveryApi: { getBaseUrl: jest.fn().mockResolvedValue(testBaseUrl) },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

/** The error the client throws for an HTTP error status. */
export async function responseError(
  status: number,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    jsonResponse(status, {
      error: { name: status === 403 ? 'NotAllowedError' : 'Error', message },
      request: { method: 'GET', url: '/api/copilot-usage' },
      response: { statusCode: status },
    }),
  );
}
