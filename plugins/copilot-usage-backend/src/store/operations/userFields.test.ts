import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { emptyCounters } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { DatabaseCopilotUsageStore } from '../DatabaseCopilotUsageStore';
import { ClientVersionSample, UserDayRow } from '../types';

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
      const latest = async (from: string, to: string) =>
        (await store.getLatestClientVersions(SCOPE, from, to))
          .map(v => `${v.userId}:${v.client}:${v.version}`)
          .sort();
      expect(await latest('2026-11-10', '2026-11-13')).toEqual([
        '1:cli:1.0.1',
        '1:vscode:1.140.1',
        '2:cli:1.0.2',
      ]);
      expect(await latest('2026-11-10', '2026-11-11')).toEqual([
        '1:cli:1.0.1',
        '1:vscode:1.107.1',
        '2:cli:1.0.2',
      ]);
      expect(await latest('2026-11-12', '2026-11-30')).toEqual([
        '1:vscode:1.140.1',
      ]);

      // Erasing the person removes their intervals too, whatever login they had.
      await store.deleteUserRows('user-1', [1]);
      expect(
        (await knex('user_client_version').pluck('user_id')).map(Number),
      ).toEqual([2]);
      await knex.destroy();
    },
  );
});
