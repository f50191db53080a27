import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ScopeKey } from '../../lib/scope';
import { DatabaseCopilotUsageStore } from '../DatabaseCopilotUsageStore';
import { membershipRow, plainUserDayRow } from '../../service/testFixtures';
import { UserDayRow } from '../types';
import {
  countActiveSince,
  countTeamUsersSince,
  lastDayOfYear,
  versionUsersSince,
} from './lastDays';

jest.setTimeout(60_000);

const SCOPE: ScopeKey = 'org:acme';

describe('lastDayOfYear', () => {
  it('reads the highest set bit of the last word that has one', () => {
    expect(lastDayOfYear(2025, ['1', '0', '0', '0', '0', '0'])).toBe(
      '2025-01-01',
    );
    // Day 63 of the year is bit 1 of word 1; the lower word is ignored.
    expect(
      lastDayOfYear(2025, [String(2n ** 61n), '2', '0', '0', '0', '0']),
    ).toBe('2025-03-05');
    // Bit 365 (word 5, bit 55): the last day of a leap year.
    expect(
      lastDayOfYear(2024, ['0', '0', '0', '0', '1', String(2n ** 55n)]),
    ).toBe('2024-12-31');
    expect(
      lastDayOfYear(2024, ['0', null, '0', '0', '0', '0']),
    ).toBeUndefined();
  });
});

const row = (day: string, userId: number, version?: string) =>
  plainUserDayRow(SCOPE, day, userId, {
    clientVersions: version
      ? [{ client: 'vscode', version, plugin: '', pluginVersion: '' }]
      : [],
  });

const member = (day: string, userId: number, team: string) =>
  membershipRow(SCOPE, day, userId, { slug: team, id: team.length });

describe('last days', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function create(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    const write = (day: string, rows: UserDayRow[]) =>
      store.writeDay(SCOPE, day, async writer => {
        await writer.clearUserDays();
        await writer.insertUserDays(rows);
      });
    const writeTeams = (
      day: string,
      active: number[],
      members: Array<[number, string]>,
    ) =>
      store.writeDay(SCOPE, day, async writer => {
        await writer.clearUserTeams();
        await writer.insertUserTeams(
          members.map(([id, team]) => member(day, id, team)),
        );
        await writer.clearUserDays();
        await writer.insertUserDays(active.map(id => row(day, id)));
      });
    return { knex, store, write, writeTeams };
  }

  const lastDays = async (knex: Knex) =>
    Object.fromEntries(
      (await knex('user_last_active').where({ scope: SCOPE })).map(r => [
        Number(r.user_id),
        r.day,
      ]),
    );

  it.each(databases.eachSupportedId())(
    'follow a re-written day that lost a person, from the day bits where the rows are gone, on %p',
    async databaseId => {
      const { knex, store, write } = await create(databaseId);
      await write('2024-12-30', [row('2024-12-30', 1), row('2024-12-30', 2)]);
      await write('2025-01-02', [row('2025-01-02', 1), row('2025-01-02', 3)]);
      await write('2025-01-03', [
        row('2025-01-03', 1),
        row('2025-01-03', 2),
        row('2025-01-03', 3),
      ]);
      await store.rebuildTeamRollups(SCOPE, [
        '2024-12-30',
        '2025-01-02',
        '2025-01-03',
      ]);
      expect(await lastDays(knex)).toEqual({
        1: '2025-01-03',
        2: '2025-01-03',
        3: '2025-01-03',
      });
      // Person 2's only other day loses its rows (as retention would prune them);
      // the bits of the year before still know it. Person 3 keeps 2025-01-02.
      await knex('user_day').where({ day: '2024-12-30' }).delete();
      await write('2025-01-03', [row('2025-01-03', 1)]);
      await store.rebuildTeamRollups(SCOPE, ['2025-01-03']);
      expect(await lastDays(knex)).toEqual({
        1: '2025-01-03',
        2: '2024-12-30',
        3: '2025-01-02',
      });
      expect(
        await countActiveSince(knex, SCOPE, '2025-01-03', '2025-01-03'),
      ).toBe(1);
      expect(
        await countActiveSince(knex, SCOPE, '2025-01-01', '2025-12-31'),
      ).toBe(2);
      expect(
        await countActiveSince(knex, SCOPE, '2024-01-01', '2025-01-03'),
      ).toBe(3);
      expect(
        await store.countActiveUsers(SCOPE, '2025-01-01', '2025-01-03'),
      ).toBe(2);
      // A range ending before someone's last day is not the histogram's to answer.
      expect(
        await countActiveSince(knex, SCOPE, '2024-01-01', '2025-01-02'),
      ).toBeUndefined();
      expect(
        await store.countActiveUsers(SCOPE, '2024-01-01', '2025-01-02'),
      ).toBe(3);
    },
  );

  it.each(databases.eachSupportedId())(
    'drop a person active on no day any more, and an erased one at once, on %p',
    async databaseId => {
      const { knex, store, write } = await create(databaseId);
      await write('2026-11-01', [row('2026-11-01', 1, '1.100.0')]);
      await write('2026-11-02', [
        row('2026-11-02', 2, '1.100.0'),
        row('2026-11-02', 3, '1.140.0'),
      ]);
      await store.rebuildTeamRollups(SCOPE, ['2026-11-01', '2026-11-02']);
      expect(
        await versionUsersSince(knex, SCOPE, '2026-11-01', '2026-11-30'),
      ).toEqual({
        people: 3,
        versions: expect.arrayContaining([
          expect.objectContaining({ version: '1.100.0', users: 2 }),
          expect.objectContaining({ version: '1.140.0', users: 1 }),
        ]),
      });
      expect(
        await versionUsersSince(knex, SCOPE, '2026-11-02', '2026-11-30'),
      ).toEqual({
        people: 2,
        versions: expect.arrayContaining([
          expect.objectContaining({ version: '1.100.0', users: 1 }),
          expect.objectContaining({ version: '1.140.0', users: 1 }),
        ]),
      });
      expect(
        await versionUsersSince(knex, SCOPE, '2026-11-01', '2026-11-01'),
      ).toBeUndefined();

      await write('2026-11-01', []);
      await store.rebuildTeamRollups(SCOPE, ['2026-11-01']);
      expect(await lastDays(knex)).toEqual({
        2: '2026-11-02',
        3: '2026-11-02',
      });
      await store.deleteUserRows('user-3', [3]);
      // Counted from the histograms without a rollup in between.
      expect(
        await countActiveSince(knex, SCOPE, '2026-11-01', '2026-11-30'),
      ).toBe(1);
      // The versions as user_client_latest holds them now, person 3 gone.
      const latest = await knex('user_client_latest').where({ scope: SCOPE });
      expect(latest.map(r => Number(r.user_id)).sort()).toEqual([1, 2]);
      const since = await versionUsersSince(
        knex,
        SCOPE,
        '2026-11-01',
        '2026-11-30',
      );
      expect(since?.people).toBe(2);
      expect(since?.versions.map(v => `${v.version}=${v.users}`)).toEqual(
        [
          ...latest.reduce(
            (n, r) => n.set(r.version, (n.get(r.version) ?? 0) + 1),
            new Map<string, number>(),
          ),
        ].map(([version, users]) => `${version}=${users}`),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'follow a member who left a team or stopped being active on a re-written day, on %p',
    async databaseId => {
      const { knex, store, writeTeams } = await create(databaseId);
      await writeTeams(
        '2024-12-31',
        [1, 2],
        [
          [1, 'alpha'],
          [2, 'alpha'],
          [2, 'beta'],
        ],
      );
      await writeTeams(
        '2025-01-02',
        [1, 2],
        [
          [1, 'alpha'],
          [2, 'alpha'],
          [2, 'beta'],
        ],
      );
      await store.rebuildTeamRollups(SCOPE, ['2024-12-31', '2025-01-02']);
      const teams = async (from: string) =>
        Object.fromEntries(
          [
            ...(await countTeamUsersSince(knex, SCOPE, from, '2025-12-31'))!,
          ].map(([slug, n]) => [slug, [n.active, n.member]]),
        );
      expect(await teams('2025-01-01')).toEqual({
        alpha: [2, 2],
        beta: [1, 1],
      });
      // 2025-01-02 again: person 2 left beta and was not active; person 1 stays.
      await writeTeams(
        '2025-01-02',
        [1],
        [
          [1, 'alpha'],
          [2, 'alpha'],
        ],
      );
      await store.rebuildTeamRollups(SCOPE, ['2025-01-02']);
      expect(
        (
          await knex('team_user_last')
            .where({ scope: SCOPE })
            .orderBy(['team_slug', 'user_id'])
        ).map(r => [
          r.team_slug,
          Number(r.user_id),
          r.member_day,
          r.active_day,
        ]),
      ).toEqual([
        ['alpha', 1, '2025-01-02', '2025-01-02'],
        ['alpha', 2, '2025-01-02', '2024-12-31'],
        ['beta', 2, '2024-12-31', '2024-12-31'],
      ]);
      // beta's one member was last there before the range.
      expect(await teams('2025-01-01')).toEqual({
        alpha: [1, 2],
        beta: [0, 0],
      });
      expect(await teams('2024-12-01')).toEqual({
        alpha: [2, 2],
        beta: [1, 1],
      });
      expect(
        await countTeamUsersSince(knex, SCOPE, '2024-12-01', '2025-01-01'),
      ).toBeUndefined();
      // An erased member leaves the histograms at once.
      await store.deleteUserRows('user-2', [2]);
      expect(await teams('2024-12-01')).toEqual({ alpha: [1, 1] });
    },
  );
});
