import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { emptyCounters } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { DatabaseCopilotUsageStore } from '../DatabaseCopilotUsageStore';
import { ClientVersionSample, UserDayRow } from '../types';
import { seededRandom } from '../../service/testFixtures';

jest.setTimeout(60_000);

const SCOPE = 'org:acme';

function row(
  day: string,
  userId: number,
  clientVersions: ClientVersionSample[],
  login = `user-${userId}`,
): UserDayRow {
  return {
    scope: SCOPE,
    day,
    userId,
    userLogin: login,
    ...emptyCounters(),
    usedChat: false,
    usedAgent: false,
    usedCli: false,
    clientVersions,
    raw: '{}',
  };
}

const vscode = (version: string): ClientVersionSample => ({
  client: 'vscode',
  version,
  plugin: 'copilot-chat',
  pluginVersion: version === '1.107.1' ? '0.35.3' : '0.42.0',
});
const cli = (version: string): ClientVersionSample => ({
  client: 'cli',
  version,
  plugin: '',
  pluginVersion: '',
});

describe('the client version intervals', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'keep one row per user and version, widened by each day, on %p',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseCopilotUsageStore.create({
        database: mockServices.database({ knex }),
      });
      // user 1 upgrades VS Code on the 12th and renames on the 13th; user 2 only uses the CLI.
      const days: Array<[string, UserDayRow[]]> = [
        [
          '2026-11-10',
          [row('2026-11-10', 1, [vscode('1.107.1'), cli('1.0.1')])],
        ],
        [
          '2026-11-11',
          [
            row('2026-11-11', 1, [vscode('1.107.1')]),
            row('2026-11-11', 2, [cli('1.0.2')]),
          ],
        ],
        ['2026-11-12', [row('2026-11-12', 1, [vscode('1.140.1')])]],
        ['2026-11-13', [row('2026-11-13', 1, [vscode('1.140.1')], 'renamed')]],
      ];
      const write = async (day: string, rows: UserDayRow[]) =>
        store.writeDay(SCOPE, day, async writer => {
          await writer.clearUserDays();
          await writer.insertUserDays(rows);
        });
      // Out of order and the 11th twice (a re-fetched trailing day): the same intervals.
      for (const [day, rows] of [days[2], days[0], days[3], days[1], days[1]]) {
        await write(day, rows);
      }
      // As every sync does: the latest intervals follow the rollups.
      await store.rebuildTeamRollups(
        SCOPE,
        days.map(([day]) => day),
      );
      const stored = await knex('user_client_version')
        .select(
          'user_id',
          'user_login',
          'client',
          'version',
          'first_day',
          'last_day',
        )
        .orderBy(['user_id', 'client', 'first_day']);
      expect(stored.map(r => ({ ...r, user_id: Number(r.user_id) }))).toEqual([
        {
          user_id: 1,
          user_login: 'user-1',
          client: 'cli',
          version: '1.0.1',
          first_day: '2026-11-10',
          last_day: '2026-11-10',
        },
        {
          user_id: 1,
          user_login: 'user-1',
          client: 'vscode',
          version: '1.107.1',
          first_day: '2026-11-10',
          last_day: '2026-11-11',
        },
        {
          user_id: 1,
          user_login: 'renamed',
          client: 'vscode',
          version: '1.140.1',
          first_day: '2026-11-12',
          last_day: '2026-11-13',
        },
        {
          user_id: 2,
          user_login: 'user-2',
          client: 'cli',
          version: '1.0.2',
          first_day: '2026-11-11',
          last_day: '2026-11-11',
        },
      ]);

      // The latest version per user and client of a range, not of all time.
      const latest = async (from: string, to: string) => {
        const summary = await store.getClientVersionSummary(
          SCOPE,
          from,
          to,
          {},
          {
            isFlagged: (client, version) =>
              client === 'vscode' && version === '1.140.1',
            withLogins: true,
          },
        );
        return {
          people: summary.people,
          versions: summary.versions
            .map(v => `${v.client}:${v.version}:${v.users}`)
            .sort(),
          flagged: [summary.flaggedPeople, summary.flaggedLogins],
        };
      };
      expect(await latest('2026-11-10', '2026-11-13')).toEqual({
        people: 2,
        versions: ['cli:1.0.1:1', 'cli:1.0.2:1', 'vscode:1.140.1:1'],
        flagged: [1, ['renamed']],
      });
      expect(await latest('2026-11-10', '2026-11-11')).toEqual({
        people: 2,
        versions: ['cli:1.0.1:1', 'cli:1.0.2:1', 'vscode:1.107.1:1'],
        flagged: [0, []],
      });
      expect(await latest('2026-11-12', '2026-11-30')).toEqual({
        people: 1,
        versions: ['vscode:1.140.1:1'],
        flagged: [1, ['renamed']],
      });

      // Erasing the person removes their intervals too, whatever login they had.
      await store.deleteUserRows('user-1', [1]);
      expect(
        (await knex('user_client_version').pluck('user_id')).map(Number),
      ).toEqual([2]);
      expect(
        (await knex('user_client_latest').pluck('user_id')).map(Number),
      ).toEqual([2]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'count the latest versions of any range as a recomputation from the days does, on %p',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseCopilotUsageStore.create({
        database: mockServices.database({ knex }),
      });
      const random = seededRandom(7);
      const days = Array.from(
        { length: 20 },
        (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`,
      );
      const versions = ['1.107.1', '1.120.0', '1.140.1', '1.141.0'];
      const pick = <T>(of: T[]) => of[Math.floor(random() * of.length)];
      // What each user reported each day: up and down versions, two of a client on a day.
      const reported = new Map<string, UserDayRow[]>();
      for (const day of days) {
        const rows: UserDayRow[] = [];
        for (let userId = 1; userId <= 12; userId++) {
          if (random() < 0.35) continue;
          const samples = [vscode(pick(versions))];
          if (random() < 0.2) samples.push(vscode(pick(versions)));
          if (random() < 0.5) samples.push(cli(pick(['1.0.1', '1.0.2'])));
          rows.push(row(day, userId, samples));
        }
        reported.set(day, rows);
      }
      // Written out of order, some days twice (GitHub revises trailing days).
      const order = [...days].sort(() => random() - 0.5);
      for (const day of [...order, ...order.slice(0, 5)]) {
        await store.writeDay(SCOPE, day, async writer => {
          await writer.clearUserDays();
          await writer.insertUserDays(reported.get(day)!);
        });
      }
      const intervals = new Map<
        string,
        {
          userId: number;
          sample: ClientVersionSample;
          first: string;
          last: string;
        }
      >();
      for (const day of days) {
        for (const r of reported.get(day)!) {
          for (const sample of r.clientVersions ?? []) {
            const id = [
              r.userId,
              sample.client,
              sample.version,
              sample.pluginVersion,
            ].join('/');
            const known = intervals.get(id);
            intervals.set(id, {
              userId: r.userId,
              sample,
              first: known && known.first < day ? known.first : day,
              last: known && known.last > day ? known.last : day,
            });
          }
        }
      }
      // One client flagged (people summed per version), two (counted distinct), and
      // with or without the logins; ranges ending today from the last days'
      // histograms (./lastDays), the others from the latest intervals and the ranking.
      const flaggings = [
        ['vscode:1.107.1'],
        ['vscode:1.107.1', 'vscode:1.120.0', 'cli:1.0.1'],
      ];
      const check = async (flaggedKeys: string[], withLogins: boolean) => {
        const isFlagged = (client: string, version: string) =>
          flaggedKeys.includes(`${client}:${version}`);
        for (const [from, to] of [
          ['2026-11-01', '2026-11-20'],
          ['2026-11-03', '2026-11-09'],
          ['2026-11-15', '2026-11-15'],
          ['2026-11-18', '2026-11-30'],
          ['2026-10-01', '2026-11-02'],
        ]) {
          // The documented model: per user and client, of the intervals (first and last
          // day a version was reported) that overlap the range, the one with the latest
          // last day, then the latest first day, then the highest version.
          const last = new Map<
            string,
            { userId: number; key: string; rank: string }
          >();
          for (const interval of intervals.values()) {
            if (interval.first > to || interval.last < from) continue;
            const id = `${interval.userId}/${interval.sample.client}`;
            const rank = [
              interval.last,
              interval.first,
              interval.sample.version,
              interval.sample.pluginVersion,
            ].join('\0');
            const known = last.get(id);
            if (!known || rank > known.rank) {
              last.set(id, {
                userId: interval.userId,
                key: `${interval.sample.client}:${interval.sample.version}`,
                rank,
              });
            }
          }
          const counts = new Map<string, number>();
          for (const { key } of last.values()) {
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
          const summary = await store.getClientVersionSummary(
            SCOPE,
            from,
            to,
            {},
            { isFlagged, withLogins },
          );
          expect({
            range: [from, to],
            people: summary.people,
            versions: summary.versions
              .map(v => `${v.client}:${v.version}=${v.users}`)
              .sort(),
            flagged: [summary.flaggedPeople, [...summary.flaggedLogins].sort()],
          }).toEqual({
            range: [from, to],
            people: new Set([...last.values()].map(l => l.userId)).size,
            versions: [...counts].map(([key, n]) => `${key}=${n}`).sort(),
            flagged: (() => {
              const ids = new Set(
                [...last.values()]
                  .filter(l => flaggedKeys.includes(l.key))
                  .map(l => l.userId),
              );
              return [
                ids.size,
                withLogins ? [...ids].map(id => `user-${id}`).sort() : [],
              ];
            })(),
          });
        }
      };
      await store.rebuildTeamRollups(SCOPE, days);
      for (const flaggedKeys of flaggings) {
        for (const withLogins of [true, false]) {
          await check(flaggedKeys, withLogins);
        }
      }
      // After the rollups a range ending today is read from the histograms.
      expect(
        Number((await knex('client_version_last_day').count({ n: '*' }))[0].n),
      ).toBeGreaterThan(0);
    },
  );
});
