import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DatabaseCopilotUsageStore } from '../DatabaseCopilotUsageStore';
import { DayFixture, seedDays } from '../../service/testFixtures';
import { addDays } from '../../lib/days';
import { DepartmentTeamInput } from './departments';

jest.setTimeout(60_000);

const SCOPE = 'org:acme';
const FIRST = '2026-10-01';
const DAY_COUNT = 45;

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/**
 * Teams a, b, c with people in two teams (3 and 4 in a and b, 9 in b and c), a
 * membership that changes (person 12 joins c on day 20), days without any data
 * (every 11th) and activity that comes and goes, so the rolling windows have gaps.
 */
function fixtures(): DayFixture[] {
  const next = random(42);
  const days: DayFixture[] = [];
  for (let i = 0; i < DAY_COUNT; i++) {
    if (i % 11 === 5) continue;
    const teams: Record<string, number[]> = {
      a: [1, 2, 3, 4, 5],
      b: [3, 4, 6, 7, 8, 9],
      c: i >= 20 ? [9, 10, 11, 12] : [9, 10, 11],
      other: [20, 21, 22, 23, 24],
    };
    const users: DayFixture['users'] = {};
    for (let id = 1; id <= 24; id++) {
      if (next() < 0.45) {
        users[id] = {
          interactions: Math.floor(next() * 10),
          codeGenerations: Math.floor(next() * 7),
          locAdded: Math.floor(next() * 30),
          usedChat: next() < 0.5,
          usedAgent: next() < 0.3,
          usedCli: next() < 0.2,
          usedCloudAgent: next() < 0.25,
          usedCopilotApp: next() < 0.2,
          aiCreditsUsed: Math.round(next() * 500) / 100,
        };
      }
    }
    days.push({ day: addDays(FIRST, i), users, teams });
  }
  return days;
}

/** The same figures recomputed from the inserted rows, the plain way. */
function recompute(
  days: DayFixture[],
  teamSlugs: string[],
  from: string,
  to: string,
  minMembers: number,
) {
  const membersOf = (fixture: DayFixture) =>
    new Set(teamSlugs.flatMap(slug => fixture.teams[slug] ?? []));
  const activeOn = new Map<string, Set<number>>();
  for (const fixture of days) {
    const members = membersOf(fixture);
    activeOn.set(
      fixture.day,
      new Set(
        Object.keys(fixture.users)
          .map(Number)
          .filter(id => members.has(id)),
      ),
    );
  }
  const windowed = (day: string, size: number) => {
    const people = new Set<number>();
    for (let back = 0; back < size; back++) {
      activeOn.get(addDays(day, -back))?.forEach(id => people.add(id));
    }
    return people.size;
  };
  const inRange = days.filter(f => f.day >= from && f.day <= to);
  const rows = inRange.map(fixture => {
    const members = membersOf(fixture);
    const active = [...activeOn.get(fixture.day)!];
    const sum = (key: 'interactions' | 'codeGenerations' | 'locAdded') =>
      active.reduce((n, id) => n + (fixture.users[id][key] ?? 0), 0);
    const flagged = (
      key:
        | 'usedChat'
        | 'usedAgent'
        | 'usedCli'
        | 'usedCloudAgent'
        | 'usedCopilotApp',
    ) => active.filter(id => fixture.users[id][key]).length;
    // Each team holds 1/n of the credits of a person in n teams that day.
    const teamsOf = (id: number) =>
      Object.values(fixture.teams).filter(ids => ids.includes(id)).length;
    const inSet = (id: number) =>
      teamSlugs.filter(slug => (fixture.teams[slug] ?? []).includes(id)).length;
    const aiCredits = active.reduce(
      (n, id) =>
        n + (fixture.users[id].aiCreditsUsed! * inSet(id)) / teamsOf(id),
      0,
    );
    return {
      day: fixture.day,
      memberCount: members.size,
      activeUsers: active.length,
      weeklyActiveUsers: windowed(fixture.day, 7),
      monthlyActiveUsers: windowed(fixture.day, 28),
      chatUsers: flagged('usedChat'),
      agentUsers: flagged('usedAgent'),
      cliUsers: flagged('usedCli'),
      cloudAgentUsers: flagged('usedCloudAgent'),
      copilotAppUsers: flagged('usedCopilotApp'),
      aiCredits: Math.round(aiCredits * 1e4) / 1e4,
      interactions: sum('interactions'),
      codeGenerations: sum('codeGenerations'),
      locAdded: sum('locAdded'),
    };
  });
  const eligible = inRange.filter(f => membersOf(f).size >= minMembers);
  const everyone = new Set<number>();
  const everyActive = new Set<number>();
  for (const fixture of eligible) {
    membersOf(fixture).forEach(id => everyone.add(id));
    activeOn.get(fixture.day)!.forEach(id => everyActive.add(id));
  }
  return {
    rows,
    totals: eligible.length
      ? { members: everyone.size, activeUsers: everyActive.size }
      : undefined,
  };
}

describe('departmentQueries', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    it('counts each person once over overlapping teams, as a recomputation from the raw rows does', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseCopilotUsageStore.create({
        database: mockServices.database({ knex }),
      });
      const days = fixtures();
      await seedDays(store, SCOPE, days);

      const sets = [['a', 'b', 'c'], ['a', 'b'], ['c']];
      const teams: DepartmentTeamInput[] = sets.flatMap((slugs, bucket) =>
        slugs.map(teamSlug => ({ bucket, scope: SCOPE, teamSlug })),
      );
      const from = addDays(FIRST, 14);
      const to = addDays(FIRST, DAY_COUNT - 3);
      const minMembers = 4;
      const figures = await store.getDepartmentFigures({
        teams,
        from,
        to,
        minMembers,
      });

      sets.forEach((slugs, bucket) => {
        const expected = recompute(days, slugs, from, to, minMembers);
        const actual = figures.days
          .filter(day => day.bucket === bucket)
          .map(day => ({
            day: day.day,
            memberCount: day.memberCount,
            activeUsers: day.activeUsers,
            weeklyActiveUsers: day.weeklyActiveUsers,
            monthlyActiveUsers: day.monthlyActiveUsers,
            chatUsers: day.chatUsers,
            agentUsers: day.agentUsers,
            cliUsers: day.cliUsers,
            cloudAgentUsers: day.cloudAgentUsers,
            copilotAppUsers: day.copilotAppUsers,
            aiCredits: Math.round((day.aiCredits ?? 0) * 1e4) / 1e4,
            interactions: day.interactions,
            codeGenerations: day.codeGenerations,
            locAdded: day.locAdded,
          }));
        expect(actual).toEqual(expected.rows);
        expect(figures.totals.find(total => total.bucket === bucket)).toEqual(
          expected.totals && { bucket, ...expected.totals },
        );
      });
      // The overlap is real: the department is fewer people than its teams summed.
      const lastDay = figures.days.filter(day => day.bucket === 0).pop()!;
      expect(lastDay.memberCount).toBe(12);
      // Bucket 2 (team c) has 3 members before day 20: those days leave its totals.
      const early = recompute(days, ['c'], from, addDays(FIRST, 19), 4);
      expect(early.totals).toBeUndefined();
    });

    it('counts a person in teams of two orgs once, and their activity in each org', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseCopilotUsageStore.create({
        database: mockServices.database({ knex }),
      });
      const day = FIRST;
      await seedDays(store, SCOPE, [
        {
          day,
          teams: { a: [1, 2, 3] },
          users: {
            1: { interactions: 5 },
            3: { interactions: 7, usedChat: true },
          },
        },
      ]);
      await seedDays(store, 'org:beta', [
        {
          day,
          teams: { x: [3, 4] },
          users: {
            3: { interactions: 11, usedChat: true },
            4: { interactions: 2 },
          },
        },
      ]);
      const figures = await store.getDepartmentFigures({
        teams: [
          { bucket: 0, scope: SCOPE, teamSlug: 'a' },
          { bucket: 0, scope: 'org:beta', teamSlug: 'x' },
        ],
        from: day,
        to: day,
        minMembers: 1,
      });
      expect(figures.days).toHaveLength(1);
      expect(figures.days[0]).toMatchObject({
        memberCount: 4,
        activeUsers: 3,
        weeklyActiveUsers: 3,
        chatUsers: 1,
        interactions: 5 + 7 + 11 + 2,
      });
      expect(figures.totals).toEqual([
        { bucket: 0, members: 4, activeUsers: 3 },
      ]);
    });

    it('answers nothing for no teams and for teams without rows', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseCopilotUsageStore.create({
        database: mockServices.database({ knex }),
      });
      await seedDays(store, SCOPE, fixtures().slice(0, 3));
      const range = { from: FIRST, to: addDays(FIRST, 5), minMembers: 1 };
      expect(await store.getDepartmentFigures({ teams: [], ...range })).toEqual(
        { days: [], totals: [] },
      );
      expect(
        await store.getDepartmentFigures({
          teams: [{ bucket: 0, scope: SCOPE, teamSlug: 'nobody' }],
          ...range,
        }),
      ).toEqual({ days: [], totals: [] });
    });
  });
});
