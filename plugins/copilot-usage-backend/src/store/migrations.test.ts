import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@copilot-usage/backstage-plugin-copilot-usage-backend',
  'migrations',
);

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
});
