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
import { DayFixture, seedDays, seededRandom } from '../../service/testFixtures';
import { DatabaseCopilotUsageStore } from '../DatabaseCopilotUsageStore';
import { COUNTER_COLUMNS, DbRecord, toNumber } from '../records';
import { splitRange } from './teamMonths';

jest.setTimeout(120_000);

const SCOPE: ScopeKey = 'org:acme';
const MIN_MEMBERS = 5;
const DAYS = daysBetween('2026-07-20', '2026-10-22');
/** Imported history of a team the reports never list, and of a reported team's old days. */
const IMPORTED = [
  ...daysBetween('2026-06-10', '2026-06-14').map(day => ({
    day,
    slug: 'alpha',
  })),
  ...daysBetween('2026-08-05', '2026-08-09').map(day => ({
    day,
    slug: 'legacy',
  })),
  { day: '2026-10-21', slug: 'legacy' },
];

/** alpha around MIN_MEMBERS, beta always above, gamma always below, delta on some days only. */
function generate(seed: number, days: string[]): DayFixture[] {
  const random = seededRandom(seed);
  return days.map(day => {
    const size = (low: number, high: number) =>
      low + Math.floor(random() * (high - low + 1));
    const team = (first: number, n: number) =>
      Array.from({ length: n }, (_, i) => first + i);
    const teams: Record<string, number[]> = {
      alpha: team(1, size(3, 7)),
      beta: team(10, size(6, 9)),
      gamma: team(20, size(1, 4)),
    };
    if (random() < 0.4) teams.delta = team(5, size(4, 8));
    const users: DayFixture['users'] = {};
    for (let id = 1; id <= 30; id++) {
      if (random() < 0.6) {
        users[id] = {
          interactions: size(0, 9),
          codeGenerations: size(0, 5),
          locAdded: size(0, 40),
          aiCreditsUsed: random() < 0.7 ? size(0, 3000) / 1000 : null,
        };
      }
    }
    return { day, teams, users };
  });
}

async function importHistory(store: DatabaseCopilotUsageStore) {
  await store.writeImport(SCOPE, async writer => {
    for (const { day, slug } of IMPORTED) {
      await writer.replaceImportedDay({
        day,
        breakdowns: [],
        teams: [
          {
            scope: SCOPE,
            day,
            teamSlug: slug,
            teamId: 77,
            memberCount: day.endsWith('7') ? 3 : 8,
            activeUsers: 2,
            weeklyActiveUsers: 0,
            monthlyActiveUsers: 0,
            chatUsers: 0,
            agentUsers: 0,
            cliUsers: 0,
            ...emptyCounters(),
            interactions: 11,
            aiCredits: 0.25,
          },
        ],
      });
    }
  });
}

/** The plain recomputation from the stored team_day rows. */
async function expected(knex: Knex, from: string, to: string) {
  const rows: DbRecord[] = await knex('team_day')
    .where({ scope: SCOPE })
    .whereBetween('day', [from, to])
    .orderBy('day');
  const bySlug = new Map<string, DbRecord[]>();
  for (const row of rows) {
    bySlug.set(row.team_slug, [...(bySlug.get(row.team_slug) ?? []), row]);
  }
  return [...bySlug]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([teamSlug, of]) => {
      const sum = (f: (r: DbRecord) => number) =>
        of.reduce((total, r) => total + f(r), 0);
      const credits = of.filter(r => r.ai_credits !== null);
      return {
        teamSlug,
        days: of.length,
        eligibleDays: of.filter(r => toNumber(r.member_count) >= MIN_MEMBERS)
          .length,
        reportDays: of.filter(r => r.source !== 'import').length,
        lastMemberCount: toNumber(of[of.length - 1].member_count),
        activeUserDays: sum(r => toNumber(r.active_users)),
        memberDays: sum(r => toNumber(r.member_count)),
        aiCredits: credits.length
          ? Math.round(sum(r => Number(r.ai_credits ?? 0)) * 1e6) / 1e6
          : null,
        ...Object.fromEntries(
          Object.entries(COUNTER_COLUMNS).map(([key, column]) => [
            key,
            sum(r => toNumber(r[column])),
          ]),
        ),
      };
    });
}

/** Each team's row of its last day, recomputed from every team_day row. */
async function expectedTeams(knex: Knex) {
  const rows: DbRecord[] = await knex('team_day').orderBy([
    'scope',
    'team_slug',
    'day',
  ]);
  const last = new Map<string, DbRecord>();
  for (const row of rows) last.set(`${row.scope}/${row.team_slug}`, row);
  return [...last.values()].map(row => ({
    scope: row.scope,
    teamSlug: row.team_slug,
    teamId: toNumber(row.team_id),
    lastDay: row.day,
    memberCount: toNumber(row.member_count),
  }));
}

const RANGES = [
  ['2026-07-20', '2026-10-22'],
  ['2026-08-01', '2026-09-30'],
  ['2026-08-01', '2026-08-31'],
  ['2026-07-25', '2026-08-10'],
  ['2026-09-15', '2026-09-20'],
  ['2026-06-01', '2026-12-31'],
  ['2026-08-02', '2026-09-29'],
  ['2026-07-31', '2026-09-01'],
];

async function checkAll(knex: Knex, target: DatabaseCopilotUsageStore) {
  for (const [from, to] of RANGES) {
    const summaries = await target.getTeamRangeSummaries(
      SCOPE,
      from,
      to,
      MIN_MEMBERS,
    );
    const got = summaries
      .map(({ activeUsers, members, ...rest }) => rest)
      .sort((a, b) => (a.teamSlug < b.teamSlug ? -1 : 1));
    const want = await expected(knex, from, to);
    expect([from, to, got]).toEqual([from, to, want]);
  }
  const teams = await target.listTeams(SCOPE);
  expect(teams).toEqual(await expectedTeams(knex));
  expect(await target.listTeams()).toEqual(teams);
}

describe('team_month: the comparison reads whole months', () => {
  it('splits a range into whole months and the days around them', () => {
    expect(splitRange('2026-07-20', '2026-10-22')).toEqual({
      months: ['2026-08', '2026-09'],
      partial: [
        ['2026-07-20', '2026-07-31'],
        ['2026-10-01', '2026-10-22'],
      ],
    });
    expect(splitRange('2024-02-01', '2024-02-29')).toEqual({
      months: ['2024-02'],
      partial: [],
    });
    expect(splitRange('2025-12-01', '2026-01-31')).toEqual({
      months: ['2025-12', '2026-01'],
      partial: [],
    });
    expect(splitRange('2026-03-02', '2026-03-30')).toEqual({
      months: [],
      partial: [['2026-03-02', '2026-03-30']],
    });
  });

  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function create(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const target = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, target };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('give the sums of a recomputation from team_day, imported days included', async () => {
      expect.hasAssertions();
      const { knex, target } = await create(databaseId);
      await seedDays(target, SCOPE, generate(1, DAYS));
      await importHistory(target);
      await checkAll(knex, target);
    });

    it('follow a re-written day', async () => {
      expect.hasAssertions();
      const { knex, target } = await create(databaseId);
      await seedDays(target, SCOPE, generate(2, DAYS));
      await importHistory(target);
      const again = ['2026-08-06', '2026-09-10', '2026-09-30'];
      await seedDays(target, SCOPE, generate(3, again));
      await checkAll(knex, target);
    });

    it('count distinct active members and members per team, across a year end', async () => {
      expect.hasAssertions();
      const { target } = await create(databaseId);
      const days = generate(9, daysBetween('2025-12-20', '2026-01-12'));
      await seedDays(target, SCOPE, days);
      for (const [from, to] of [
        ['2025-12-20', '2026-01-12'],
        ['2025-12-31', '2026-01-01'],
        ['2026-01-02', '2026-01-09'],
        ['2025-12-01', '2025-12-31'],
      ]) {
        const of = days.filter(d => d.day >= from && d.day <= to);
        const want = new Map<
          string,
          { active: Set<number>; all: Set<number> }
        >();
        for (const { teams, users } of of) {
          for (const [slug, ids] of Object.entries(teams)) {
            const sets = want.get(slug) ?? {
              active: new Set(),
              all: new Set(),
            };
            want.set(slug, sets);
            for (const id of ids) {
              sets.all.add(id);
              if (users[id]) sets.active.add(id);
            }
          }
        }
        const got = await target.getTeamRangeSummaries(SCOPE, from, to, 5);
        expect([
          from,
          to,
          Object.fromEntries(
            got.map(g => [g.teamSlug, [g.activeUsers, g.members]]),
          ),
        ]).toEqual([
          from,
          to,
          Object.fromEntries(
            [...want].map(([slug, sets]) => [
              slug,
              [sets.active.size, sets.all.size],
            ]),
          ),
        ]);
      }
    });

    it('are filled by the migration from the rows stored before it', async () => {
      const { knex, target } = await create(databaseId);
      await seedDays(target, SCOPE, generate(4, DAYS));
      await importHistory(target);
      const migrations = resolvePackagePath(
        '@copilot-usage/backstage-plugin-copilot-usage-backend',
        'migrations',
      );
      await knex.migrate.down({
        directory: migrations,
        name: '20261225000000_scope_day.js',
      });
      expect(await knex.schema.hasTable('team_month')).toBe(false);
      await knex.migrate.latest({ directory: migrations });
      await checkAll(knex, target);
    });
  });
});
