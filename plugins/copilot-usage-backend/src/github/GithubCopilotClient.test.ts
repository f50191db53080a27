import { ConfigReader } from '@backstage/config';
import { GithubCopilotClient } from './GithubCopilotClient';
import {
  LocalServer,
  sendJson,
  startLocalServer,
} from './testUtils/localServer';

const acme = { kind: 'org' as const, name: 'acme' };
const links = {
  download_links: ['https://x.azurefd.net/a.ndjson'],
  report_day: '2026-11-10',
};

describe('GithubCopilotClient', () => {
  let server: LocalServer;
  let answers: Array<(res: any) => void>;

  beforeEach(async () => {
    answers = [];
    server = await startLocalServer((_req, res) => {
      const answer = answers.shift() ?? (r => sendJson(r, 200, links));
      answer(res);
    });
  });
  afterEach(() => server.close());

  function client(
    overrides: Partial<
      ConstructorParameters<typeof GithubCopilotClient>[0]
    > = {},
  ) {
    return new GithubCopilotClient({
      baseUrl: server.url,
      getAuthHeaders: async () => ({ Authorization: 'Bearer secret-token' }),
      msPerSecond: 1,
      ...overrides,
    });
  }

  it('asks for the report links of a day with the API version and the token', async () => {
    const result = await client().getReportLinks(acme, 'users', '2026-11-10');
    expect(result).toEqual({ status: 'ok', links: links.download_links });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].url).toBe(
      '/orgs/acme/copilot/metrics/reports/users-1-day?day=2026-11-10',
    );
    expect(server.requests[0].headers['x-github-api-version']).toBe(
      '2022-11-28',
    );
    expect(server.requests[0].headers.authorization).toBe(
      'Bearer secret-token',
    );
  });

  it.each([
    [
      { kind: 'org', name: 'acme' },
      'aggregate',
      '/orgs/acme/copilot/metrics/reports/organization-1-day',
    ],
    [
      { kind: 'org', name: 'acme' },
      'user-teams',
      '/orgs/acme/copilot/metrics/reports/user-teams-1-day',
    ],
    [
      { kind: 'enterprise', name: 'big' },
      'aggregate',
      '/enterprises/big/copilot/metrics/reports/enterprise-1-day',
    ],
    [
      { kind: 'enterprise', name: 'big' },
      'users',
      '/enterprises/big/copilot/metrics/reports/users-1-day',
    ],
  ] as const)(
    'calls the right endpoint for %j %s',
    async (scope, report, path) => {
      await client().getReportLinks(scope, report, '2026-11-10');
      expect(server.requests[0].url).toBe(`${path}?day=2026-11-10`);
    },
  );

  it('sends no authorization header without credentials', async () => {
    await client({ getAuthHeaders: async () => undefined }).getReportLinks(
      acme,
      'users',
      '2026-11-10',
    );
    expect(server.requests[0].headers.authorization).toBeUndefined();
  });

  it('treats 204 as no data', async () => {
    answers.push(res => {
      res.writeHead(204);
      res.end();
    });
    await expect(
      client().getReportLinks(acme, 'users', '2026-11-10'),
    ).resolves.toEqual({ status: 'no_data' });
  });

  it('retries a 5xx', async () => {
    answers.push(res => sendJson(res, 502, { message: 'bad gateway' }));
    answers.push(res => sendJson(res, 500, { message: 'oops' }));
    const c = client();
    await expect(
      c.getReportLinks(acme, 'users', '2026-11-10'),
    ).resolves.toMatchObject({ status: 'ok' });
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after the configured retries', async () => {
    for (let i = 0; i < 5; i++)
      answers.push(res => sendJson(res, 503, { message: 'down' }));
    await expect(
      client({ retries: 2 }).getReportLinks(acme, 'users', '2026-11-10'),
    ).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    ['429 with retry-after', 429, { 'retry-after': '2' }, 'Too many requests'],
    [
      '403 secondary rate limit',
      403,
      { 'retry-after': '2' },
      'You have exceeded a secondary rate limit',
    ],
    [
      '429 secondary rate limit',
      429,
      { 'retry-after': '2' },
      'You have exceeded a secondary rate limit',
    ],
    [
      '403 primary rate limit',
      403,
      {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3),
      },
      'API rate limit exceeded',
    ],
  ])(
    'waits and retries after a %s',
    async (_name, status, headers, message) => {
      answers.push(res => sendJson(res, status, { message }, headers));
      const started = Date.now();
      await expect(
        client({ msPerSecond: 20 }).getReportLinks(acme, 'users', '2026-11-10'),
      ).resolves.toMatchObject({ status: 'ok' });
      expect(server.requests).toHaveLength(2);
      // It did wait, scaled down: at least 2 "seconds" of 20 ms.
      expect(Date.now() - started).toBeGreaterThanOrEqual(35);
    },
  );

  it('does not wait longer than the configured maximum', async () => {
    answers.push(res =>
      sendJson(res, 429, { message: 'slow down' }, { 'retry-after': '3600' }),
    );
    await expect(
      client({ maxRateLimitWaitSeconds: 60 }).getReportLinks(
        acme,
        'users',
        '2026-11-10',
      ),
    ).rejects.toMatchObject({ status: 429 });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a plain 403 (missing permission)', async () => {
    answers.push(res =>
      sendJson(res, 403, { message: 'Resource not accessible by integration' }),
    );
    await expect(
      client().getReportLinks(acme, 'users', '2026-11-10'),
    ).rejects.toMatchObject({ status: 403 });
    expect(server.requests).toHaveLength(1);
  });

  it('lists every seat page by following Link rel=next', async () => {
    answers.push(res =>
      sendJson(
        res,
        200,
        {
          total_seats: 3,
          seats: [{ assignee: { login: 'a' } }, { assignee: { login: 'b' } }],
        },
        {
          link: `<${server.url}/orgs/acme/copilot/billing/seats?per_page=100&page=2>; rel="next", <${server.url}/orgs/acme/copilot/billing/seats?per_page=100&page=2>; rel="last"`,
        },
      ),
    );
    answers.push(res =>
      sendJson(res, 200, {
        total_seats: 3,
        seats: [{ assignee: { login: 'c' } }],
      }),
    );
    const seats = [];
    for await (const seat of client().listSeats(acme)) seats.push(seat);
    expect(seats.map((s: any) => s.assignee.login)).toEqual(['a', 'b', 'c']);
    expect(server.requests.map(r => r.url)).toEqual([
      '/orgs/acme/copilot/billing/seats?per_page=100',
      '/orgs/acme/copilot/billing/seats?per_page=100&page=2',
    ]);
    expect(server.requests[1].headers.authorization).toBe(
      'Bearer secret-token',
    );
  });

  it('asks for the pages up to rel=last a few at a time and hands the seats on in page order', async () => {
    const pages = 7;
    const pageUrl = (page: number) =>
      `${server.url}/orgs/acme/copilot/billing/seats?per_page=100&page=${page}`;
    let open = 0;
    let mostOpen = 0;
    const answerPage = (res: any) => {
      const { url } = server.requests[server.requests.length - 1];
      const page = Number(
        new URL(url, server.url).searchParams.get('page') ?? 1,
      );
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      // Later pages answer sooner: the order of the seats must not follow the answers.
      setTimeout(
        () => {
          open -= 1;
          sendJson(
            res,
            200,
            {
              total_seats: pages,
              seats: [{ assignee: { login: `u${page}` } }],
            },
            page < pages
              ? {
                  link: `<${pageUrl(page + 1)}>; rel="next", <${pageUrl(pages)}>; rel="last"`,
                }
              : {},
          );
        },
        (pages - page) * 5,
      );
    };
    for (let i = 0; i < pages; i++) answers.push(answerPage);
    const seats = [];
    for await (const seat of client().listSeats(acme)) seats.push(seat);
    expect(seats.map((s: any) => s.assignee.login)).toEqual(
      Array.from({ length: pages }, (_, i) => `u${i + 1}`),
    );
    expect(server.requests).toHaveLength(pages);
    expect(mostOpen).toBeGreaterThan(1);
    expect(mostOpen).toBeLessThanOrEqual(4);
  });

  it('reads the base URL and token from integrations.github', async () => {
    const c = GithubCopilotClient.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: 'github.com',
              apiBaseUrl: server.url,
              token: 'from-config',
            },
          ],
        },
      }),
      { githubHost: 'github.com' },
    );
    await c.getReportLinks(acme, 'aggregate', '2026-11-10');
    expect(server.requests[0].headers.authorization).toBe('Bearer from-config');
  });

  it('names the missing integration', () => {
    expect(() =>
      GithubCopilotClient.fromConfig(new ConfigReader({}), {
        githubHost: 'ghe.example.com',
      }),
    ).toThrow("No integrations.github entry for host 'ghe.example.com'");
  });

  it('never puts the token in an error', async () => {
    answers.push(res => sendJson(res, 404, { message: 'Not Found' }));
    const error = await client()
      .getReportLinks(acme, 'users', '2026-11-10')
      .catch(e => e);
    expect(
      JSON.stringify({
        message: error.message,
        request: error.request,
        stack: error.stack,
      }),
    ).not.toContain('secret-token');
  });
});
