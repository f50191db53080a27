import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { GithubSimulator, reposReport } from '@copilot-usage/github-simulator';
import { Knex } from 'knex';
import { gunzipSync } from 'node:zlib';
import { CopilotUsageArchive } from '../archive/CopilotUsageArchive';
import { startTestS3, TestS3 } from '../archive/__testUtils__/s3';
import { GithubAccessError } from '../github/errors';
import { ImportService } from '../import/ImportService';
import { daysBetween } from '../lib/days';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import type { CopilotReportSource } from './ReportFetcher';
import {
  FIRST,
  LAST,
  SyncHarness,
  startSyncHarness,
} from './__testUtils__/syncHarness';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** The simulator's rows of the day recomputed as the columns the plugin stores. */
function expectedRows(simulator: GithubSimulator, day: string) {
  return reposReport([simulator.org], day, 'organization')
    .map(row => {
      const times = row.pull_request_review_times[0];
      return {
        day,
        repo_id: row.repo_id,
        repo_slug: `${row.repo_owner_name}/${row.repo_name}`,
        prs_created: row.pull_requests.total_created,
        prs_merged: row.pull_requests.total_merged,
        prs_reviewed: row.pull_requests.total_reviewed,
        agent_created: row.pull_requests.total_created_by_copilot,
        agent_merged: row.pull_requests.total_merged_created_by_copilot,
        code_review_reviewed: row.pull_requests.total_reviewed_by_copilot,
        suggestions: row.pull_requests.copilot_suggestions_by_comment_type
          .map(e => e.total_suggestions)
          .reduce((a, b) => a + b, 0),
        review_merged: times?.total_merged ?? null,
        median_ready_to_first_review:
          times?.median_minutes_ready_to_first_review ?? null,
        p90_final_review_to_merge:
          times?.p90_minutes_final_review_to_merge ?? null,
        raw: JSON.stringify(row),
      };
    })
    .sort((a, b) => a.repo_id - b.repo_id);
}

async function storedRows(knex: Knex, day: string) {
  const records = await knex('repo_day')
    .where({ scope: 'org:acme', day })
    .orderBy('repo_id');
  return records.map(r => ({
    day: r.day,
    repo_id: Number(r.repo_id),
    repo_slug: r.repo_slug,
    prs_created: r.prs_created,
    prs_merged: r.prs_merged,
    prs_reviewed: r.prs_reviewed,
    agent_created: r.agent_created,
    agent_merged: r.agent_merged,
    code_review_reviewed: r.code_review_reviewed,
    suggestions: r.suggestions,
    review_merged: r.review_merged,
    median_ready_to_first_review:
      r.median_ready_to_first_review === null
        ? null
        : Number(r.median_ready_to_first_review),
    p90_final_review_to_merge:
      r.p90_final_review_to_merge === null
        ? null
        : Number(r.p90_final_review_to_merge),
    raw: r.raw,
  }));
}

/** The client, but GitHub answers 404 to repos-1-day (a GitHub without that report). */
const withoutReposReport =
  (status = 404) =>
  (client: CopilotReportSource): CopilotReportSource => ({
    getReportLinks: async (scope, report, day) => {
      if (report === 'repos') {
        throw new GithubAccessError(
          status,
          'GET /orgs/{org}/copilot/metrics/reports/repos-1-day',
          'Not Found',
          scope,
        );
      }
      return client.getReportLinks(scope, report, day);
    },
    listSeats: scope => client.listSeats(scope),
  });

describe.each(databases.eachSupportedId())(
  'repos-1-day sync (%s)',
  databaseId => {
    let harness: SyncHarness;
    let simulator: GithubSimulator;
    let knex: Knex;
    let store: DatabaseCopilotUsageStore;
    const logger = mockServices.logger.mock();

    beforeAll(async () => {
      harness = await startSyncHarness(databases, databaseId as TestDatabaseId);
      ({ simulator, knex, store } = harness);
    });
    afterAll(() => harness.close());
    beforeEach(async () => {
      simulator.clearFaults();
      await harness.reset();
      await knex('repo_day').delete();
    });

    it('stores every repository row of every day, equal to the simulator’s report, with the raw line', async () => {
      const summary = await harness.runner().run({ logger });
      expect(summary.scopes[0].failed).toEqual([]);
      let rows = 0;
      for (const day of daysBetween(FIRST, LAST)) {
        const expected = expectedRows(simulator, day);
        expect(await storedRows(knex, day)).toEqual(expected);
        rows += expected.length;
      }
      expect(rows).toBeGreaterThan(20);
      const log = await store.getIngestionLog('org:acme', FIRST, LAST);
      expect(log.filter(e => e.report === 'repos')).toHaveLength(10);
      expect(
        log
          .filter(e => e.report === 'repos')
          .every(e => e.status === 'complete'),
      ).toBe(true);
    });

    it('sums a range per repository and weights the review minutes by merged pull requests', async () => {
      await harness.runner().run({ logger });
      const totals = await store.getRepoTotals('org:acme', FIRST, LAST);
      const days = daysBetween(FIRST, LAST);
      const all = days.flatMap(day =>
        reposReport([simulator.org], day, 'organization'),
      );
      const slugs = [...new Set(all.map(r => `acme/${r.repo_name}`))].sort();
      expect(totals.map(t => t.repoSlug)).toEqual(slugs);
      for (const total of totals) {
        const mine = all.filter(r => `acme/${r.repo_name}` === total.repoSlug);
        expect(total.totals.activeDays).toBe(mine.length);
        expect(total.totals.prsCreated).toBe(
          mine.reduce((s, r) => s + r.pull_requests.total_created, 0),
        );
        expect(total.totals.agentMerged).toBe(
          mine.reduce(
            (s, r) => s + r.pull_requests.total_merged_created_by_copilot,
            0,
          ),
        );
        const timed = mine.flatMap(r => r.pull_request_review_times);
        const merged = timed.reduce((s, t) => s + t.total_merged, 0);
        const weighted =
          merged === 0
            ? null
            : Math.round(
                (timed.reduce(
                  (s, t) =>
                    s + t.median_minutes_ready_to_first_review * t.total_merged,
                  0,
                ) /
                  merged) *
                  10,
              ) / 10;
        expect(total.totals.reviewMerged).toBe(merged === 0 ? null : merged);
        expect(total.totals.medianReadyToFirstReview).toBe(weighted);
      }
      const one = await store.getRepoTotals('org:acme', FIRST, LAST, [
        'ACME/Payments-API',
      ]);
      expect(one.map(t => t.repoSlug)).toEqual(['acme/payments-api']);
      expect(
        (await store.getRepoDays('org:acme', 'Acme/Payments-Api', FIRST, LAST))
          .length,
      ).toBe(one[0].totals.activeDays);
    });

    it('keeps the stored day as it was when a repos file is malformed (all or nothing)', async () => {
      await harness.runner().run({ logger });
      const day = LAST;
      const before = await harness.dump();
      const repoBefore = await storedRows(knex, day);
      simulator.inject({
        kind: 'malformed',
        report: 'repos-1-day',
        day,
        times: 10,
      });
      simulator.revise(day);
      const summary = await harness.runner().run({ logger });
      expect(summary.scopes[0].failed).toEqual([
        { day, error: expect.stringMatching(/^repos report: /) },
      ]);
      expect(await harness.dump()).toEqual(before);
      expect(await storedRows(knex, day)).toEqual(repoBefore);
      const log = await store.getIngestionLog('org:acme', day, day);
      expect(log.find(e => e.report === 'repos')?.status).toBe('complete');
    });

    it('stores a day complete without repository rows when GitHub answers 404 for repos-1-day, but fails it on a 403', async () => {
      const summary = await harness
        .runner({ github: withoutReposReport(404) })
        .run({ logger });
      expect(summary.scopes[0].failed).toEqual([]);
      expect(summary.scopes[0].stored).toEqual(daysBetween(FIRST, LAST));
      expect(Number((await knex('repo_day').count({ n: '*' }))[0].n)).toBe(0);
      const log = await store.getIngestionLog('org:acme', LAST, LAST);
      expect(log.find(e => e.report === 'repos')?.status).toBe('no_data');
      expect(await store.getCompleteDays('org:acme', FIRST, LAST)).toEqual(
        daysBetween(FIRST, LAST),
      );

      await harness.reset();
      const refused = await harness
        .runner({ github: withoutReposReport(403) })
        .run({ logger });
      expect(refused.scopes[0].failed.length).toBeGreaterThan(0);
      expect(await store.getCompleteDays('org:acme', FIRST, LAST)).toEqual([]);
    });

    describe('archive', () => {
      let s3: TestS3;
      beforeAll(async () => {
        s3 = await startTestS3();
      });
      afterAll(() => s3.close());

      it('archives the repos file of each day and restores it into an empty database', async () => {
        await harness.runner().run({ logger });
        const archive = new CopilotUsageArchive({
          bucket: s3.bucket,
          prefix: 'repos-test/',
          store,
        });
        await archive.archive({ scopes: ['org:acme'], logger });
        const key = `repos-test/org-acme/repos-1-day/${LAST}.ndjson.gz`;
        const body = await s3.bucket.get(key);
        expect(body).toBeDefined();
        const lines = gunzipSync(body!).toString('utf8').trim().split('\n');
        expect(lines).toEqual(expectedRows(simulator, LAST).map(r => r.raw));

        const freshKnex = await databases.init(databaseId as TestDatabaseId);
        try {
          const fresh = await DatabaseCopilotUsageStore.create({
            database: mockServices.database({ knex: freshKnex }),
          });
          await new CopilotUsageArchive({
            bucket: s3.bucket,
            prefix: 'repos-test/',
            store: fresh,
          }).restore({ logger, imports: new ImportService({ store: fresh }) });
          for (const day of daysBetween(FIRST, LAST)) {
            expect(await storedRows(freshKnex, day)).toEqual(
              await storedRows(knex, day),
            );
          }
          expect(
            (await fresh.getIngestionLog('org:acme', LAST, LAST)).find(
              e => e.report === 'repos',
            ),
          ).toMatchObject({ status: 'complete', source: 'archive' });
        } finally {
          await freshKnex.destroy();
        }
      });
    });
  },
);
