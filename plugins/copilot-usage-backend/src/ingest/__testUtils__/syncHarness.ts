import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  GithubSimulator,
  startGithubSimulator,
} from '@copilot-usage/github-simulator';
import { Knex } from 'knex';
import { gunzipSync } from 'node:zlib';
import { GithubCopilotClient } from '../../github/GithubCopilotClient';
import { ReportReader } from '../../github/ReportReader';
import { DatabaseCopilotUsageStore } from '../../store/DatabaseCopilotUsageStore';
import type { CopilotReportSource } from '../ReportFetcher';
import { SyncRunner } from '../SyncRunner';
import { SyncRunnerOptions } from '../syncTypes';

export const TODAY = '2026-11-21';
export const FIRST = '2026-11-10';
/** Today minus 2: the last day GitHub publishes. */
export const LAST = '2026-11-19';
const TOKEN = 'ghs_simulated-token';
const DATA_TABLES = [
  'user_day',
  'user_team_day',
  'aggregate_day',
  'breakdown_day',
  'team_day',
  'team_active_user_day',
  'report_lines',
  'scope_day',
  'team_month',
];

export type RunnerOverrides = Partial<SyncRunnerOptions['config']> & {
  /** Wraps the GitHub client, e.g. to stop a run at a given day. */
  github?: (client: CopilotReportSource) => CopilotReportSource;
};

/** The simulator, a migrated store and runners against both, for the sync tests. */
export interface SyncHarness {
  simulator: GithubSimulator;
  knex: Knex;
  store: DatabaseCopilotUsageStore;
  /** The runners' and the store's clock (pinned to TODAY 06:00 UTC); tests may move it. */
  clock: { now: Date };
  runner(overrides?: RunnerOverrides): SyncRunner;
  /** Every row of the data tables, sorted, to compare whole databases. */
  dump(): Promise<Record<string, unknown[]>>;
  /** Empties the data tables, the ingestion log and the sync state: a database never synced. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startSyncHarness(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<SyncHarness> {
  const simulator = await startGithubSimulator({
    users: 40,
    teams: 4,
    today: TODAY,
    historyDays: 40,
    token: TOKEN,
  });
  const knex = await databases.init(databaseId);
  const clock = { now: new Date(`${TODAY}T06:00:00Z`) };
  const store = await DatabaseCopilotUsageStore.create({
    database: mockServices.database({ knex }),
    clock: () => clock.now,
  });
  return {
    simulator,
    knex,
    store,
    clock,
    runner({ github: wrap, ...config } = {}) {
      const client = GithubCopilotClient.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              { host: 'github.com', apiBaseUrl: simulator.url, token: TOKEN },
            ],
          },
        }),
        { githubHost: 'github.com', msPerSecond: 2 },
      );
      return new SyncRunner({
        config: {
          organizations: ['acme'],
          backfillFrom: FIRST,
          refreshDays: 3,
          concurrency: 2,
          ...config,
        },
        store,
        github: wrap ? wrap(client) : client,
        reader: new ReportReader({ allowedHosts: ['127.0.0.1'] }),
        clock: () => clock.now,
      });
    },
    async dump() {
      const tables: Record<string, unknown[]> = {};
      for (const table of DATA_TABLES) {
        const rows = await knex(table).select();
        // GitHub's lines as text: a difference then reads as the lines that differ.
        for (const row of table === 'report_lines' ? rows : []) {
          row.gzip = gunzipSync(row.gzip).toString('utf8');
        }
        tables[table] = rows
          .map(row => JSON.stringify(row, Object.keys(row).sort()))
          .sort();
      }
      return tables;
    },
    async reset() {
      for (const table of [...DATA_TABLES, 'ingestion_log', 'sync_state']) {
        await knex(table).delete();
      }
    },
    async close() {
      await simulator.close();
      await knex.destroy();
    },
  };
}
