import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import {
  MetricsCounters,
  emptyCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { addDays } from '../lib/days';
import { DatabaseCopilotUsageStore } from './DatabaseCopilotUsageStore';
import {
  AggregateDayRow,
  BreakdownDayRow,
  IngestionStatus,
  SeatRow,
  TeamDayRollup,
  UserDayRow,
  UserTeamDayRow,
} from './types';
import { REPORT_KINDS, ReportKind, ScopeKey } from '../lib/scope';
import { seededRandom } from '../service/testFixtures';

jest.setTimeout(60_000);

const SCOPE: ScopeKey = 'org:acme';

const ZERO_COUNTERS: MetricsCounters = emptyCounters();
const COUNTER_FIELDS = Object.keys(ZERO_COUNTERS) as (keyof MetricsCounters)[];

function userDay(
  day: string,
  userId: number,
  fields: Partial<UserDayRow> = {},
): UserDayRow {
  return {
    scope: SCOPE,
    day,
    userId,
    userLogin: `user-${userId}`,
    ...ZERO_COUNTERS,
    usedChat: false,
    usedAgent: false,
    usedCli: false,
    usedCloudAgent: false,
    usedCopilotApp: false,
    aiCreditsUsed: null,
    raw: JSON.stringify({ day, user_id: userId }),
    ...fields,
  };
}

/** The row as the store gives it back: its line is kept with the day's lines. */
function stored({ raw: _raw, clientVersions: _versions, ...row }: UserDayRow) {
  return row;
}

function membership(
  day: string,
  userId: number,
  teamSlug: string,
  teamId: number,
): UserTeamDayRow {
  return {
    scope: SCOPE,
    day,
    userId,
    userLogin: `user-${userId}`,
    teamId,
    teamSlug,
  };
}

function aggregate(
  day: string,
  fields: Partial<AggregateDayRow> = {},
): AggregateDayRow {
  return {
    scope: SCOPE,
    day,
    dailyActiveUsers: 0,
    weeklyActiveUsers: 0,
    monthlyActiveUsers: 0,
    monthlyActiveChatUsers: 0,
    monthlyActiveAgentUsers: 0,
    dailyActiveCliUsers: null,
    ...ZERO_COUNTERS,
    raw: '{}',
    ...fields,
  };
}

function breakdown(
  day: string,
  subject: string,
  key: string,
  fields: Partial<BreakdownDayRow> = {},
): BreakdownDayRow {
  return {
    scope: SCOPE,
    day,
    subject,
    dimension: 'ide',
    key,
    interactions: 0,
    codeGenerations: 0,
    codeAcceptances: 0,
    locSuggestedToAdd: 0,
    locSuggestedToDelete: 0,
    locAdded: 0,
    locDeleted: 0,
    users: 0,
    ...fields,
  };
}

function seat(
  snapshotDay: string,
  userLogin: string,
  fields: Partial<SeatRow> = {},
): SeatRow {
  return {
    scope: SCOPE,
    snapshotDay,
    userLogin,
    userId: null,
    planType: 'business',
    createdAt: '2026-01-01T00:00:00Z',
    lastActivityAt: null,
    lastActivityEditor: null,
    lastAuthenticatedAt: null,
    pendingCancellationDate: null,
    assigningTeamSlug: null,
    raw: '{}',
    ...fields,
  };
}

/** Stores one day's user and membership reports the way ingestion does. */
async function storeDay(
  store: DatabaseCopilotUsageStore,
  day: string,
  users: UserDayRow[],
  memberships: UserTeamDayRow[],
) {
  await store.writeDay(SCOPE, day, async writer => {
    await writer.clearUserTeams();
    await writer.insertUserTeams(memberships);
    await writer.clearUserDays();
    await writer.insertUserDays(users);
  });
}

interface GeneratedOrg {
  days: string[];
  users: Map<string, UserDayRow[]>;
  memberships: Map<string, UserTeamDayRow[]>;
}

const TEAMS = ['apollo', 'gemini', 'mercury', 'skylab', 'voyager', 'quiet'];

/**
 * ~40 users over 6 teams and 35 days. Users change teams across days, some belong to
 * two teams, some to none, and `quiet` has one member who is never active.
 */
function generateOrg(seed: number): GeneratedOrg {
  const random = seededRandom(seed);
  const int = (max: number) => Math.floor(random() * max);
  const busyTeams = TEAMS.slice(0, 5);
  const userIds = Array.from({ length: 40 }, (_, i) => 5000 + i);
  const quietMember = userIds[0];
  const primary = new Map<number, string | undefined>();
  const secondary = new Map<number, string | undefined>();
  for (const id of userIds.slice(1)) {
    primary.set(
      id,
      random() < 0.9 ? busyTeams[int(busyTeams.length)] : undefined,
    );
    secondary.set(
      id,
      random() < 0.35 ? busyTeams[int(busyTeams.length)] : undefined,
    );
  }
  const org: GeneratedOrg = {
    days: [],
    users: new Map(),
    memberships: new Map(),
  };
  for (let i = 0; i < 35; i++) {
    const day = addDays('2026-09-20', i);
    org.days.push(day);
    for (const id of userIds.slice(1)) {
      if (random() < 0.08) primary.set(id, busyTeams[int(busyTeams.length)]);
      if (random() < 0.08)
        secondary.set(
          id,
          random() < 0.5 ? undefined : busyTeams[int(busyTeams.length)],
        );
    }
    const memberships = [membership(day, quietMember, 'quiet', 6)];
    for (const id of userIds.slice(1)) {
      const teams = new Set([primary.get(id), secondary.get(id)]);
      for (const team of teams) {
        if (team)
          memberships.push(membership(day, id, team, TEAMS.indexOf(team) + 1));
      }
    }
    const users: UserDayRow[] = [];
    for (const id of userIds.slice(1)) {
      if (random() < 0.55) {
        const counters = Object.fromEntries(
          COUNTER_FIELDS.map(field => [field, int(5000)]),
        );
        users.push(
          userDay(day, id, {
            ...counters,
            usedChat: random() < 0.5,
            usedAgent: random() < 0.3,
            usedCli: random() < 0.2,
          }),
        );
      }
    }
    org.users.set(day, users);
    org.memberships.set(day, memberships);
  }
  return org;
}

/** Team figures straight from the generated rows, by plain loops. */
function expectedTeamDays(org: GeneratedOrg): Map<string, TeamDayRollup[]> {
  const activeMembers = (team: string, day: string): Set<number> => {
    const active = new Set((org.users.get(day) ?? []).map(u => u.userId));
    return new Set(
      (org.memberships.get(day) ?? [])
        .filter(m => m.teamSlug === team && active.has(m.userId))
        .map(m => m.userId),
    );
  };
  const distinctOver = (team: string, day: string, windowDays: number) => {
    const seen = new Set<number>();
    for (let back = 0; back < windowDays; back++) {
      activeMembers(team, addDays(day, -back)).forEach(id => seen.add(id));
    }
    return seen.size;
  };

  const result = new Map<string, TeamDayRollup[]>();
  for (const day of org.days) {
    const memberships = org.memberships.get(day)!;
    for (const team of new Set(memberships.map(m => m.teamSlug))) {
      const members = memberships.filter(m => m.teamSlug === team);
      const memberIds = new Set(members.map(m => m.userId));
      const rows = org.users.get(day)!.filter(u => memberIds.has(u.userId));
      const counters = { ...ZERO_COUNTERS };
      for (const row of rows) {
        for (const field of COUNTER_FIELDS) counters[field] += row[field];
      }
      const expected: TeamDayRollup = {
        scope: SCOPE,
        day,
        teamSlug: team,
        teamId: members[0].teamId,
        memberCount: memberIds.size,
        activeUsers: rows.length,
        weeklyActiveUsers: distinctOver(team, day, 7),
        monthlyActiveUsers: distinctOver(team, day, 28),
        chatUsers: rows.filter(r => r.usedChat).length,
        agentUsers: rows.filter(r => r.usedAgent).length,
        cliUsers: rows.filter(r => r.usedCli).length,
        cloudAgentUsers: rows.filter(r => r.usedCloudAgent).length,
        copilotAppUsers: rows.filter(r => r.usedCopilotApp).length,
        // Each member's credits split over their teams of the day; none here.
        aiCredits: rows.some(r => typeof r.aiCreditsUsed === 'number')
          ? rows.reduce(
              (n, r) =>
                n +
                (r.aiCreditsUsed ?? 0) /
                  memberships.filter(m => m.userId === r.userId).length,
              0,
            )
          : null,
        ...counters,
      };
      result.set(team, [...(result.get(team) ?? []), expected]);
    }
  }
  return result;
}

describe('DatabaseCopilotUsageStore', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createStore(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, store };
  }

  it('keeps a SQLite file in WAL mode', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copilot-usage-wal-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'plugin.sqlite') },
      useNullAsDefault: true,
    });
    try {
      await DatabaseCopilotUsageStore.create({
        database: mockServices.database({ knex }),
      });
      expect(await knex.raw('PRAGMA journal_mode')).toEqual([
        { journal_mode: 'wal' },
      ]);
    } finally {
      await knex.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.each(databases.eachSupportedId())(
    '%p',
    (databaseId: TestDatabaseId) => {
      it('replaces the rows of a re-written day instead of adding to them', async () => {
        const { store } = await createStore(databaseId);
        const day = '2026-11-01';
        await store.writeDay(SCOPE, day, async writer => {
          await writer.replaceAggregate(
            aggregate(day, { dailyActiveUsers: 2 }),
          );
          await writer.clearUserTeams();
          await writer.insertUserTeams([
            membership(day, 1, 'apollo', 10),
            membership(day, 2, 'apollo', 10),
          ]);
          await writer.clearUserDays();
          await writer.insertUserDays([
            userDay(day, 1, { interactions: 5 }),
            userDay(day, 2, { interactions: 7 }),
          ]);
          await writer.replaceBreakdowns(
            ['org'],
            [breakdown(day, 'org', 'vscode', { interactions: 12 })],
          );
          await writer.replaceBreakdowns('all-teams', [
            breakdown(day, 'team:apollo', 'vscode', { interactions: 12 }),
          ]);
        });

        await store.writeDay(SCOPE, day, async writer => {
          await writer.replaceAggregate(
            aggregate(day, { dailyActiveUsers: 1 }),
          );
          await writer.clearUserTeams();
          await writer.insertUserTeams([membership(day, 2, 'gemini', 20)]);
          await writer.clearUserDays();
          await writer.insertUserDays([userDay(day, 2, { interactions: 9 })]);
          await writer.replaceBreakdowns(
            ['org'],
            [breakdown(day, 'org', 'jetbrains', { interactions: 9 })],
          );
          await writer.replaceBreakdowns('all-teams', []);
        });
        await store.rebuildTeamRollups(SCOPE, [day]);

        expect(await store.getUserDays(SCOPE, { userId: 1 }, day, day)).toEqual(
          [],
        );
        expect(
          await store.getUserDays(SCOPE, { userLogin: 'user-2' }, day, day),
        ).toEqual([stored(userDay(day, 2, { interactions: 9 }))]);
        // GitHub's lines of the day are replaced with the day.
        const lines = await store.getReportLines(SCOPE, day);
        expect(lines.users).toEqual([userDay(day, 2).raw]);
        expect(lines.userTeams.map(line => JSON.parse(line))).toEqual([
          expect.objectContaining({ user_id: 2, slug: 'gemini' }),
        ]);
        expect(await store.countActiveUsers(SCOPE, day, day)).toBe(1);
        expect(
          (await store.getAggregateDays(SCOPE, day, day)).map(
            a => a.dailyActiveUsers,
          ),
        ).toEqual([1]);
        expect(await store.getBreakdownTotals(SCOPE, 'org', day, day)).toEqual([
          expect.objectContaining({
            dimension: 'ide',
            key: 'jetbrains',
            interactions: 9,
          }),
        ]);
        expect(
          await store.getBreakdownTotals(SCOPE, 'team:apollo', day, day),
        ).toEqual([]);
        expect(await store.listTeams(SCOPE)).toEqual([
          {
            scope: SCOPE,
            teamSlug: 'gemini',
            teamId: 20,
            lastDay: day,
            memberCount: 1,
          },
        ]);

        await store.writeDay(SCOPE, day, writer =>
          writer.replaceAggregate(undefined),
        );
        expect(await store.getAggregateDays(SCOPE, day, day)).toEqual([]);
      });

      it('keeps the previous data of a day when writing it throws', async () => {
        const { store } = await createStore(databaseId);
        const day = '2026-11-02';
        await storeDay(
          store,
          day,
          [userDay(day, 1, { interactions: 3 })],
          [membership(day, 1, 'apollo', 10)],
        );
        await store.writeDay(SCOPE, day, writer =>
          writer.logIngestion({
            report: 'users',
            status: 'complete',
            rows: 1,
            source: 'github',
          }),
        );

        await expect(
          store.writeDay(SCOPE, day, async writer => {
            await writer.clearUserTeams();
            await writer.clearUserDays();
            await writer.insertUserDays([userDay(day, 2)]);
            await writer.replaceAggregate(aggregate(day));
            await writer.logIngestion({
              report: 'users',
              status: 'complete',
              rows: 99,
              source: 'github',
            });
            throw new Error('malformed line 3');
          }),
        ).rejects.toThrow('malformed line 3');

        expect(await store.getUserDays(SCOPE, { userId: 1 }, day, day)).toEqual(
          [stored(userDay(day, 1, { interactions: 3 }))],
        );
        expect((await store.getReportLines(SCOPE, day)).users).toEqual([
          userDay(day, 1).raw,
        ]);
        expect(await store.getUserDays(SCOPE, { userId: 2 }, day, day)).toEqual(
          [],
        );
        expect(await store.getAggregateDays(SCOPE, day, day)).toEqual([]);
        expect((await store.getIngestionLog(SCOPE)).map(e => e.rows)).toEqual([
          1,
        ]);
        await store.rebuildTeamRollups(SCOPE, [day]);
        expect(
          (await store.getTeamDays(SCOPE, 'apollo', day, day)).map(
            t => t.memberCount,
          ),
        ).toEqual([1]);
      });

      it('rejects rows of another day and keeps the day unchanged', async () => {
        const { store } = await createStore(databaseId);
        await expect(
          store.writeDay(SCOPE, '2026-11-03', writer =>
            writer.insertUserDays([userDay('2026-11-04', 1)]),
          ),
        ).rejects.toThrow(/2026-11-04/);
        expect(
          await store.countActiveUsers(SCOPE, '2026-11-01', '2026-11-30'),
        ).toBe(0);
      });

      it('round-trips counters beyond 32 bits and normalises booleans', async () => {
        const { store } = await createStore(databaseId);
        const day = '2026-11-05';
        const big = 2 ** 31 + 12_345;
        const huge = 9_000_000_000_123;
        const rows = [
          userDay(day, 3_000_000_001, {
            locAdded: big,
            interactions: huge,
            usedChat: true,
            usedCli: true,
          }),
          userDay(day, 7, { locAdded: big, usedAgent: true }),
        ];
        await storeDay(store, day, rows, [
          membership(day, 3_000_000_001, 'apollo', 4_000_000_000),
          membership(day, 7, 'apollo', 4_000_000_000),
        ]);
        await store.writeDay(SCOPE, day, writer =>
          writer.replaceAggregate(
            aggregate(day, {
              completionLocAdded: huge,
              dailyActiveCliUsers: 0,
            }),
          ),
        );
        await store.rebuildTeamRollups(SCOPE, [day]);

        const read = await store.getUserDays(
          SCOPE,
          { userId: 3_000_000_001 },
          day,
          day,
        );
        expect(read).toEqual([stored(rows[0])]);
        expect(typeof read[0].usedAgent).toBe('boolean');
        expect(
          await store.getUserDays(SCOPE, { userLogin: 'user-7' }, day, day),
        ).toEqual([stored(rows[1])]);
        const [aggregateDay] = await store.getAggregateDays(SCOPE, day, day);
        expect(aggregateDay.completionLocAdded).toBe(huge);
        expect(aggregateDay.dailyActiveCliUsers).toBe(0);
        const [team] = await store.getTeamDays(SCOPE, 'apollo', day, day);
        expect(team).toMatchObject({
          teamId: 4_000_000_000,
          locAdded: 2 * big,
          interactions: huge,
          chatUsers: 1,
          agentUsers: 1,
          cliUsers: 1,
        });
      });

      it('inserts more rows than one statement can bind', async () => {
        const { store } = await createStore(databaseId);
        const day = '2026-11-06';
        const users = Array.from({ length: 2500 }, (_, i) =>
          userDay(day, i + 1, { interactions: 1 }),
        );
        await storeDay(
          store,
          day,
          users,
          users.map(u => membership(day, u.userId, 'everyone', 1)),
        );
        await store.rebuildTeamRollups(SCOPE, [day]);
        expect(await store.countActiveUsers(SCOPE, day, day)).toBe(2500);
        expect(await store.getTeamDays(SCOPE, 'everyone', day, day)).toEqual([
          expect.objectContaining({
            memberCount: 2500,
            activeUsers: 2500,
            interactions: 2500,
          }),
        ]);
      });

      it('computes team rollups that match a recomputation from the raw rows', async () => {
        const { store } = await createStore(databaseId);
        const org = generateOrg(20261121);
        for (const day of org.days) {
          await storeDay(
            store,
            day,
            org.users.get(day)!,
            org.memberships.get(day)!,
          );
        }
        // in any order: the store must process days ascending
        await store.rebuildTeamRollups(SCOPE, [...org.days].reverse());
        const first = org.days[0];
        const last = org.days[org.days.length - 1];

        const check = async () => {
          const expected = expectedTeamDays(org);
          expect(
            expected
              .get('quiet')!
              .every(t => t.activeUsers === 0 && t.memberCount === 1),
          ).toBe(true);
          for (const team of TEAMS) {
            expect(await store.getTeamDays(SCOPE, team, first, last)).toEqual(
              expected.get(team),
            );
          }
          expect((await store.listTeams(SCOPE)).map(t => t.teamSlug)).toEqual(
            [...TEAMS].sort(),
          );

          // distinct over a range, counting only days of membership
          for (const team of TEAMS) {
            const onlyDays = org.days.filter((_, i) => i % 3 === 0);
            const activeOn = (days: string[]) => {
              const ids = new Set<number>();
              for (const day of days) {
                const active = new Set(org.users.get(day)!.map(u => u.userId));
                org.memberships
                  .get(day)!
                  .filter(m => m.teamSlug === team && active.has(m.userId))
                  .forEach(m => ids.add(m.userId));
              }
              return ids.size;
            };
            expect(
              await store.countTeamActiveUsers(SCOPE, team, first, last),
            ).toBe(activeOn(org.days));
            expect(
              await store.countTeamActiveUsers(
                SCOPE,
                team,
                first,
                last,
                onlyDays,
              ),
            ).toBe(activeOn(onlyDays));
          }
          const everyone = new Set(
            org.days.flatMap(day => org.users.get(day)!.map(u => u.userId)),
          );
          expect(await store.countActiveUsers(SCOPE, first, last)).toBe(
            everyone.size,
          );
        };
        await check();

        // GitHub revises a day: replace it and rebuild it and the 27 days after it
        const revised = org.days[10];
        org.users.set(revised, org.users.get(revised)!.slice(0, 5));
        // apollo disappears that day: its members move to gemini (deduplicated)
        const moved = org.memberships
          .get(revised)!
          .map(m =>
            m.teamSlug === 'apollo'
              ? { ...m, teamSlug: 'gemini', teamId: 2 }
              : m,
          );
        org.memberships.set(revised, [
          ...new Map(moved.map(m => [`${m.teamSlug}/${m.userId}`, m])).values(),
        ]);
        await storeDay(
          store,
          revised,
          org.users.get(revised)!,
          org.memberships.get(revised)!,
        );
        await store.rebuildTeamRollups(
          SCOPE,
          org.days.filter(day => day >= revised && day <= addDays(revised, 27)),
        );
        await check();
      });

      it('rebuilds the rollups of all the days of a call in one transaction', async () => {
        const { store } = await createStore(databaseId);
        const [first, second] = ['2026-11-01', '2026-11-02'];
        for (const day of [first, second]) {
          await storeDay(
            store,
            day,
            [userDay(day, 1, { interactions: 2 })],
            [
              membership(day, 1, 'apollo', 10),
              membership(day, 2, 'apollo', 10),
            ],
          );
        }
        await store.rebuildTeamRollups(SCOPE, [first]);
        // A failure on a later day of the call (here a day that does not parse)
        // leaves every day as it was: no reader sees half a rebuild.
        await expect(
          store.rebuildTeamRollups(SCOPE, [second, 'not-a-day']),
        ).rejects.toThrow();
        expect(
          (await store.getTeamDays(SCOPE, 'apollo', first, second)).map(t => [
            t.day,
            t.weeklyActiveUsers,
          ]),
        ).toEqual([[first, 1]]);
        await store.rebuildTeamRollups(SCOPE, [second]);
        expect(
          (await store.getTeamDays(SCOPE, 'apollo', first, second)).map(
            t => t.day,
          ),
        ).toEqual([first, second]);
      });

      it('lists the days GitHub had no data for, with when they were last checked', async () => {
        let now = new Date('2026-11-10T04:00:00.000Z');
        const knex = await databases.init(databaseId);
        const store = await DatabaseCopilotUsageStore.create({
          database: mockServices.database({ knex }),
          clock: () => now,
        });
        const log = (
          day: string,
          report: ReportKind,
          status: IngestionStatus,
        ) =>
          store.logIngestion({
            scope: SCOPE,
            day,
            report,
            status,
            rows: 0,
            source: 'github',
          });
        for (const report of REPORT_KINDS) {
          await log('2026-11-01', report, 'no_data');
          await log('2026-11-02', report, 'no_data');
          // some data: not a "no data" day
          await log(
            '2026-11-03',
            report,
            report === 'user-teams' ? 'no_data' : 'complete',
          );
        }
        now = new Date('2026-11-11T04:00:00.000Z');
        await log('2026-11-02', 'users', 'no_data');

        expect(
          await store.getNoDataDays(SCOPE, '2026-11-01', '2026-11-30'),
        ).toEqual([
          { day: '2026-11-01', checkedAt: '2026-11-10T04:00:00.000Z' },
          { day: '2026-11-02', checkedAt: '2026-11-11T04:00:00.000Z' },
        ]);
        expect(
          await store.getNoDataDays(SCOPE, '2026-11-02', '2026-11-02'),
        ).toEqual([
          { day: '2026-11-02', checkedAt: '2026-11-11T04:00:00.000Z' },
        ]);
      });

      it('reports days whose three reports are complete or have no data', async () => {
        const { store } = await createStore(databaseId);
        const log = (
          day: string,
          report: 'aggregate' | 'users' | 'user-teams',
          status: 'complete' | 'no_data' | 'failed',
        ) =>
          store.logIngestion({
            scope: SCOPE,
            day,
            report,
            status,
            rows: 0,
            source: 'github',
          });
        for (const report of ['aggregate', 'users', 'user-teams'] as const) {
          await log('2026-11-01', report, 'complete');
          await log(
            '2026-11-02',
            report,
            report === 'aggregate' ? 'no_data' : 'complete',
          );
          await log(
            '2026-11-03',
            report,
            report === 'users' ? 'failed' : 'complete',
          );
          await log('2026-11-05', report, 'no_data');
        }
        await log('2026-11-04', 'aggregate', 'complete');
        await store.logIngestion({
          scope: 'org:other',
          day: '2026-11-04',
          report: 'users',
          status: 'complete',
          rows: 0,
          source: 'github',
        });

        expect(
          await store.getCompleteDays(SCOPE, '2026-11-01', '2026-11-30'),
        ).toEqual(['2026-11-01', '2026-11-02', '2026-11-05']);
        expect(
          await store.getCompleteDays(SCOPE, '2026-11-02', '2026-11-04'),
        ).toEqual(['2026-11-02']);

        // a retried report replaces the failed attempt
        await log('2026-11-03', 'users', 'complete');
        expect(
          await store.getCompleteDays(SCOPE, '2026-11-03', '2026-11-03'),
        ).toEqual(['2026-11-03']);
        const entries = await store.getIngestionLog(
          SCOPE,
          '2026-11-03',
          '2026-11-03',
        );
        expect(entries.map(e => [e.report, e.status])).toEqual([
          ['aggregate', 'complete'],
          ['user-teams', 'complete'],
          ['users', 'complete'],
        ]);
        expect(await store.listScopes()).toEqual(['org:acme', 'org:other']);
      });

      it('sums breakdowns over a range, optionally only on some days', async () => {
        const { store } = await createStore(databaseId);
        for (const [day, vscode, users] of [
          ['2026-11-01', 10, 4],
          ['2026-11-02', 5, 6],
          ['2026-11-03', 100, 1],
        ] as const) {
          await store.writeDay(SCOPE, day, writer =>
            writer.replaceBreakdowns(
              ['org'],
              [
                breakdown(day, 'org', 'vscode', {
                  interactions: vscode,
                  locAdded: 2 ** 32,
                  users,
                }),
                breakdown(day, 'org', 'python', {
                  dimension: 'language',
                  interactions: 1,
                }),
              ],
            ),
          );
        }
        // As every sync does after its days: whole months are read from the rollups.
        await store.rebuildTeamRollups(SCOPE, [
          '2026-11-01',
          '2026-11-02',
          '2026-11-03',
        ]);
        const totals = await store.getBreakdownTotals(
          SCOPE,
          'org',
          '2026-11-01',
          '2026-11-02',
        );
        expect(totals).toEqual([
          {
            dimension: 'ide',
            key: 'vscode',
            interactions: 15,
            codeGenerations: 0,
            codeAcceptances: 0,
            locSuggestedToAdd: 0,
            locSuggestedToDelete: 0,
            locAdded: 2 ** 33,
            locDeleted: 0,
            users: 6,
          },
          expect.objectContaining({
            dimension: 'language',
            key: 'python',
            interactions: 2,
          }),
        ]);
        expect(
          await store.getBreakdownTotals(
            SCOPE,
            'org',
            '2026-11-01',
            '2026-11-30',
            'ide',
            ['2026-11-01', '2026-11-03'],
          ),
        ).toEqual([
          expect.objectContaining({
            key: 'vscode',
            interactions: 110,
            users: 4,
          }),
        ]);
        expect(
          await store.getBreakdownTotals(
            SCOPE,
            'org',
            '2026-11-01',
            '2026-11-30',
            undefined,
            [],
          ),
        ).toEqual([]);
      });

      it('keeps seat snapshots and returns the latest one', async () => {
        const { store } = await createStore(databaseId);
        await store.replaceSeats(SCOPE, '2026-11-01', [
          seat('2026-11-01', 'alice'),
          seat('2026-11-01', 'bob'),
        ]);
        const latest = [
          seat('2026-11-02', 'carol', {
            userId: 3_000_000_000,
            lastActivityAt: '2026-11-01T10:00:00Z',
            assigningTeamSlug: 'apollo',
          }),
        ];
        await store.replaceSeats(SCOPE, '2026-11-02', latest);
        expect(await store.getLatestSeats(SCOPE)).toEqual(latest);
        await store.replaceSeats(SCOPE, '2026-11-02', [
          seat('2026-11-02', 'dave'),
        ]);
        expect(
          (await store.getLatestSeats(SCOPE)).map(s => s.userLogin),
        ).toEqual(['dave']);
        expect(await store.getLatestSeats('org:other')).toEqual([]);
      });

      it('creates and patches the sync state', async () => {
        const { store } = await createStore(databaseId);
        expect(await store.getSyncState(SCOPE)).toBeUndefined();
        await store.updateSyncState(SCOPE, {
          running: true,
          lastRunStartedAt: '2026-11-21T04:00:00Z',
          daysTotal: 30,
        });
        await store.updateSyncState(SCOPE, { daysDone: 12 });
        expect(await store.getSyncState(SCOPE)).toEqual({
          scope: SCOPE,
          running: true,
          lastRunStartedAt: '2026-11-21T04:00:00Z',
          lastRunFinishedAt: null,
          daysDone: 12,
          daysTotal: 30,
          lastError: null,
          rollupsPendingFrom: null,
          rollupsPendingTo: null,
          requestedAt: null,
          pendingDays: null,
          heartbeatAt: null,
          leaseExpiresAt: null,
        });
        await store.updateSyncState(SCOPE, {
          running: false,
          lastError: 'rate limited',
          rollupsPendingFrom: '2026-11-02',
          rollupsPendingTo: '2026-11-03',
          pendingDays: ['2026-11-02', '2026-11-03'],
          heartbeatAt: '2026-11-21T04:01:00.000Z',
          leaseExpiresAt: '2026-11-21T04:05:00.000Z',
        });
        expect(await store.getSyncState(SCOPE)).toMatchObject({
          running: false,
          daysDone: 12,
          lastError: 'rate limited',
          rollupsPendingFrom: '2026-11-02',
          rollupsPendingTo: '2026-11-03',
          pendingDays: ['2026-11-02', '2026-11-03'],
          heartbeatAt: '2026-11-21T04:01:00.000Z',
          leaseExpiresAt: '2026-11-21T04:05:00.000Z',
        });
        // An empty list (every day done, the run not over yet) is not "no run".
        await store.updateSyncState(SCOPE, { pendingDays: [] });
        expect((await store.getSyncState(SCOPE))?.pendingDays).toEqual([]);
        await store.updateSyncState(SCOPE, { pendingDays: null });
        expect((await store.getSyncState(SCOPE))?.pendingDays).toBeNull();
        await store.updateSyncState('org:idle', {});
        expect(await store.listScopes()).toEqual(['org:acme', 'org:idle']);
      });
    },
  );
});
