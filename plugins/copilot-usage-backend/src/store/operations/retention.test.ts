import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DayFixture, seedDays } from '../../service/testFixtures';
import { DatabaseCopilotUsageStore } from '../DatabaseCopilotUsageStore';
import { UserRowRetention, applyRetention } from './retention';

jest.setTimeout(60_000);

const day = (date: string): DayFixture => ({
  day: date,
  teams: { platform: [1, 2, 3, 4, 5] },
  users: { 1: { interactions: 2 }, 2: { interactions: 1 } },
  aggregate: { dailyActiveUsers: 2, interactions: 3 },
});

const DAYS = ['2026-10-01', '2026-10-30', '2026-10-31', '2026-11-18'];
/** 2026-11-20 minus 20 days: 2026-10-31 is the first day kept. */
const NOW = new Date('2026-11-20T12:00:00Z');

describe('UserRowRetention', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function seeded(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    await seedDays(store, 'org:acme', DAYS.map(day));
    await seedDays(store, 'enterprise:acme-corp', DAYS.map(day));
    return { knex, store };
  }

  const daysOf = async (knex: Knex, table: string) =>
    (await knex(table).distinct('day').orderBy('day').pluck('day')) as string[];

  it.each(databases.eachSupportedId())(
    'deletes per-user rows older than userDays and keeps the rollups, on %p',
    async databaseId => {
      const { knex, store } = await seeded(databaseId);
      const teamDaysBefore = await store.getTeamDays(
        'org:acme',
        'platform',
        '2026-10-01',
        '2026-11-30',
      );
      const outcome = await new UserRowRetention(knex, {
        userDays: 20,
        now: () => NOW,
      }).apply();
      expect(outcome).toEqual({
        firstKeptDay: '2026-10-31',
        // Two days of two scopes: 2 users a day, 5 memberships a day, and the
        // lines of both reports.
        deleted: { user_day: 8, user_team_day: 20, report_lines: 8 },
      });
      for (const table of ['user_day', 'user_team_day', 'report_lines']) {
        expect(await daysOf(knex, table)).toEqual(['2026-10-31', '2026-11-18']);
      }
      for (const table of [
        'aggregate_day',
        'team_day',
        'team_active_user_day',
      ]) {
        expect(await daysOf(knex, table)).toEqual(DAYS);
      }
      // The team's figures of the old days are unchanged.
      expect(
        await store.getTeamDays(
          'org:acme',
          'platform',
          '2026-10-01',
          '2026-11-30',
        ),
      ).toEqual(teamDaysBefore);
      expect(
        await store.countTeamActiveUsers(
          'org:acme',
          'platform',
          '2026-10-01',
          '2026-10-30',
        ),
      ).toBe(2);
      // The sync does not fetch the deleted days again: they stay complete.
      expect(
        await store.getCompleteDays('org:acme', '2026-10-01', '2026-11-30'),
      ).toEqual(DAYS);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps everything without userDays, on %p',
    async databaseId => {
      const { knex } = await seeded(databaseId);
      const retention = new UserRowRetention(knex, { now: () => NOW });
      expect(retention.firstKeptDay()).toBeUndefined();
      expect(await retention.apply()).toBeUndefined();
      expect(await daysOf(knex, 'user_day')).toEqual(DAYS);
    },
  );
});

describe('applyRetention', () => {
  it('drops the cached reads and says what it deleted', async () => {
    const invalidate = jest.fn();
    const logger = mockServices.logger.mock();
    const retention = {
      apply: async () => ({
        firstKeptDay: '2026-10-31',
        deleted: { user_day: 8, user_team_day: 20, report_lines: 8 },
      }),
    } as unknown as UserRowRetention;
    await applyRetention(retention, { invalidate }, logger);
    expect(invalidate).toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      'Copilot usage retention: deleted per-user rows before 2026-10-31 (user_day 8, user_team_day 20, report_lines 8)',
    );
  });
});
