import { ResponseError } from '@backstage/errors';
import { CopilotUsageApi } from '../api/CopilotUsageApi';

/** A CopilotUsageApi whose every method is a jest mock (reject by default). */
export function mockCopilotUsageApi(
  overrides: Partial<jest.Mocked<CopilotUsageApi>> = {},
): jest.Mocked<CopilotUsageApi> {
  const notMocked = (name: string) =>
    jest.fn().mockRejectedValue(new Error(`${name} not mocked`));
  return {
    listTeams: notMocked('listTeams'),
    getTeamMetrics: notMocked('getTeamMetrics'),
    getOrgMetrics: notMocked('getOrgMetrics'),
    getTeamComparison: notMocked('getTeamComparison'),
    getSeats: notMocked('getSeats'),
    getSyncStatus: notMocked('getSyncStatus'),
    triggerSync: notMocked('triggerSync'),
    getMyMetrics: notMocked('getMyMetrics'),
    getCsv: notMocked('getCsv'),
    ...overrides,
  } as jest.Mocked<CopilotUsageApi>;
}

/** The error the client throws for an HTTP error status. */
export async function responseError(
  status: number,
  message: string,
): Promise<ResponseError> {
  const body = JSON.stringify({
    error: { name: status === 403 ? 'NotAllowedError' : 'Error', message },
    request: { method: 'GET', url: '/api/copilot-usage' },
    response: { statusCode: status },
  });
  // The parts of a fetch Response that ResponseError reads.
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText: String(status),
    url: 'http://localhost/api/copilot-usage',
    headers: new Headers({ 'content-type': 'application/json' }),
    text: async () => body,
  } as unknown as Response);
}
