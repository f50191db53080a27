import { ResponseError } from '@backstage/errors';
import {
  clientAnswering as setup,
  csvResponse,
  jsonResponse,
  testBaseUrl as baseUrl,
} from '../__testUtils__/mockApi';
import { csvPath } from './paths';

describe('CopilotUsageClient', () => {
  it('builds each route under the plugin base URL', async () => {
    const { client, fetch } = setup(jsonResponse(200, {}));
    const range = { from: '2026-10-01', to: '2026-10-28' };
    await client.listTeams();
    await client.getTeamMetrics('group:default/team-a', range);
    await client.getOrgMetrics('acme', range);
    await client.getTeamComparison('acme', range);
    await client.getSeats('acme');
    await client.getInactiveSeats('acme');
    await client.getEnterpriseSeats('acme-corp');
    await client.getEnterpriseInactiveSeats('acme-corp');
    await client.getSyncStatus();
    await client.getMyMetrics();
    await client.getOrgMetrics('acme', range, { view: 'headline' });
    await client.getEnterpriseMetrics('acme-corp', undefined, {
      view: 'headline',
    });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      `${baseUrl}/teams`,
      `${baseUrl}/teams/default/team-a/metrics?from=2026-10-01&to=2026-10-28`,
      `${baseUrl}/orgs/acme/metrics?from=2026-10-01&to=2026-10-28`,
      `${baseUrl}/orgs/acme/teams?from=2026-10-01&to=2026-10-28`,
      `${baseUrl}/orgs/acme/seats`,
      `${baseUrl}/orgs/acme/seats/inactive`,
      `${baseUrl}/enterprises/acme-corp/seats`,
      `${baseUrl}/enterprises/acme-corp/seats/inactive`,
      `${baseUrl}/status`,
      `${baseUrl}/me/metrics`,
      `${baseUrl}/orgs/acme/metrics?from=2026-10-01&to=2026-10-28&view=headline`,
      `${baseUrl}/enterprises/acme-corp/metrics?view=headline`,
    ]);
  });

  it('returns the parsed body', async () => {
    const body = { items: [{ entityRef: 'group:default/team-a' }] };
    const { client } = setup(jsonResponse(200, body));
    await expect(client.listTeams()).resolves.toEqual(body);
  });

  it('throws a ResponseError carrying the status on failure', async () => {
    const { client } = setup(
      jsonResponse(403, {
        error: { name: 'NotAllowedError', message: 'not a member' },
        request: { method: 'GET', url: '/teams' },
        response: { statusCode: 403 },
      }),
    );
    const error = await client
      .getTeamMetrics('group:default/team-b')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });

  it('posts a sync and reports 409 as already running', async () => {
    const started = setup(jsonResponse(202, { status: 'started' }));
    await expect(started.client.triggerSync()).resolves.toBe('started');
    expect(started.fetch).toHaveBeenCalledWith(`${baseUrl}/sync`, {
      method: 'POST',
    });

    const running = setup(
      jsonResponse(409, { error: { name: 'ConflictError', message: 'x' } }),
    );
    await expect(running.client.triggerSync()).resolves.toBe('already-running');

    const denied = setup(
      jsonResponse(403, { error: { name: 'NotAllowedError', message: 'x' } }),
    );
    await expect(denied.client.triggerSync()).rejects.toBeInstanceOf(
      ResponseError,
    );
  });

  it('fetches CSV text through the same fetchApi', async () => {
    const csv = 'day,activeUsers\r\n2026-10-01,5\r\n';
    const { client, fetch } = setup(
      csvResponse(
        csv,
        'attachment; filename="copilot-usage_acme_team-a_2026-10-01_2026-10-28.csv"',
      ),
    );
    const path = csvPath(
      { type: 'team', entityRef: 'group:default/team-a' },
      { from: '2026-10-01', to: '2026-10-28' },
    );
    await expect(client.getCsv(path)).resolves.toEqual({
      text: csv,
      fileName: 'copilot-usage_acme_team-a_2026-10-01_2026-10-28.csv',
    });
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/teams/default/team-a/metrics?from=2026-10-01&to=2026-10-28&format=csv`,
      undefined,
    );
  });

  it("names the CSV as the backend's Content-Disposition does, else copilot-usage.csv", async () => {
    const named = setup(
      csvResponse(
        '',
        `attachment; filename="copilot-usage_J_rgen.csv"; filename*=UTF-8''copilot-usage_J%C3%BCrgen.csv`,
      ),
    );
    await expect(named.client.getCsv('me/metrics?format=csv')).resolves.toEqual(
      { text: '', fileName: 'copilot-usage_Jürgen.csv' },
    );

    // No header, e.g. not exposed to an app on another origin.
    const unnamed = setup(csvResponse(''));
    await expect(
      unnamed.client.getCsv('me/metrics?format=csv'),
    ).resolves.toEqual({ text: '', fileName: 'copilot-usage.csv' });
  });
});
