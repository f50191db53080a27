import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { addDays, daysBetween } from '../lib/days';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { OrgMetrics } from './metrics/OrgMetrics';
import { TeamMetrics } from './metrics/TeamMetrics';
import { DayFixture, seedDays } from './testFixtures';

jest.setTimeout(120_000);

/*
 * Once more than the default 28 days are stored (a year's backfill, plus older days
 * from the archive or an import), the pages compare a range with the previous period
 * of the same length: both documents must be whole for 90 and 365 days.
 */
const LAST = '2026-11-30';
/** Two years: this year's 365 days and the 365 before. */
const STORED = daysBetween(addDays(LAST, -729), LAST);
const THIS_YEAR_FROM = addDays(LAST, -364);
const TEAM = {
  owner: { kind: 'org' as const, name: 'acme' },
  slug: 'platform',
  entityRef: 'group:default/platform',
  title: 'Platform',
};
// 6 members, 3 of them active every day: 2 interactions each this year, 1 before.
const DAYS: DayFixture[] = STORED.map(day => {
  const interactions = day >= THIS_YEAR_FROM ? 2 : 1;
  return {
    day,
    teams: { platform: [1, 2, 3, 4, 5, 6] },
    users: { 1: { interactions }, 2: { interactions }, 3: { interactions } },
    aggregate: { dailyActiveUsers: 3, interactions: 3 * interactions },
  };
});

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'period comparisons over a long stored window (%s)',
  databaseId => {
    let teams: TeamMetrics;
    let orgs: OrgMetrics;

    beforeAll(async () => {
      const knex = await databases.init(databaseId as TestDatabaseId);
      const store = await DatabaseCopilotUsageStore.create({
        database: mockServices.database({ knex }),
      });
      await seedDays(store, 'org:acme', DAYS);
      teams = new TeamMetrics({
        store,
        minTeamSize: 5,
        organizations: ['acme'],
      });
      orgs = new OrgMetrics({ store, minTeamSize: 5 });
    });

    const documentsOf = (from: string, to: string) =>
      Promise.all([
        teams.document(TEAM, { from, to }, { includeSuppressed: false }),
        orgs.document({ kind: 'org', name: 'acme' }, { from, to }),
      ]);

    it.each([
      // days, interactions a day in the range, in the previous period
      [90, 6, 6],
      [365, 6, 3],
    ])(
      'a %i-day range and the previous period of as many days are both whole',
      async (days, perDay, perDayBefore) => {
        const from = addDays(LAST, -(days - 1));
        const currents = await documentsOf(from, LAST);
        // The previous period as the pages ask for it: the same length, just before.
        const previouses = await documentsOf(
          addDays(from, -days),
          addDays(from, -1),
        );
        for (const [doc, interactions] of [
          ...currents.map(d => [d, perDay] as const),
          ...previouses.map(d => [d, perDayBefore] as const),
        ]) {
          expect(doc.eligible).toBe(true);
          expect(doc.coverage).toMatchObject({
            daysInRange: days,
            daysWithData: days,
          });
          expect(doc.days).toHaveLength(days);
          expect(doc.totals).toMatchObject({
            interactions: interactions * days,
            activeUsers: 3,
          });
        }
        const [current, previous] = [currents[0], previouses[0]];
        expect(previous.days[days - 1].day).toBe(addDays(from, -1));
        expect(current.days[0].day).toBe(from);
        // A team's 28-day window of distinct users reaches back into the period before.
        expect(previous.days[0].monthlyActiveUsers).toBe(3);
      },
    );

    it('a period before anything stored is no comparison, not an error', async () => {
      const from = addDays(STORED[0], -365);
      for (const before of await documentsOf(from, addDays(STORED[0], -1))) {
        expect(before.eligible).toBe(false);
        expect(before.coverage).toMatchObject({
          daysInRange: 365,
          daysWithData: 0,
        });
        expect(before.days).toEqual([]);
      }
    });
  },
);
