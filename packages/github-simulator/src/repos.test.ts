import { startGithubSimulator, GithubSimulator } from './server';
import {
  REPOS_FIRST_DAY,
  REVIEW_TIMES_FIRST_DAY,
  repositoriesOf,
  reposReport,
} from './repos';
import { createSyntheticEnterprise } from './enterprise';

const TODAY = '2026-11-21';
const TOKEN = 'test-token';
const auth = { authorization: `token ${TOKEN}` };

function parseNdjson(text: string): any[] {
  return text
    .split('\n')
    .filter(line => line.trim() !== '')
    .map(line => JSON.parse(line));
}

describe('repos-1-day', () => {
  let sim: GithubSimulator;
  const api = (path: string) => fetch(`${sim.url}${path}`, { headers: auth });
  const rows = async (path: string) => {
    const res = await api(path);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      download_links: string[];
      report_day: string;
    };
    expect(body.download_links).toHaveLength(1);
    const file = await fetch(body.download_links[0]);
    expect(file.status).toBe(200);
    return parseNdjson(await file.text());
  };

  beforeAll(async () => {
    sim = await startGithubSimulator({ today: TODAY, token: TOKEN });
  });
  afterAll(() => sim.close());
  afterEach(() => sim.clearFaults());

  it('serves one row per active repository of the org through a signed download link', async () => {
    const day = '2026-11-18';
    const report = await rows(
      `/orgs/acme/copilot/metrics/reports/repos-1-day?day=${day}`,
    );
    expect(report.length).toBeGreaterThan(0);
    const names = repositoriesOf(sim.org).map(r => r.name);
    for (const row of report) {
      expect(row.day).toBe(day);
      expect(row.repo_owner_name).toBe('acme');
      expect(names).toContain(row.repo_name);
      expect(row.organization_id).toBe(sim.org.organizationId);
      const pr = row.pull_requests;
      expect(pr.total_created_by_copilot).toBeLessThanOrEqual(pr.total_created);
      expect(pr.total_merged_created_by_copilot).toBeLessThanOrEqual(
        pr.total_merged,
      );
      expect(pr.total_reviewed_by_copilot).toBeLessThanOrEqual(
        pr.total_reviewed,
      );
      const byType = pr.copilot_suggestions_by_comment_type as Array<{
        total_suggestions: number;
        total_applied_suggestions: number;
      }>;
      expect(pr.total_copilot_suggestions).toBe(
        byType.reduce((sum, e) => sum + e.total_suggestions, 0),
      );
      for (const times of row.pull_request_review_times) {
        expect(times.authored_by).toBe('human');
        expect(times.total_merged).toBeGreaterThan(0);
        expect(times.p90_minutes_ready_to_first_review).toBeGreaterThanOrEqual(
          times.median_minutes_ready_to_first_review,
        );
      }
    }
    // The same day again gives the same rows: deterministic.
    expect(
      await rows(`/orgs/acme/copilot/metrics/reports/repos-1-day?day=${day}`),
    ).toEqual(report);
  });

  it('has review times only on merge days from 2026-09-21 on, an empty array otherwise', () => {
    const enterprise = createSyntheticEnterprise({ today: TODAY });
    const untimed: unknown[] = [];
    const timed: Array<{ merged: number; times: unknown[] }> = [];
    for (const day of enterprise.days().filter(d => d >= REPOS_FIRST_DAY)) {
      for (const row of reposReport(enterprise.orgs, day, 'organization')) {
        const humanMerged =
          row.pull_requests.total_merged -
          row.pull_requests.total_merged_created_by_copilot;
        if (day < REVIEW_TIMES_FIRST_DAY || humanMerged === 0) {
          untimed.push(...row.pull_request_review_times);
        } else {
          timed.push({
            merged: humanMerged,
            times: row.pull_request_review_times,
          });
        }
      }
    }
    expect(untimed).toEqual([]);
    for (const { merged, times } of timed) {
      expect(times).toEqual([
        expect.objectContaining({ total_merged: merged }),
      ]);
    }
    expect(timed.length).toBeGreaterThan(100);
  });

  it("serves the enterprise every org's repositories, without organization_id", async () => {
    const day = '2026-11-17';
    const report = await rows(
      `/enterprises/acme-corp/copilot/metrics/reports/repos-1-day?day=${day}`,
    );
    const owners = new Set(report.map(r => r.repo_owner_name));
    expect([...owners].sort()).toEqual(['acme', 'acme-cloud', 'acme-labs']);
    // Repository ids are unique over the enterprise.
    expect(new Set(report.map(r => r.repo_id)).size).toBe(report.length);
    expect(report.every(r => r.organization_id === undefined)).toBe(true);
    const orgRows = await rows(
      `/orgs/acme/copilot/metrics/reports/repos-1-day?day=${day}`,
    );
    expect(report.filter(r => r.repo_owner_name === 'acme')).toEqual(
      orgRows.map(({ organization_id: _, ...rest }) => rest),
    );
  });

  it('answers 204 before the report existed and for a noData fault, 422 without a day, 404 for an unknown org', async () => {
    expect(
      (
        await api(
          '/orgs/acme/copilot/metrics/reports/repos-1-day?day=2026-07-16',
        )
      ).status,
    ).toBe(204);
    sim.inject({ kind: 'noData', day: '2026-11-18', report: 'repos-1-day' });
    expect(
      (
        await api(
          '/orgs/acme/copilot/metrics/reports/repos-1-day?day=2026-11-18',
        )
      ).status,
    ).toBe(204);
    expect(
      (await api('/orgs/acme/copilot/metrics/reports/repos-1-day')).status,
    ).toBe(422);
    expect(
      (
        await api(
          '/orgs/nope/copilot/metrics/reports/repos-1-day?day=2026-11-18',
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await fetch(
          `${sim.url}/orgs/acme/copilot/metrics/reports/repos-1-day?day=2026-11-18`,
        )
      ).status,
    ).toBe(401);
  });

  it('refuses a tampered download link and serves an injected malformed line', async () => {
    const res = await api(
      '/orgs/acme/copilot/metrics/reports/repos-1-day?day=2026-11-16',
    );
    const { download_links: links } = (await res.json()) as {
      download_links: string[];
    };
    expect(
      (await fetch(links[0].replace(/sig=[^&]*/, 'sig=tampered'))).status,
    ).toBe(403);
    sim.inject({ kind: 'malformed', report: 'repos-1-day', day: '2026-11-16' });
    const text = await (await fetch(links[0])).text();
    expect(() => parseNdjson(text)).toThrow();
  });

  it('answers 404 on a GitHub without the report', async () => {
    const old = await startGithubSimulator({
      today: TODAY,
      reposReport: false,
    });
    try {
      const res = await fetch(
        `${old.url}/orgs/acme/copilot/metrics/reports/repos-1-day?day=2026-11-18`,
      );
      expect(res.status).toBe(404);
    } finally {
      await old.close();
    }
  });
});
