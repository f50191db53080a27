import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { daysBetween } from '../../lib/days';
import { ScopeKey } from '../../lib/scope';
import { DatabaseCopilotUsageStore } from '../DatabaseCopilotUsageStore';
import {
  membershipRow,
  plainUserDayRow,
  seededRandom,
} from '../../service/testFixtures';

jest.setTimeout(120_000);

const SCOPE: ScopeKey = 'org:acme';
const TEAMS = ['alpha', 'beta', 'gamma'];
const USERS = 24;
// Crosses a year end, and holds a leap day and the last day of a leap year (bit 365).
const DAYS = [
  '2024-02-28',
  '2024-02-29',
  '2024-03-01',
  ...daysBetween('2024-12-20', '2025-01-12'),
  '2025-03-03',
];

interface Day {
  active: number[];
  members: { userId: number; team: string }[];
}

/** Users in up to two teams, membership changing over the days. */
function generate(seed: number): Map<string, Day> {
  const random = seededRandom(seed);
  const days = new Map<string, Day>();
  for (const day of DAYS) {
    const members: Day['members'] = [];
    for (let userId = 1; userId <= USERS; userId++) {
      for (const team of TEAMS) {
        if (random() < 0.45) members.push({ userId, team });
      }
    }
    const active = [];
    for (let userId = 1; userId <= USERS + 4; userId++) {
      if (random() < 0.6) active.push(userId);
    }
    days.set(day, { active, members });
  }
  return days;
}

const userRow = (day: string, userId: number) =>
  plainUserDayRow(SCOPE, day, userId);

const memberRow = (day: string, userId: number, team: string) =>
  membershipRow(SCOPE, day, userId, {
    slug: team,
    id: TEAMS.indexOf(team) + 1,
  });

async function store(
  target: DatabaseCopilotUsageStore,
  days: Map<string, Day>,
  only?: string[],
) {
  for (const [day, { active, members }] of days) {
    if (only && !only.includes(day)) continue;
    await target.writeDay(SCOPE, day, async writer => {
      await writer.clearUserTeams();
      await writer.insertUserTeams(
        members.map(m => memberRow(day, m.userId, m.team)),
      );
      await writer.clearUserDays();
      await writer.insertUserDays(active.map(id => userRow(day, id)));
    });
  }
}

/** The plain recomputation from the raw rows the test wrote. */
const expected = {
  teamActive(days: Map<string, Day>, team: string, on: string[]) {
    const ids = new Set<number>();
    for (const day of on) {
      const d = days.get(day);
      if (!d) continue;
      d.members
        .filter(m => m.team === team && d.active.includes(m.userId))
        .forEach(m => ids.add(m.userId));
    }
    return ids.size;
  },
  teamMembers(days: Map<string, Day>, team: string, on: string[]) {
    const ids = new Set<number>();
    for (const day of on) {
      days
        .get(day)
        ?.members.filter(m => m.team === team)
        .forEach(m => ids.add(m.userId));
    }
    return ids.size;
  },
  active(days: Map<string, Day>, on: string[]) {
    return new Set(on.flatMap(day => days.get(day)?.active ?? [])).size;
  },
};

/** Ranges within a year, across the year end, of one day, and with no data at all. */
function ranges(random: () => number) {
  const fixed = [
    ['2024-02-29', '2024-02-29'],
    ['2024-12-31', '2025-01-01'],
    ['2024-01-01', '2025-12-31'],
    ['2024-06-01', '2024-06-30'],
  ];
  for (let i = 0; i < 12; i++) {
    const a = DAYS[Math.floor(random() * DAYS.length)];
    const b = DAYS[Math.floor(random() * DAYS.length)];
    fixed.push(a < b ? [a, b] : [b, a]);
  }
  return fixed.map(([from, to]) => ({ from, to }));
}

async function checkAll(
  target: DatabaseCopilotUsageStore,
  days: Map<string, Day>,
  seed: number,
) {
  const random = seededRandom(seed);
  for (const { from, to } of ranges(random)) {
    const inRange = DAYS.filter(day => day >= from && day <= to);
    const some = inRange.filter(() => random() < 0.5);
    expect(await target.countActiveUsers(SCOPE, from, to)).toBe(
      expected.active(days, inRange),
    );
    // The comparison's counts: from the last days when the range ends today
    // (./lastDays), else from the bits.
    const summaries = new Map(
      (await target.getTeamRangeSummaries(SCOPE, from, to, 0)).map(t => [
        t.teamSlug,
        [t.activeUsers, t.members],
      ]),
    );
    for (const [team, figures] of summaries) {
      expect([team, from, to, ...figures]).toEqual([
        team,
        from,
        to,
        expected.teamActive(days, team, inRange),
        expected.teamMembers(days, team, inRange),
      ]);
    }
    for (const team of TEAMS) {
      const context = `${team} ${from}..${to}`;
      expect([
        context,
        await target.countTeamActiveUsers(SCOPE, team, from, to),
        await target.countTeamActiveUsers(SCOPE, team, from, to, some),
        await target.countTeamMembers(SCOPE, team, some),
      ]).toEqual([
        context,
        expected.teamActive(days, team, inRange),
        expected.teamActive(days, team, some),
        expected.teamMembers(days, team, some),
      ]);
    }
  }
}

describe('day bits: range distinct counts', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function create(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const target = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, target };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('equal a recomputation from the raw rows, across a year end and a leap day', async () => {
      expect.hasAssertions();
      const { target } = await create(databaseId);
      const days = generate(20261203);
      await store(target, days);
      await target.rebuildTeamRollups(SCOPE, DAYS);
      await checkAll(target, days, 1);
    });

    it('forget what a re-written day said before, and keep the other days', async () => {
      expect.hasAssertions();
      const { target } = await create(databaseId);
      const first = generate(7);
      await store(target, first);
      await target.rebuildTeamRollups(SCOPE, DAYS);
      // Every second day comes again with other people (the bits of the old rows
      // must go), rebuilt in two calls of their own.
      const again = DAYS.filter((_, i) => i % 2 === 0);
      const second = generate(8);
      const now = new Map(
        DAYS.map(day => [day, again.includes(day) ? second : first]).map(
          ([day, source]) => [
            day as string,
            (source as Map<string, Day>).get(day as string)!,
          ],
        ),
      );
      await store(target, now, again);
      await target.rebuildTeamRollups(SCOPE, again.slice(0, 5));
      await target.rebuildTeamRollups(SCOPE, again.slice(5));
      await checkAll(target, now, 2);
    });

    it('are filled by the migration from the rows stored before it', async () => {
      const { knex, target } = await create(databaseId);
      const days = generate(99);
      await store(target, days);
      await target.rebuildTeamRollups(SCOPE, DAYS);
      const migrations = resolvePackagePath(
        '@copilot-usage/backstage-plugin-copilot-usage-backend',
        'migrations',
      );
      // The bits migration down (its tables go) and up again: the fill.
      await knex.migrate.down({
        directory: migrations,
        name: '20261223000000_day_bits.js',
      });
      expect(await knex.schema.hasTable('team_user_year')).toBe(false);
      await knex.migrate.latest({ directory: migrations });
      await checkAll(target, days, 3);
    });

    it('lose an erased person', async () => {
      const { target } = await create(databaseId);
      const days = generate(5);
      await store(target, days);
      await target.rebuildTeamRollups(SCOPE, DAYS);
      const before = await target.countActiveUsers(
        SCOPE,
        DAYS[0],
        '2025-12-31',
      );
      await target.deleteUserRows('user-3', [3]);
      for (const day of days.values()) {
        day.active = day.active.filter(id => id !== 3);
        day.members = day.members.filter(m => m.userId !== 3);
      }
      expect(await target.countActiveUsers(SCOPE, DAYS[0], '2025-12-31')).toBe(
        before - 1,
      );
      await checkAll(target, days, 4);
    });
  });
});
