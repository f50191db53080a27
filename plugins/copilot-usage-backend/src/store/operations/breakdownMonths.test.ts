import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ACTIVITY_COUNTER_KEYS } from '../../lib/counters';
import { daysBetween } from '../../lib/days';
import { ScopeKey } from '../../lib/scope';
import { DayFixture, seedDays, seededRandom } from '../../service/testFixtures';
import { BreakdownDimension } from '../types';
import { DatabaseCopilotUsageStore } from '../DatabaseCopilotUsageStore';
import { COUNTER_COLUMNS, DbRecord, toNumber } from '../records';

jest.setTimeout(120_000);

const SCOPE: ScopeKey = 'org:acme';
const DAYS = daysBetween('2026-07-20', '2026-10-22');
const SUBJECTS = ['org', 'team:alpha', 'team:beta'];
const KEYS: Array<[BreakdownDimension, string]> = [
  ['ide', 'vscode'],
  ['ide', 'jetbrains'],
  ['language', 'typescript'],
  ['language', 'Go'],
  ['model', 'gpt-4.1'],
];

/** Days with breakdowns of a random part of the subjects and keys. */
function generate(seed: number, days: string[]): DayFixture[] {
  const random = seededRandom(seed);
  const count = (high: number) => Math.floor(random() * (high + 1));
  return days.map(day => ({
    day,
    teams: { alpha: [1, 2, 3, 4, 5, 6], beta: [7, 8, 9, 10, 11] },
    users: { 1: { interactions: 1 } },
    breakdowns: SUBJECTS.filter(() => random() < 0.8).flatMap(subject =>
      KEYS.filter(() => random() < 0.7).map(([dimension, key]) => ({
        subject,
        dimension,
        key,
        users: count(40),
        ...Object.fromEntries(ACTIVITY_COUNTER_KEYS.map(k => [k, count(500)])),
      })),
    ),
  }));
}

/** The plain recomputation from the stored breakdown_day rows. */
async function expected(
  knex: Knex,
  subject: string,
  from: string,
  to: string,
  dimension?: string,
  onlyDays?: string[],
) {
  const rows: DbRecord[] = await knex('breakdown_day')
    .where({ scope: SCOPE, subject })
    .whereBetween('day', [from, to]);
  const totals = new Map<string, Record<string, any>>();
  for (const row of rows) {
    if (dimension && row.dimension !== dimension) continue;
    if (onlyDays && !onlyDays.includes(row.day)) continue;
    const id = `${row.dimension}/${row.key}`;
    const total = totals.get(id) ?? {
      dimension: row.dimension,
      key: row.key,
      users: 0,
      ...Object.fromEntries(ACTIVITY_COUNTER_KEYS.map(k => [k, 0])),
    };
    total.users = Math.max(total.users, toNumber(row.users));
    for (const k of ACTIVITY_COUNTER_KEYS) {
      total[k] += toNumber(row[COUNTER_COLUMNS[k]]);
    }
    totals.set(id, total);
  }
  const order = (a: string, b: string) => Number(a > b) - Number(a < b);
  return [...totals.values()].sort(
    (a, b) => order(a.dimension, b.dimension) || order(a.key, b.key),
  );
}

const RANGES = [
  ['2026-07-20', '2026-10-22'],
  ['2026-08-01', '2026-09-30'],
  ['2026-08-01', '2026-08-31'],
  ['2026-07-25', '2026-08-10'],
  ['2026-09-15', '2026-09-20'],
  ['2026-06-01', '2026-12-31'],
  ['2026-07-31', '2026-09-01'],
];

async function checkAll(knex: Knex, target: DatabaseCopilotUsageStore) {
  const random = seededRandom(99);
  // Days left out as a team page leaves out days below the minimum team size: none,
  // a few scattered ones, or whole stretches.
  const someDays = DAYS.filter(() => random() < 0.9);
  const noSeptember = DAYS.filter(day => !day.startsWith('2026-09'));
  for (const subject of SUBJECTS) {
    for (const [from, to] of RANGES) {
      for (const onlyDays of [undefined, someDays, noSeptember]) {
        for (const dimension of [undefined, 'language'] as const) {
          const got = await target.getBreakdownTotals(
            SCOPE,
            subject,
            from,
            to,
            dimension,
            onlyDays,
          );
          const want = await expected(
            knex,
            subject,
            from,
            to,
            dimension,
            onlyDays,
          );
          expect([subject, from, to, onlyDays?.length, dimension, got]).toEqual(
            [subject, from, to, onlyDays?.length, dimension, want],
          );
        }
      }
    }
  }
}

describe('breakdown_month: breakdown totals read whole months', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function create(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const target = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    return { knex, target };
  }

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    it('give the totals of a recomputation from breakdown_day', async () => {
      expect.hasAssertions();
      const { knex, target } = await create(databaseId);
      await seedDays(target, SCOPE, generate(1, DAYS));
      expect(
        Number((await knex('breakdown_month').count({ n: '*' }))[0].n),
      ).toBeGreaterThan(0);
      await checkAll(knex, target);
    });

    it('follow a re-written day and an imported one', async () => {
      expect.hasAssertions();
      const { knex, target } = await create(databaseId);
      await seedDays(target, SCOPE, generate(2, DAYS));
      await seedDays(
        target,
        SCOPE,
        generate(3, ['2026-08-06', '2026-09-10', '2026-09-30']),
      );
      await checkAll(knex, target);
      // A day without reports (an import never replaces one).
      const day = '2026-10-27';
      await target.writeImport(SCOPE, async writer => {
        await writer.replaceImportedDay({
          day,
          teams: [
            {
              scope: SCOPE,
              day,
              teamSlug: 'alpha',
              teamId: 1,
              memberCount: 9,
              activeUsers: 3,
              weeklyActiveUsers: 0,
              monthlyActiveUsers: 0,
              chatUsers: 0,
              agentUsers: 0,
              cliUsers: 0,
              ...Object.fromEntries(
                Object.keys(COUNTER_COLUMNS).map(k => [k, 0]),
              ),
            } as any,
          ],
          breakdowns: [
            {
              scope: SCOPE,
              day,
              subject: 'team:alpha',
              dimension: 'ide',
              key: 'vim',
              users: 999,
              ...Object.fromEntries(ACTIVITY_COUNTER_KEYS.map(k => [k, 7])),
            } as any,
          ],
        });
      });
      const october = await target.getBreakdownTotals(
        SCOPE,
        'team:alpha',
        '2026-10-01',
        '2026-10-31',
      );
      expect(october.find(row => row.key === 'vim')).toMatchObject({
        users: 999,
        interactions: 7,
      });
      await checkAll(knex, target);
    });

    it('are filled by the migration from the stored rows', async () => {
      const { knex, target } = await create(databaseId);
      await seedDays(target, SCOPE, generate(4, DAYS));
      const order = ['scope', 'subject', 'month', 'dimension', 'key'];
      const built = await knex('breakdown_month').orderBy(order);
      expect(built.length).toBeGreaterThan(0);
      await knex.schema.dropTable('breakdown_month');
      // eslint-disable-next-line @backstage/no-relative-monorepo-imports
      const migration = require('../../../migrations/20261226000000_breakdown_month.js');
      await migration.up(knex);
      expect(await knex('breakdown_month').orderBy(order)).toEqual(built);
    });
  });
});
