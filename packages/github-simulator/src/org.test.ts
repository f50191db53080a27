import { addDays } from './days';
import { createSyntheticOrg } from './org';
import { ActivityCounters } from './types';

const TODAY = '2026-11-21';
const COUNTERS: Array<keyof ActivityCounters> = [
  'user_initiated_interaction_count',
  'code_generation_activity_count',
  'code_acceptance_activity_count',
  'loc_suggested_to_add_sum',
  'loc_suggested_to_delete_sum',
  'loc_added_sum',
  'loc_deleted_sum',
];

describe('createSyntheticOrg', () => {
  const org = createSyntheticOrg({ today: TODAY });

  it('places the data window before today minus two days', () => {
    expect(org.lastDay).toBe('2026-11-19');
    expect(org.firstDay).toBe(addDays('2026-11-19', -365));
    expect(org.days()).toHaveLength(366);
    expect(org.usersReport(addDays(org.firstDay, -1))).toEqual([]);
    expect(org.usersReport('2026-11-20')).toEqual([]);
    expect(org.aggregateReport('2026-11-20')).toBeUndefined();
  });

  it('is deterministic for a seed and differs across days and seeds', () => {
    const again = createSyntheticOrg({ today: TODAY });
    expect(again.users).toEqual(org.users);
    expect(again.teams).toEqual(org.teams);
    expect(again.usersReport(org.lastDay)).toEqual(
      org.usersReport(org.lastDay),
    );
    expect(again.seats()).toEqual(org.seats());

    const dayBefore = addDays(org.lastDay, -1);
    expect(org.usersReport(dayBefore)).not.toEqual(
      org.usersReport(org.lastDay),
    );
    const otherSeed = createSyntheticOrg({ today: TODAY, seed: 7 });
    expect(otherSeed.users.map(u => u.login)).not.toEqual(
      org.users.map(u => u.login),
    );
  });

  it('has unique users and teams, and a child team', () => {
    expect(org.users).toHaveLength(60);
    expect(new Set(org.users.map(u => u.id)).size).toBe(60);
    expect(new Set(org.users.map(u => u.login)).size).toBe(60);
    expect(org.teams).toHaveLength(10);
    const child = org.teams.find(t => t.parentSlug);
    expect(child).toBeDefined();
    expect(org.teams.map(t => t.slug)).toContain(child!.parentSlug);
  });

  it('makes 60-75% of users active on weekdays and fewer on weekends', () => {
    const weekday = (day: string) => {
      const d = new Date(`${day}T00:00:00Z`).getUTCDay();
      return d !== 0 && d !== 6;
    };
    const days = org.days();
    const share = (list: string[]) =>
      list.reduce((sum, d) => sum + org.usersReport(d).length, 0) /
      list.length /
      org.users.length;
    const weekdayShare = share(days.filter(weekday));
    const weekendShare = share(days.filter(d => !weekday(d)));
    expect(weekdayShare).toBeGreaterThan(0.6);
    expect(weekdayShare).toBeLessThan(0.75);
    expect(weekendShare).toBeLessThan(weekdayShare / 3);
  });

  it('writes realistic per-user rows whose counters equal the sums over features', () => {
    const rows = org.usersReport(org.lastDay);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.day).toBe(org.lastDay);
      expect(row.organization_id).toBe(org.organizationId);
      expect(row.enterprise_id).toBe(org.enterpriseId);
      expect(row.totals_by_feature.length).toBeGreaterThan(0);
      for (const counter of COUNTERS) {
        const sum = row.totals_by_feature.reduce((s, f) => s + f[counter], 0);
        expect(row[counter]).toBe(sum);
      }
      expect(row.used_cli).toBe(
        row.totals_by_feature.some(f => f.feature === 'copilot_cli'),
      );
      expect(row.used_cli).toBe(row.totals_by_cli !== undefined);
      for (const ide of row.totals_by_ide) {
        expect(ide.last_known_ide_version?.ide_version).toMatch(/\d/);
        expect(ide.last_known_plugin_version?.plugin_version).toMatch(/\d/);
      }
    }
    const enterpriseRow = org.usersReport(org.lastDay, {
      scope: 'enterprise',
    })[0];
    expect(enterpriseRow).not.toHaveProperty('organization_id');
  });

  it('computes DAU/WAU/MAU as distinct users over trailing 1/7/28 days', () => {
    const activeOn = (day: string) => org.usersReport(day).map(r => r.user_id);
    const distinct = (end: string, days: number) => {
      const ids = new Set<number>();
      for (let i = 0; i < days; i++)
        activeOn(addDays(end, -i)).forEach(id => ids.add(id));
      return ids.size;
    };
    // Include a day near the start of history, where the windows are clipped.
    for (const day of [
      org.lastDay,
      addDays(org.lastDay, -9),
      addDays(org.firstDay, 3),
    ]) {
      const aggregate = org.aggregateReport(day)!;
      expect(aggregate.daily_active_users).toBe(activeOn(day).length);
      expect(aggregate.weekly_active_users).toBe(distinct(day, 7));
      expect(aggregate.monthly_active_users).toBe(distinct(day, 28));
      expect(aggregate.weekly_active_users).toBeGreaterThan(
        aggregate.daily_active_users,
      );
    }
  });

  it('sums aggregate counters and breakdowns from the user rows', () => {
    const rows = org.usersReport(org.lastDay);
    const aggregate = org.aggregateReport(org.lastDay)!;
    for (const counter of COUNTERS) {
      expect(aggregate[counter]).toBe(rows.reduce((s, r) => s + r[counter], 0));
    }
    const completions = aggregate.totals_by_feature.find(
      f => f.feature === 'code_completion',
    )!;
    const expected = rows
      .flatMap(r => r.totals_by_feature)
      .filter(f => f.feature === 'code_completion')
      .reduce((s, f) => s + f.code_generation_activity_count, 0);
    expect(completions.code_generation_activity_count).toBe(expected);
    expect(aggregate.daily_active_cli_users).toBe(
      rows.filter(r => r.used_cli).length,
    );
    expect(aggregate.pull_requests.total_created).toBeGreaterThanOrEqual(0);
    expect(
      aggregate.totals_by_ai_adoption_phase.reduce(
        (s, p) => s + p.total_engaged_users,
        0,
      ),
    ).toBe(rows.length);
  });

  it('builds a 28-day report that wraps the daily aggregates', () => {
    const report = org.aggregate28DayReport();
    expect(report.report_end_day).toBe(org.lastDay);
    expect(report.report_start_day).toBe(addDays(org.lastDay, -27));
    expect(report.day_totals).toHaveLength(28);
    expect(report.day_totals[27]).toEqual(org.aggregateReport(org.lastDay));
  });

  it('changes team membership over time and leaves small teams out of user-teams', () => {
    const signature = (day: string) =>
      org
        .membersOn(day)
        .map(m => `${m.userId}:${m.teamSlug}`)
        .sort()
        .join(',');
    const days = org.days();
    const distinctMemberships = new Set(days.map(signature));
    expect(distinctMemberships.size).toBeGreaterThan(5);

    for (const day of [org.firstDay, org.lastDay]) {
      const members = org.membersOn(day);
      const sizes = new Map<string, number>();
      members.forEach(m =>
        sizes.set(m.teamSlug, (sizes.get(m.teamSlug) ?? 0) + 1),
      );
      const small = [...sizes]
        .filter(([, size]) => size < 5)
        .map(([slug]) => slug);
      expect(small.length).toBeGreaterThanOrEqual(2);
      const report = org.userTeamsReport(day);
      expect(report.some(r => small.includes(r.slug))).toBe(false);
      expect(report).toHaveLength(
        members.filter(m => !small.includes(m.teamSlug)).length,
      );
      // Every normal team stays reportable every day.
      for (const team of org.teams.slice(0, 8)) {
        expect(sizes.get(team.slug)).toBeGreaterThanOrEqual(5);
      }
    }
    const multiTeam = new Set(
      org
        .membersOn(org.lastDay)
        .map(m => m.userId)
        .filter((id, i, all) => all.indexOf(id) !== i),
    );
    expect(multiTeam.size).toBeGreaterThan(5);
  });

  it('revises a day deterministically without touching other days', () => {
    const local = createSyntheticOrg({ today: TODAY });
    const day = addDays(local.lastDay, -1);
    const before = local.usersReport(day);
    const otherDay = local.usersReport(local.lastDay);
    local.revise(day);
    expect(local.revisionOf(day)).toBe(1);
    const after = local.usersReport(day);
    expect(after.map(r => r.user_id)).toEqual(before.map(r => r.user_id));
    expect(after).not.toEqual(before);
    expect(local.aggregateReport(day)!.code_generation_activity_count).toBe(
      after.reduce((s, r) => s + r.code_generation_activity_count, 0),
    );
    expect(local.usersReport(local.lastDay)).toEqual(otherDay);

    const replay = createSyntheticOrg({ today: TODAY });
    replay.revise(day);
    expect(replay.usersReport(day)).toEqual(after);
  });

  it('gives every user a seat, with never-used, inactive and cancelled ones', () => {
    const seats = org.seats();
    expect(seats).toHaveLength(60);
    const lastDayMs = Date.parse(`${org.lastDay}T23:59:59Z`);
    const neverUsed = seats.filter(s => s.last_activity_at === null);
    const inactive = seats.filter(
      s =>
        s.last_activity_at !== null &&
        lastDayMs - Date.parse(s.last_activity_at) > 30 * 86_400_000,
    );
    expect(neverUsed.length).toBeGreaterThan(0);
    expect(inactive.length).toBeGreaterThan(0);
    expect(seats.some(s => s.pending_cancellation_date !== null)).toBe(true);
    for (const seat of neverUsed) {
      const user = seat.assignee.id;
      expect(
        org.days().some(d => org.usersReport(d).some(r => r.user_id === user)),
      ).toBe(false);
    }
  });

  it('describes the org as Backstage catalog entities', () => {
    const entities = org.catalogEntities({ namespace: 'acme' });
    const users = entities.filter(e => e.kind === 'User');
    const groups = entities.filter(e => e.kind === 'Group');
    expect(users).toHaveLength(61);
    expect(groups).toHaveLength(11);
    const current = org.membersOn(org.lastDay);
    const platform = groups.find(g => g.metadata.name === 'platform')!;
    expect(platform.metadata.annotations).toEqual({
      'github.com/team-slug': 'acme/platform',
    });
    expect(platform.spec.children).toEqual(['platform-sre']);
    expect(platform.spec.members).toEqual(
      current.filter(m => m.teamSlug === 'platform').map(m => m.userLogin),
    );
    expect(
      groups.find(g => g.metadata.name === 'platform-sre')!.spec.parent,
    ).toBe('platform');
    const someone = org.users[0];
    const entity = users.find(u => u.metadata.name === someone.login)!;
    expect(entity.metadata.namespace).toBe('acme');
    expect(entity.metadata.annotations!['github.com/user-login']).toBe(
      someone.login,
    );
    expect(entity.spec.memberOf).toEqual(
      current.filter(m => m.userId === someone.id).map(m => m.teamSlug),
    );
    const admins = groups.find(g => g.metadata.name === 'platform-admins')!;
    expect(admins.metadata.annotations).toBeUndefined();
    expect(admins.spec.members).toEqual(['admin']);
    expect(org.users.some(u => u.login === 'admin')).toBe(false);
  });

  it('generates a 10,000-user day of several MB quickly', () => {
    const big = createSyntheticOrg({ today: TODAY, users: 10_000, teams: 200 });
    const started = Date.now();
    let bytes = 0;
    let rows = 0;
    for (const row of big.iterateUsersReport(big.lastDay)) {
      bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
      rows++;
    }
    const elapsed = Date.now() - started;
    // eslint-disable-next-line no-console
    console.log(
      `users-1-day for 10,000 users: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB, ` +
        `${Math.round(bytes / rows)} bytes/row, ${elapsed} ms`,
    );
    expect(rows).toBeGreaterThan(6_000);
    expect(bytes).toBeGreaterThan(5e6);
    expect(elapsed).toBeLessThan(2_000);
  });
});

describe('users in no team', () => {
  it('keeps them out of every membership row and Group, with usage still reported', () => {
    const org = createSyntheticOrg({ unteamedUsers: 2 });
    const teamed = new Set(org.membersOn(org.lastDay).map(m => m.userId));
    const unteamed = org.users.filter(u => !teamed.has(u.id));
    expect(unteamed).toHaveLength(2);
    for (const day of org.days()) {
      const ids = new Set(org.membersOn(day).map(m => m.userId));
      for (const u of unteamed) expect(ids.has(u.id)).toBe(false);
    }
    const active = new Set(
      org.days().flatMap(day => org.usersReport(day).map(r => r.user_id)),
    );
    expect(unteamed.some(u => active.has(u.id))).toBe(true);
  });
});
