import { createHash } from 'node:crypto';
import { addDays } from './days';
import { createSyntheticEnterprise } from './enterprise';
import { createSyntheticOrg } from './org';
import { GithubSimulator, startGithubSimulator } from './server';
import { SyntheticOrg, SyntheticOrgOptions, UserDayRecord } from './types';

const TODAY = '2026-11-21';

/** Everything an org serves, hashed: its reports for every day, seats, teams, catalog. */
function digest(org: SyntheticOrg): string {
  const hash = createHash('sha256');
  for (const day of org.days()) {
    hash.update(JSON.stringify(org.usersReport(day)));
    hash.update(JSON.stringify(org.userTeamsReport(day)));
    hash.update(JSON.stringify(org.aggregateReport(day)));
  }
  hash.update(JSON.stringify(org.aggregate28DayReport()));
  hash.update(JSON.stringify(org.seats()));
  hash.update(JSON.stringify(org.githubTeams()));
  hash.update(JSON.stringify(org.catalogEntities()));
  return hash.digest('hex');
}

/** A row without the fields that name the org it was reported in. */
function activityOf(row: UserDayRecord) {
  const {
    organization_id: _org,
    entity_id_partition: _partition,
    ...activity
  } = row;
  return activity;
}

describe('the enterprise of three orgs', () => {
  const enterprise = createSyntheticEnterprise({ today: TODAY });
  const [acme, labs, cloud] = enterprise.orgs;
  const last28 = enterprise.days().slice(-28);
  const shared = enterprise.users.filter(
    u => enterprise.orgsOf(u.id).length > 1,
  );

  it('keeps acme exactly as the single-org simulator built it', () => {
    // Digests of the generator before the enterprise had other orgs (same
    // options); a change to acme's users, teams or figures changes them.
    // Regenerated when the simulator began serving the Copilot app, third-party
    // agents and several VS Code versions (issue 13).
    const before: Array<[SyntheticOrgOptions, string]> = [
      [
        { today: TODAY },
        '78dc403ad617f2047802a64650f66d283a3986136ff8a62472bd12556a00047c',
      ],
      [
        { users: 40, teams: 4, today: TODAY, historyDays: 40 },
        '471f25713b7e58e016dfe0081707689bfd001c9834eea46e8e4f032ea7a862cb',
      ],
    ];
    for (const [options, expected] of before) {
      expect(digest(createSyntheticOrg(options))).toBe(expected);
      expect(digest(createSyntheticEnterprise(options).orgs[0])).toBe(expected);
    }
  });

  it('has acme, acme-labs and acme-cloud, the new ones small with their own teams', () => {
    expect(enterprise.orgs.map(o => o.org)).toEqual([
      'acme',
      'acme-labs',
      'acme-cloud',
    ]);
    for (const org of [labs, cloud]) {
      expect(org.users.length).toBeGreaterThanOrEqual(12);
      expect(org.users.length).toBeLessThanOrEqual(20);
      expect(org.userTeamsReport(org.lastDay).length).toBeGreaterThan(0);
      expect(org.seats()).toHaveLength(org.users.length);
      expect(org.organizationId).not.toBe(acme.organizationId);
      expect(org.enterpriseId).toBe(enterprise.enterpriseId);
      // Org teams are the org's own: no acme team, no enterprise team.
      for (const team of org.teams) {
        expect(acme.teams.map(t => t.id)).not.toContain(team.id);
        expect(team.slug.startsWith('ent:')).toBe(false);
      }
    }
    expect(createSyntheticEnterprise({ today: TODAY }).users).toEqual(
      enterprise.users,
    );
  });

  it('has users in two orgs, with the same activity in each', () => {
    const pairs = new Set(shared.map(u => enterprise.orgsOf(u.id).join('+')));
    expect(pairs).toEqual(
      new Set(['acme+acme-labs', 'acme+acme-cloud', 'acme-labs+acme-cloud']),
    );
    let compared = 0;
    for (const day of last28) {
      const rowsByOrg = new Map(
        enterprise.orgs.map(org => [
          org.org,
          new Map(org.usersReport(day).map(r => [r.user_id, r])),
        ]),
      );
      for (const user of shared) {
        const rows = enterprise
          .orgsOf(user.id)
          .map(org => rowsByOrg.get(org)!.get(user.id))
          .filter((row): row is UserDayRecord => row !== undefined);
        // Active in both orgs' reports or in neither.
        expect([0, 2]).toContain(rows.length);
        for (const row of rows.slice(1)) {
          expect(row.organization_id).not.toBe(rows[0].organization_id);
          expect(activityOf(row)).toEqual(activityOf(rows[0]));
          expect(row.user_login).toBe(user.login);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(28);
  });

  it("reports each user once in the enterprise, with the aggregate's distinct users", () => {
    const overlapDays: Array<{ enterprise: number; orgSum: number }> = [];
    for (const day of last28) {
      const orgRows = enterprise.orgs.flatMap(org => org.usersReport(day));
      const rows = enterprise.usersReport(day);
      const ids = rows.map(r => r.user_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(orgRows.map(r => r.user_id)));
      for (const row of rows) {
        expect(row).not.toHaveProperty('organization_id');
        expect(row.enterprise_id).toBe(enterprise.enterpriseId);
        const inOrg = orgRows.find(r => r.user_id === row.user_id)!;
        expect(activityOf(row)).toEqual(activityOf(inOrg));
      }
      const aggregate = enterprise.aggregateReport(day)!;
      expect(aggregate.daily_active_users).toBe(rows.length);
      expect(aggregate.code_generation_activity_count).toBe(
        rows.reduce((n, r) => n + r.code_generation_activity_count, 0),
      );
      const orgSum = enterprise.orgs.reduce(
        (n, org) => n + org.aggregateReport(day)!.daily_active_users,
        0,
      );
      if (orgRows.length > rows.length) {
        overlapDays.push({ enterprise: aggregate.daily_active_users, orgSum });
      }
    }
    expect(overlapDays.length).toBeGreaterThan(20);
    for (const day of overlapDays) {
      expect(day.enterprise).toBeLessThan(day.orgSum);
    }

    // Monthly active users: distinct over 28 days across every org.
    const monthly = new Set(
      last28.flatMap(day => enterprise.usersReport(day).map(r => r.user_id)),
    );
    expect(
      enterprise.aggregateReport(enterprise.lastDay)!.monthly_active_users,
    ).toBe(monthly.size);
  });

  it('lists enterprise teams, not org teams, in the enterprise user-teams report', () => {
    const champions = enterprise.teams.find(t => t.slug === 'ent:ai-champions');
    const council = enterprise.teams.find(t => t.slug === 'ent:design-council');
    expect(champions).toBeDefined();
    expect(council).toBeDefined();
    const membersOf = (day: string) =>
      enterprise
        .userTeamsReport(day)
        .filter(r => r.slug === 'ent:ai-champions')
        .map(r => r.user_id);
    const memberships = new Set<string>();
    for (const day of enterprise.days()) {
      const rows = enterprise.userTeamsReport(day);
      expect(new Set(rows.map(r => r.slug))).toEqual(
        new Set(['ent:ai-champions']),
      );
      for (const row of rows) {
        expect(row).toMatchObject({
          day,
          enterprise_id: enterprise.enterpriseId,
          team_id: champions!.id,
        });
        expect(row).not.toHaveProperty('organization_id');
      }
      const members = membersOf(day);
      expect(members.length).toBeGreaterThanOrEqual(5);
      memberships.add([...members].sort().join());
      // The small team has members, below GitHub's threshold of 5.
      const councilSize = enterprise
        .membersOn(day)
        .filter(m => m.teamSlug === 'ent:design-council').length;
      expect(councilSize).toBeGreaterThan(0);
      expect(councilSize).toBeLessThan(5);
    }
    // A member left and another joined within the last ten days.
    expect(memberships.size).toBe(3);
    expect(new Set(membersOf(enterprise.lastDay))).not.toEqual(
      new Set(membersOf(addDays(enterprise.lastDay, -10))),
    );
    const orgs = new Set(
      membersOf(enterprise.lastDay).flatMap(id => enterprise.orgsOf(id)),
    );
    expect(orgs).toEqual(new Set(['acme', 'acme-labs']));
  });
});

describe('the simulator serving the enterprise', () => {
  let sim: GithubSimulator;
  const api = async (path: string) => fetch(`${sim.url}${path}`);
  const download = async (path: string) => {
    const res = await api(path);
    expect(res.status).toBe(200);
    const { download_links } = await res.json();
    const text = await (await fetch(download_links[0])).text();
    return text
      .split('\n')
      .filter(line => line !== '')
      .map(line => JSON.parse(line));
  };

  beforeAll(async () => {
    sim = await startGithubSimulator({ today: TODAY });
  });
  afterAll(() => sim.close());

  it("serves each org's reports, seats and teams, and the enterprise's own reports", async () => {
    const day = sim.org.lastDay;
    const labs = sim.enterprise.org('acme-labs')!;
    expect(
      await download(
        `/orgs/acme-labs/copilot/metrics/reports/users-1-day?day=${day}`,
      ),
    ).toEqual(JSON.parse(JSON.stringify(labs.usersReport(day))));
    expect(
      await download(
        `/enterprises/acme-corp/copilot/metrics/reports/users-1-day?day=${day}`,
      ),
    ).toEqual(JSON.parse(JSON.stringify(sim.enterprise.usersReport(day))));
    const seats = await (
      await api('/orgs/acme-cloud/copilot/billing/seats?per_page=100')
    ).json();
    expect(seats.total_seats).toBe(
      sim.enterprise.org('acme-cloud')!.users.length,
    );
    const teams = await (await api('/orgs/acme-labs/teams')).json();
    expect(teams.map((t: { slug: string }) => t.slug)).toEqual(
      labs.teams.map(t => t.slug),
    );
    const members = await (
      await api(`/orgs/acme-labs/teams/${labs.teams[0].slug}/members`)
    ).json();
    expect(members.length).toBeGreaterThan(0);
    expect((await api('/orgs/acme-other/teams')).status).toBe(404);
  });

  it('lists one enterprise seat per granting org, page by page; total_seats counts people once', async () => {
    const pages: Array<{ total_seats: number; seats: any[] }> = [];
    let next: string | undefined =
      `${sim.url}/enterprises/acme-corp/copilot/billing/seats?per_page=40`;
    while (next) {
      const res: Response = await fetch(next);
      expect(res.status).toBe(200);
      pages.push(await res.json());
      next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(pages.length).toBeGreaterThan(1);
    const seats = pages.flatMap(p => p.seats);
    const orgSeats = sim.enterprise.orgs.reduce(
      (sum, o) => sum + o.seats().length,
      0,
    );
    expect(seats).toHaveLength(orgSeats);
    const people = new Set(seats.map(s => s.assignee.login));
    expect(people.size).toBe(sim.enterprise.users.length);
    expect(people.size).toBeLessThan(seats.length);
    for (const page of pages) expect(page.total_seats).toBe(people.size);
    // A person in two orgs has one seat object per org, each naming its org.
    const shared = sim.enterprise.users.find(
      u => sim.enterprise.orgsOf(u.id).length === 2,
    )!;
    expect(
      seats
        .filter(s => s.assignee.id === shared.id)
        .map(s => s.organization.login)
        .sort(),
    ).toEqual([...sim.enterprise.orgsOf(shared.id)].sort());
    expect(
      (await api('/enterprises/other-corp/copilot/billing/seats')).status,
    ).toBe(404);
  });

  it('revises a day everywhere at once', async () => {
    const day = sim.org.lastDay;
    const before = sim.enterprise.usersReport(day);
    const labsBefore = sim.enterprise.org('acme-labs')!.usersReport(day);
    sim.revise(day);
    expect(sim.enterprise.revisionOf(day)).toBe(1);
    expect(sim.org.revisionOf(day)).toBe(1);
    expect(sim.enterprise.usersReport(day)).not.toEqual(before);
    expect(sim.enterprise.org('acme-labs')!.usersReport(day)).not.toEqual(
      labsBefore,
    );
  });
});
