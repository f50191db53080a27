/*
 * A person in two orgs: GitHub reports their activity in full in each org's
 * per-user report (and once in the enterprise's). "My usage" must count them
 * once, not once per org. Synced from the simulator into SQLite and PostgreSQL,
 * read through the service the `/me/metrics` route uses.
 */
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { UserDayRecord } from '@copilot-usage/github-simulator';
import { daysBetween } from '../lib/days';
import {
  FIRST,
  LAST,
  SyncHarness,
  startSyncHarness,
} from '../ingest/__testUtils__/syncHarness';
import { UserMetrics } from './metrics/UserMetrics';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ORGS = ['acme', 'acme-labs', 'acme-cloud'];
const ENTERPRISE = 'acme-corp';
const RANGE = { from: FIRST, to: LAST };
const DAYS = daysBetween(FIRST, LAST);

function countersOf(rows: UserDayRecord[]) {
  const total = { interactions: 0, codeGenerations: 0, locAdded: 0 };
  for (const row of rows) {
    total.interactions += row.user_initiated_interaction_count;
    total.codeGenerations += row.code_generation_activity_count;
    total.locAdded += row.loc_added_sum;
  }
  return total;
}

describe.each(databases.eachSupportedId())(
  'my usage of a person in two orgs (%s)',
  databaseId => {
    let harness: SyncHarness;
    let userMetrics: UserMetrics;

    beforeAll(async () => {
      harness = await startSyncHarness(databases, databaseId as TestDatabaseId);
      const summary = await harness
        .runner({ organizations: ORGS, enterprise: ENTERPRISE })
        .run({ logger: mockServices.logger.mock() });
      if (summary.scopes.some(s => s.failed.length > 0)) {
        throw new Error(`The sync failed: ${JSON.stringify(summary.scopes)}`);
      }
      userMetrics = new UserMetrics({
        store: harness.store,
        organizations: ORGS,
      });
    });
    afterAll(async () => {
      await harness?.close();
    });

    it('counts each day of the person once, as the enterprise report does, not once per org', async () => {
      const { enterprise } = harness.simulator;
      const enterpriseRows = (login: string) =>
        DAYS.flatMap(day =>
          enterprise.usersReport(day).filter(r => r.user_login === login),
        );
      const orgRows = (login: string) =>
        ORGS.flatMap(org =>
          DAYS.flatMap(day =>
            enterprise
              .org(org)!
              .usersReport(day)
              .filter(r => r.user_login === login),
          ),
        );
      // People in two orgs with activity in the range.
      const shared = enterprise.users.filter(
        u =>
          enterprise.orgsOf(u.id).length > 1 &&
          enterpriseRows(u.login).length > 0,
      );
      expect(shared.length).toBeGreaterThan(0);

      for (const person of shared) {
        const doc = await userMetrics.document(
          { entityRef: `user:default/${person.login}`, login: person.login },
          RANGE,
        );
        const once = enterpriseRows(person.login);
        // The org reports hold the person's rows once per org they are in...
        expect(orgRows(person.login).length).toBeGreaterThan(once.length);
        // ...the document one row per active day, with the day's figures once.
        expect(doc.days.map(d => d.day)).toEqual(once.map(r => r.day).sort());
        expect(doc.totals).toMatchObject({
          ...countersOf(once),
          activeUsers: 1,
          days: once.length,
        });
        for (const row of once) {
          const day = doc.days.find(d => d.day === row.day)!;
          expect(day.codeGenerations).toBe(row.code_generation_activity_count);
          expect(ORGS).toContain(day.org);
        }
      }
    });
  },
);
