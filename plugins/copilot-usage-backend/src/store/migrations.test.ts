import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { readReportLines } from './operations/reportLines';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@copilot-usage/backstage-plugin-copilot-usage-backend',
  'migrations',
);

const MOVE = '20261224000000_report_lines.js';

const TABLES = [
  'user_day',
  'user_team_day',
  'aggregate_day',
  'breakdown_day',
  'team_day',
  'team_active_user_day',
  'team_user_year',
  'scope_user_year',
  'seat_snapshot',
  'ingestion_log',
  'sync_state',
  'report_lines',
  'scope_day',
  'breakdown_month',
  'user_client_latest',
  'team_month',
  'user_row_retention',
];

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'migrate up, down and up again on %p',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const tablesExist = async () =>
        Promise.all(TABLES.map(table => knex.schema.hasTable(table)));

      await knex.migrate.latest({ directory: migrationsDir });
      expect(await tablesExist()).toEqual(TABLES.map(() => true));
      await knex('sync_state').insert({ scope: 'org:acme', running: true });
      // primary keys hold (driver errors may come from another realm: match the message)
      await expect(
        knex('sync_state').insert({ scope: 'org:acme' }),
      ).rejects.toHaveProperty(
        'message',
        expect.stringMatching(/unique|duplicate/i),
      );

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      expect(await tablesExist()).toEqual(TABLES.map(() => false));

      await knex.migrate.latest({ directory: migrationsDir });
      expect(await tablesExist()).toEqual(TABLES.map(() => true));
      expect(
        Number((await knex('sync_state').count({ count: '*' }))[0].count),
      ).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'moves the raw lines of stored days into report_lines and back on %p',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const move = { directory: migrationsDir, name: MOVE };
      await knex.migrate.latest({ directory: migrationsDir });
      await knex.migrate.down(move);
      expect(await knex.schema.hasColumn('user_day', 'raw')).toBe(true);

      const userLine = (id: number, day: string) =>
        JSON.stringify({ user_id: id, day, future_field: { kept: id } });
      const sentLine = (day: string) =>
        `{"user_id":3,"day":"${day}","slug":"b-team","as":"sent"}`;
      const days = ['2026-11-01', '2026-11-02'];
      for (const day of days) {
        await knex('user_day').insert(
          [7, 3].map(id => ({
            scope: 'org:acme',
            day,
            user_id: id,
            user_login: `u${id}`,
            raw: userLine(id, day),
          })),
        );
        await knex('user_team_day').insert([
          {
            scope: 'org:acme',
            day,
            user_id: 3,
            user_login: 'u3',
            team_id: 1,
            team_slug: 'b-team',
            raw: sentLine(day),
          },
          // Stored before lines were kept.
          {
            scope: 'org:acme',
            day,
            user_id: 7,
            user_login: 'u7',
            team_id: 2,
            team_slug: 'a-team',
            raw: null,
          },
        ]);
      }

      await knex.migrate.latest({ directory: migrationsDir });
      expect(await knex.schema.hasColumn('user_day', 'raw')).toBe(false);
      expect(await knex.schema.hasColumn('user_team_day', 'raw')).toBe(false);
      for (const day of days) {
        expect(await readReportLines(knex, 'org:acme', day, 'users')).toEqual([
          userLine(3, day),
          userLine(7, day),
        ]);
        expect(
          await readReportLines(knex, 'org:acme', day, 'user-teams'),
        ).toEqual([
          JSON.stringify({
            user_id: 7,
            user_login: 'u7',
            day,
            team_id: 2,
            slug: 'a-team',
          }),
          sentLine(day),
        ]);
      }

      await knex.migrate.down(move);
      const back = await knex('user_day')
        .where({ day: days[1] })
        .orderBy('user_id');
      expect(back.map(row => row.raw)).toEqual([
        userLine(3, days[1]),
        userLine(7, days[1]),
      ]);
      const memberships = await knex('user_team_day')
        .where({ day: days[0] })
        .orderBy('team_slug');
      expect(memberships.map(row => row.raw)).toEqual([
        expect.stringContaining('"slug":"a-team"'),
        sentLine(days[0]),
      ]);
      expect(await knex.schema.hasTable('report_lines')).toBe(false);
    },
  );
});
