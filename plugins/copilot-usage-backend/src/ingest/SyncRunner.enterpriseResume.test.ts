import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { CopilotReportSource } from './ReportFetcher';
import { SyncHarness, startSyncHarness } from './__testUtils__/syncHarness';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ENTERPRISE = { organizations: [], enterprise: 'acme-corp' };

describe.each(databases.eachSupportedId())(
  'an enterprise backfill killed half-way (%s)',
  databaseId => {
    let harness: SyncHarness;
    const logger = mockServices.logger.mock();

    beforeAll(async () => {
      harness = await startSyncHarness(databases, databaseId as TestDatabaseId);
    });
    afterAll(async () => {
      await harness?.close();
    });

    it('resumes and ends with the same tables as an uninterrupted one', async () => {
      await harness.runner(ENTERPRISE).run({ logger });
      const uninterrupted = await harness.dump();
      expect(uninterrupted.user_team_day.length).toBeGreaterThan(0);
      await harness.reset();

      const stop = new AbortController();
      const stopAt = (client: CopilotReportSource): CopilotReportSource => ({
        listSeats: scope => client.listSeats(scope),
        getReportLinks: (scope, report, day) => {
          if (day === '2026-11-14') stop.abort();
          return client.getReportLinks(scope, report, day);
        },
      });
      const runner = harness.runner({ ...ENTERPRISE, github: stopAt });
      await runner.requestRun();
      const stopped = await runner.runUnit({ logger, signal: stop.signal });
      expect(stopped.scopes[0]).toMatchObject({ aborted: true });
      expect(await harness.dump()).not.toEqual(uninterrupted);

      const resumed = await harness.runner(ENTERPRISE).runUnit({ logger });
      expect(resumed.scopes[0]).toMatchObject({ finished: true, failed: [] });
      expect(await harness.dump()).toEqual(uninterrupted);
    });
  },
);
