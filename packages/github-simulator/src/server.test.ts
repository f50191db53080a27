import http from 'node:http';
import { addDays } from './days';
import { GithubSimulator, startGithubSimulator } from './server';

const TODAY = '2026-11-21';
const TOKEN = 'test-token';
const auth = { authorization: `token ${TOKEN}` };

function parseNdjson(text: string): any[] {
  return text
    .split('\n')
    .filter(line => line.trim() !== '')
    .map(line => JSON.parse(line));
}

function nextLink(header: string | null): string | undefined {
  return header?.match(/<([^>]+)>;\s*rel="next"/)?.[1];
}

/** A raw GET that reports how a cut-off body ended, which fetch hides. */
function rawGet(url: string): Promise<{
  status: number;
  contentLength: number;
  body: Buffer;
  aborted: boolean;
}> {
  return new Promise((resolve, reject) => {
    http
      .get(url, res => {
        const chunks: Buffer[] = [];
        let aborted = false;
        res.on('data', c => chunks.push(c));
        res.on('aborted', () => {
          aborted = true;
        });
        res.on('error', () => {
          aborted = true;
        });
        res.on('close', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentLength: Number(res.headers['content-length']),
            body: Buffer.concat(chunks),
            aborted: aborted || !res.complete,
          }),
        );
      })
      .on('error', reject);
  });
}

describe('startGithubSimulator', () => {
  let sim: GithubSimulator;
  const api = (path: string, headers: Record<string, string> = auth) =>
    fetch(`${sim.url}${path}`, { headers });
  const links = async (path: string) => {
    const res = await api(path);
    expect(res.status).toBe(200);
    return (await res.json()) as { download_links: string[] };
  };

  beforeAll(async () => {
    sim = await startGithubSimulator({
      today: TODAY,
      token: TOKEN,
      downloadHost: 'localhost',
    });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.clearFaults());

  it('serves report links and streams the users-1-day file', async () => {
    const day = sim.org.lastDay;
    const res = await api(
      `/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(res.headers.get('x-ratelimit-resource')).toBe('core');
    const body = await res.json();
    expect(body.report_day).toBe(day);
    expect(body.download_links).toHaveLength(1);
    expect(new URL(body.download_links[0]).hostname).toBe('localhost');

    sim.resetStats();
    const download = await fetch(body.download_links[0]);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain(
      'application/x-ndjson',
    );
    expect(parseNdjson(await download.text())).toEqual(
      sim.org.usersReport(day),
    );
    expect(sim.stats.downloads).toBe(1);
    expect(sim.stats.downloadsWithAuthorization).toBe(0);

    await (await fetch(body.download_links[0], { headers: auth })).text();
    expect(sim.stats.downloadsWithAuthorization).toBe(1);
  });

  it('serves the user-teams and organization 1-day files', async () => {
    const day = addDays(sim.org.lastDay, -3);
    const teams = await links(
      `/orgs/acme/copilot/metrics/reports/user-teams-1-day?day=${day}`,
    );
    expect(
      parseNdjson(await (await fetch(teams.download_links[0])).text()),
    ).toEqual(sim.org.userTeamsReport(day));
    const aggregate = await links(
      `/orgs/acme/copilot/metrics/reports/organization-1-day?day=${day}`,
    );
    expect(
      JSON.parse(await (await fetch(aggregate.download_links[0])).text()),
    ).toEqual(sim.org.aggregateReport(day));
  });

  it('serves the 28-day reports for org and enterprise', async () => {
    const res = await api(
      '/orgs/acme/copilot/metrics/reports/organization-28-day/latest',
    );
    const body = await res.json();
    expect(body.report_end_day).toBe(sim.org.lastDay);
    expect(body.report_start_day).toBe(addDays(sim.org.lastDay, -27));
    const file = JSON.parse(await (await fetch(body.download_links[0])).text());
    expect(file.day_totals).toHaveLength(28);
    expect(file.organization_id).toBe(sim.org.organizationId);

    const users = await links(
      '/enterprises/acme-corp/copilot/metrics/reports/users-28-day/latest',
    );
    const rows = parseNdjson(
      await (await fetch(users.download_links[0])).text(),
    );
    const expectedRows = sim.enterprise
      .days()
      .slice(-28)
      .reduce((n, d) => n + sim.enterprise.usersReport(d).length, 0);
    expect(rows).toHaveLength(expectedRows);
    expect(rows[0].report_end_day).toBe(sim.org.lastDay);
    expect(rows[0]).not.toHaveProperty('organization_id');

    const enterprise = await links(
      '/enterprises/acme-corp/copilot/metrics/reports/enterprise-28-day/latest',
    );
    const enterpriseFile = JSON.parse(
      await (await fetch(enterprise.download_links[0])).text(),
    );
    expect(enterpriseFile.enterprise_id).toBe(sim.org.enterpriseId);
    expect(enterpriseFile).not.toHaveProperty('organization_id');
  });

  it('serves enterprise 1-day reports with enterprise ids only', async () => {
    const day = sim.org.lastDay;
    const body = await links(
      `/enterprises/acme-corp/copilot/metrics/reports/enterprise-1-day?day=${day}`,
    );
    const record = JSON.parse(
      await (await fetch(body.download_links[0])).text(),
    );
    expect(record).toEqual(sim.enterprise.aggregateReport(day));
    expect(record.daily_active_users).toBe(
      sim.enterprise.usersReport(day).length,
    );
    expect(record).not.toHaveProperty('organization_id');
    const teams = await links(
      `/enterprises/acme-corp/copilot/metrics/reports/user-teams-1-day?day=${day}`,
    );
    const rows = parseNdjson(
      await (await fetch(teams.download_links[0])).text(),
    );
    expect(rows[0].enterprise_id).toBe(sim.org.enterpriseId);
    expect(rows).toEqual(sim.enterprise.userTeamsReport(day));
  });

  it('answers like GitHub for bad requests', async () => {
    const base = '/orgs/acme/copilot/metrics/reports/users-1-day';
    expect((await api(base)).status).toBe(422);
    const invalid = await api(`${base}?day=2026-02-30`);
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({
      documentation_url: expect.any(String),
      status: '422',
    });
    expect(
      (await api(`${base}?day=${addDays(sim.org.firstDay, -1)}`)).status,
    ).toBe(204);
    expect((await api(`${base}?day=2026-11-20`)).status).toBe(204);
    expect(
      (
        await api(
          `/orgs/other/copilot/metrics/reports/users-1-day?day=${sim.org.lastDay}`,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await api(
          `/enterprises/other/copilot/metrics/reports/users-1-day?day=${sim.org.lastDay}`,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await api(
          `/orgs/acme/copilot/metrics/reports/repos-2-day?day=${sim.org.lastDay}`,
        )
      ).status,
    ).toBe(404);
    const unauthorized = await api(`${base}?day=${sim.org.lastDay}`, {
      authorization: 'token wrong',
    });
    expect(unauthorized.status).toBe(401);
    expect((await unauthorized.json()).message).toBe('Bad credentials');
    expect(
      (
        await api(`${base}?day=${sim.org.lastDay}`, {
          authorization: `Bearer ${TOKEN}`,
        })
      ).status,
    ).toBe(200);
  });

  it('rejects tampered and expired download links', async () => {
    const { download_links } = await links(
      `/orgs/acme/copilot/metrics/reports/users-1-day?day=${sim.org.lastDay}`,
    );
    const tampered = download_links[0].replace(/sig=[^&]+/, 'sig=AAAA');
    const res = await fetch(tampered);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AuthenticationFailed</Code>');

    sim.inject({ kind: 'expiredLinks' });
    const expired = await links(
      `/orgs/acme/copilot/metrics/reports/users-1-day?day=${sim.org.lastDay}`,
    );
    expect((await fetch(expired.download_links[0])).status).toBe(403);
    const fresh = await links(
      `/orgs/acme/copilot/metrics/reports/users-1-day?day=${sim.org.lastDay}`,
    );
    expect((await fetch(fresh.download_links[0])).status).toBe(200);
  });

  it('paginates seats with Link headers', async () => {
    const seen: number[] = [];
    let url: string | undefined =
      `${sim.url}/orgs/acme/copilot/billing/seats?per_page=25`;
    let pages = 0;
    const linkHeaders: Array<string | null> = [];
    while (url) {
      const res: Response = await fetch(url, { headers: auth });
      const body = await res.json();
      expect(body.total_seats).toBe(60);
      linkHeaders.push(res.headers.get('link'));
      seen.push(...body.seats.map((s: any) => s.assignee.id));
      url = nextLink(res.headers.get('link'));
      pages++;
    }
    expect(pages).toBe(3);
    expect(linkHeaders[0]).toMatch(/rel="last"/);
    expect(linkHeaders[2]).toMatch(/rel="prev"/);
    expect(seen).toEqual(sim.org.seats().map(s => s.assignee.id));
    const defaultPage = await (
      await api('/orgs/acme/copilot/billing/seats')
    ).json();
    expect(defaultPage.seats).toHaveLength(50);
  });

  it('paginates teams and team members', async () => {
    const first = await api('/orgs/acme/teams?per_page=4');
    expect(await first.json()).toHaveLength(4);
    const slugs: string[] = [];
    let url: string | undefined = `${sim.url}/orgs/acme/teams?per_page=4`;
    while (url) {
      const res: Response = await fetch(url, { headers: auth });
      slugs.push(...(await res.json()).map((t: any) => t.slug));
      url = nextLink(res.headers.get('link'));
    }
    expect(slugs).toEqual(sim.org.teams.map(t => t.slug));

    const current = sim.org.membersOn(sim.org.lastDay);
    const members = await (
      await api('/orgs/acme/teams/platform/members?per_page=100')
    ).json();
    const direct = current
      .filter(m => m.teamSlug === 'platform')
      .map(m => m.userLogin);
    expect(
      members.filter((m: any) => !m.inherited).map((m: any) => m.login),
    ).toEqual(direct);
    // Members of the child team platform-sre show up as inherited.
    expect(members.some((m: any) => m.inherited)).toBe(true);
    expect((await api('/orgs/acme/teams/nope/members')).status).toBe(404);
  });

  it('injects status faults per target, `times` requests long', async () => {
    const day = sim.org.lastDay;
    sim.inject({
      kind: 'status',
      target: 'api',
      status: 502,
      times: 2,
      report: 'users-1-day',
    });
    expect(
      (
        await api(
          `/orgs/acme/copilot/metrics/reports/user-teams-1-day?day=${day}`,
        )
      ).status,
    ).toBe(200);
    expect(
      (await api(`/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`))
        .status,
    ).toBe(502);
    expect(
      (await api(`/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`))
        .status,
    ).toBe(502);
    expect(
      (await api(`/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`))
        .status,
    ).toBe(200);

    sim.inject({ kind: 'status', target: 'seats', status: 500 });
    expect((await api('/orgs/acme/copilot/billing/seats')).status).toBe(500);
    sim.inject({ kind: 'status', target: 'teams', status: 503 });
    expect((await api('/orgs/acme/teams')).status).toBe(503);

    const { download_links } = await links(
      `/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`,
    );
    sim.inject({ kind: 'status', target: 'download', status: 503 });
    expect((await fetch(download_links[0])).status).toBe(503);
    expect((await fetch(download_links[0])).status).toBe(200);
  });

  it('injects rate limits', async () => {
    sim.inject({ kind: 'rateLimit', status: 403, retryAfterSeconds: 7 });
    const primary = await api('/orgs/acme/teams');
    expect(primary.status).toBe(403);
    expect(primary.headers.get('retry-after')).toBe('7');
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(primary.headers.get('x-ratelimit-reset'))).toBeGreaterThan(
      Date.now() / 1000,
    );

    sim.inject({ kind: 'rateLimit', status: 429, retryAfterSeconds: 3 });
    const secondary = await api(
      `/orgs/acme/copilot/metrics/reports/users-1-day?day=${sim.org.lastDay}`,
    );
    expect(secondary.status).toBe(429);
    expect(secondary.headers.get('retry-after')).toBe('3');
    expect((await api('/orgs/acme/teams')).status).toBe(200);
  });

  it('injects no-data days until the faults are cleared', async () => {
    const day = addDays(sim.org.lastDay, -5);
    sim.inject({ kind: 'noData', day, report: 'users-1-day' });
    for (let i = 0; i < 2; i++) {
      expect(
        (await api(`/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`))
          .status,
      ).toBe(204);
    }
    expect(
      (
        await api(
          `/orgs/acme/copilot/metrics/reports/user-teams-1-day?day=${day}`,
        )
      ).status,
    ).toBe(200);
    sim.clearFaults();
    expect(
      (await api(`/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`))
        .status,
    ).toBe(200);
  });

  it('truncates downloads, mid-line or at a line boundary, with the full Content-Length', async () => {
    const day = sim.org.lastDay;
    for (const atLineBoundary of [false, true]) {
      const { download_links } = await links(
        `/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`,
      );
      sim.inject({
        kind: 'truncated',
        report: 'users-1-day',
        day,
        atLineBoundary,
      });
      const res = await rawGet(download_links[0]);
      expect(res.status).toBe(200);
      expect(res.aborted).toBe(true);
      expect(res.body.length).toBeLessThan(res.contentLength);
      expect(res.body.length).toBeGreaterThan(0);
      expect(res.body[res.body.length - 1] === 0x0a).toBe(atLineBoundary);
      await expect(
        fetch(download_links[0]).then(r => r.text()),
      ).resolves.toContain(`"day":"${day}"`);
    }
  });

  it('serves a malformed line', async () => {
    const day = sim.org.lastDay;
    const { download_links } = await links(
      `/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`,
    );
    sim.inject({ kind: 'malformed', report: 'users-1-day', day, line: 3 });
    const lines = (await (await fetch(download_links[0])).text()).split('\n');
    expect(() => JSON.parse(lines[0])).not.toThrow();
    expect(() => JSON.parse(lines[2])).toThrow();
    expect(lines[2]).toContain('"user_login"');
    // The fault is used up: the next download is whole again.
    const again = await (await fetch(download_links[0])).text();
    expect(() => parseNdjson(again)).not.toThrow();
  });

  it('returns revised numbers for a revised day', async () => {
    const day = addDays(sim.org.lastDay, -1);
    const read = async () => {
      const { download_links } = await links(
        `/orgs/acme/copilot/metrics/reports/organization-1-day?day=${day}`,
      );
      return JSON.parse(await (await fetch(download_links[0])).text());
    };
    const before = await read();
    sim.revise(day);
    const after = await read();
    expect(after.code_generation_activity_count).not.toBe(
      before.code_generation_activity_count,
    );
    expect(after.daily_active_users).toBe(before.daily_active_users);
  });

  it('counts requests per route', async () => {
    sim.resetStats();
    await api('/orgs/acme/teams');
    await api('/orgs/acme/teams');
    expect(sim.stats.apiRequests).toBe(2);
    expect(sim.stats.byRoute['GET /orgs/{org}/teams']).toBe(2);
  });
});

describe('startGithubSimulator file layouts', () => {
  it('splits rows over several files and writes JSON arrays', async () => {
    const sim = await startGithubSimulator({
      today: TODAY,
      filesPerReport: 3,
      format: 'array',
    });
    try {
      const day = sim.org.lastDay;
      const body = await (
        await fetch(
          `${sim.url}/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`,
        )
      ).json();
      expect(body.download_links).toHaveLength(3);
      const parts = await Promise.all(
        body.download_links.map(async (link: string) => {
          const res = await fetch(link);
          expect(res.headers.get('content-type')).toContain('application/json');
          return JSON.parse(await res.text());
        }),
      );
      expect(parts.flat()).toEqual(sim.org.usersReport(day));
      const aggregate = await (
        await fetch(
          `${sim.url}/orgs/acme/copilot/metrics/reports/organization-1-day?day=${day}`,
        )
      ).json();
      expect(aggregate.download_links).toHaveLength(1);
      expect(
        Array.isArray(
          JSON.parse(await (await fetch(aggregate.download_links[0])).text()),
        ),
      ).toBe(false);
    } finally {
      await sim.close();
    }
  });

  it('serves one object per file', async () => {
    const sim = await startGithubSimulator({
      today: TODAY,
      users: 12,
      teams: 2,
      format: 'object-per-file',
    });
    try {
      const day = sim.org.lastDay;
      const body = await (
        await fetch(
          `${sim.url}/orgs/acme/copilot/metrics/reports/users-1-day?day=${day}`,
        )
      ).json();
      const expected = sim.org.usersReport(day);
      expect(body.download_links).toHaveLength(expected.length);
      const records = await Promise.all(
        body.download_links.map(async (l: string) =>
          JSON.parse(await (await fetch(l)).text()),
        ),
      );
      expect(records).toEqual(expected);
    } finally {
      await sim.close();
    }
  });
});
