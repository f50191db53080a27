import { emptyCounters } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { daysBetween } from '../../lib/days';
import { ScopeKey } from '../../lib/scope';
import { DatabaseCopilotUsageStore } from '../DatabaseCopilotUsageStore';
import { UserDayRow } from '../types';
import { UserRowRetention } from './retention';
import { seededRandom } from '../../service/testFixtures';

jest.setTimeout(120_000);

const SCOPE: ScopeKey = 'org:acme';
const OTHER: ScopeKey = 'enterprise:acme-corp';
const TEAMS = ['alpha', 'beta'];
const USERS = 30;
const DAYS = daysBetween('2026-10-20', '2026-11-12');

type Day = { users: UserDayRow[]; members: { userId: number; team: string }[] };

/** Random users with random flags and credits (some days without any credits). */
function generate(seed: number, scope: ScopeKey = SCOPE): Map<string, Day> {
  const random = seededRandom(seed);
  const days = new Map<string, Day>();
  for (const day of DAYS) {
    const withCredits = random() < 0.7;
    const users: UserDayRow[] = [];
    const members: Day['members'] = [];
    for (let userId = 1; userId <= USERS; userId++) {
      for (const team of TEAMS) {
        if (random() < 0.5) members.push({ userId, team });
      }
      if (random() < 0.6) {
        users.push({
          scope,
          day,
          userId,
          userLogin: `user-${userId}`,
          ...emptyCounters(),
          interactions: Math.floor(random() * 10),
          usedChat: random() < 0.5,
          usedAgent: random() < 0.3,
          usedCli: random() < 0.2,
          usedCloudAgent: random() < 0.25,
          usedCopilotApp: random() < 0.15,
          aiCreditsUsed:
            withCredits && random() < 0.8
              ? Math.round(random() * 1e5) / 1e3
              : null,
          raw: '{}',
        });
      }
    }
    days.set(day, { users, members });
  }
  return days;
}

async function store(
  target: DatabaseCopilotUsageStore,
  days: Map<string, Day>,
  scope: ScopeKey = SCOPE,
  only?: string[],
) {
  for (const [day, { users, members }] of days) {
    if (only && !only.includes(day)) continue;
    await target.writeDay(scope, day, async writer => {
      await writer.clearUserTeams();
      await writer.insertUserTeams(
        members.map(m => ({
          scope,
          day,
          userId: m.userId,
          userLogin: `user-${m.userId}`,
          teamId: TEAMS.indexOf(m.team) + 1,
          teamSlug: m.team,
        })),
      );
      await writer.clearUserDays();
      await writer.insertUserDays(users);
    });
  }
}

/** The plain recomputation from the rows the test wrote: days with user rows only. */
function expected(days: Map<string, Day>, from: string, to: string) {
  const count = (users: UserDayRow[], flag: (u: UserDayRow) => unknown) =>
    users.filter(flag).length;
  const inRange = [...days].filter(
    ([day, { users }]) => day >= from && day <= to && users.length > 0,
  );
  return {
    features: inRange.map(([day, { users }]) => ({
      day,
      chatUsers: count(users, u => u.usedChat),
      agentUsers: count(users, u => u.usedAgent),
      cliUsers: count(users, u => u.usedCli),
    })),
    fields: inRange.map(([day, { users }]) => {
      const credits = users
        .map(u => u.aiCreditsUsed)
        .filter((c): c is number => typeof c === 'number');
      return {
        day,
        cloudAgentUsers: count(users, u => u.usedCloudAgent),
        copilotAppUsers: count(users, u => u.usedCopilotApp),
        aiCredits: credits.length
          ? Math.round(credits.reduce((a, b) => a + b, 0) * 1e6) / 1e6
          : null,
      };
    }),
  };
}

const RANGES = [
  [DAYS[0], DAYS[DAYS.length - 1]],
  ['2026-01-01', '2026-12-31'],
  ['2026-10-25', '2026-11-02'],
  ['2026-11-05', '2026-11-05'],
  ['2025-01-01', '2025-12-31'],
];

async function checkAll(
  target: DatabaseCopilotUsageStore,
  days: Map<string, Day>,
  scope: ScopeKey = SCOPE,
) {
  for (const [from, to] of RANGES) {
    const want = expected(days, from, to);
    expect([
      from,
      to,
      await target.getDailyFeatureUsers(scope, from, to),
    ]).toEqual([from, to, want.features]);
    const fields = await target.getDailyUserFields(scope, from, to);
    expect(fields.map(({ aiCredits, ...rest }) => rest)).toEqual(
      want.fields.map(({ aiCredits, ...rest }) => rest),
    );
    fields.forEach((field, i) => {
      const credits = want.fields[i].aiCredits;
      if (credits === null) expect(field.aiCredits).toBeNull();
      else expect(field.aiCredits).toBeCloseTo(credits, 5);
    });
  }
}

describe('scope_day: the daily figures of the per-user rows', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function create(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const target = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, target };
  }

  const scopeDayRows = (knex: Knex, scope: ScopeKey) =>
    knex('scope_day').where({ scope }).orderBy('day');

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('equal a recomputation from the per-user rows, per scope', async () => {
      expect.hasAssertions();
      const { target } = await create(databaseId);
      const days = generate(1);
      const other = generate(2, OTHER);
      await store(target, days);
      await store(target, other, OTHER);
      await target.rebuildTeamRollups(SCOPE, DAYS);
      await target.rebuildTeamRollups(OTHER, DAYS);
      await checkAll(target, days);
      await checkAll(target, other, OTHER);
    });

    it('replace the row of a re-written day and keep the other days', async () => {
      expect.hasAssertions();
      const { target } = await create(databaseId);
      const first = generate(3);
      await store(target, first);
      await target.rebuildTeamRollups(SCOPE, DAYS);
      const again = DAYS.filter((_, i) => i % 3 === 0);
      const second = generate(4);
      // One day comes again without any user rows: its row goes.
      second.get(again[1])!.users = [];
      const now = new Map(
        DAYS.map(day => [
          day,
          (again.includes(day) ? second : first).get(day)!,
        ]),
      );
      await store(target, now, SCOPE, again);
      await target.rebuildTeamRollups(SCOPE, again);
      await checkAll(target, now);
    });

    it('are filled by the migration from the rows stored before it', async () => {
      const { knex, target } = await create(databaseId);
      const days = generate(5);
      await store(target, days);
      await target.rebuildTeamRollups(SCOPE, DAYS);
      const migrations = resolvePackagePath(
        '@copilot-usage/backstage-plugin-copilot-usage-backend',
        'migrations',
      );
      await knex.migrate.down({
        directory: migrations,
        name: '20261225000000_scope_day.js',
      });
      expect(await knex.schema.hasTable('scope_day')).toBe(false);
      await knex.migrate.latest({ directory: migrations });
      await checkAll(target, days);
    });

    it('survive retention, and a rebuild of a pruned day leaves its rollups alone', async () => {
      const { knex, target } = await create(databaseId);
      const days = generate(6);
      await store(target, days);
      await store(target, generate(7, OTHER), OTHER);
      await target.rebuildTeamRollups(SCOPE, DAYS);
      await target.rebuildTeamRollups(OTHER, DAYS);
      const firstKept = '2026-11-01';
      const pruned = DAYS.filter(day => day < firstKept);
      const snapshot = async () => ({
        teamDays: await knex('team_day')
          .where({ scope: SCOPE })
          .orderBy(['day', 'team_slug']),
        scopeDays: await scopeDayRows(knex, SCOPE),
        active: await target.countActiveUsers(SCOPE, DAYS[0], pruned.at(-1)!),
        teamActive: await Promise.all(
          TEAMS.map(team =>
            target.countTeamActiveUsers(SCOPE, team, DAYS[0], pruned.at(-1)!),
          ),
        ),
        members: await Promise.all(
          TEAMS.map(team => target.countTeamMembers(SCOPE, team, pruned)),
        ),
      });
      const before = await snapshot();
      expect(before.active).toBeGreaterThan(0);
      const outcome = await new UserRowRetention(knex, {
        userDays: 11,
        now: () => new Date('2026-11-12T08:00:00Z'),
      }).apply();
      expect(outcome?.firstKeptDay).toBe(firstKept);
      expect(
        Number(
          (
            await knex('user_day')
              .where('day', '<', firstKept)
              .count({ n: '*' })
          )[0].n,
        ),
      ).toBe(0);
      expect(await knex('user_row_retention').orderBy('scope')).toEqual([
        { scope: OTHER, first_kept_day: firstKept },
        { scope: SCOPE, first_kept_day: firstKept },
      ]);
      // Pruned days and a kept one rebuilt, as a sync or an erasure may ask.
      await target.rebuildTeamRollups(SCOPE, [...pruned, firstKept]);
      expect(await snapshot()).toEqual(before);
      await checkAll(target, days);
      // A longer retention later never moves the bound back.
      await new UserRowRetention(knex, {
        userDays: 20,
        now: () => new Date('2026-11-12T08:00:00Z'),
      }).apply();
      expect(
        await knex('user_row_retention').where({ scope: SCOPE }).first(),
      ).toEqual({ scope: SCOPE, first_kept_day: firstKept });
    });
  });
});
