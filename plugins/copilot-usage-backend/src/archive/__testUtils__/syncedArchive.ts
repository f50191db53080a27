import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  GithubSimulator,
  startGithubSimulator,
} from '@copilot-usage/github-simulator';
import { Knex } from 'knex';
import { GithubCopilotClient } from '../../github/GithubCopilotClient';
import { ReportReader } from '../../github/ReportReader';
import { SyncRunner } from '../../ingest/SyncRunner';
import { DatabaseCopilotUsageStore } from '../../store/DatabaseCopilotUsageStore';
import { CopilotUsageArchive } from '../CopilotUsageArchive';
import { TestS3, startTestS3 } from './s3';

/** The simulated org the archive tests sync: 30 users, 3 teams, 20 days of history. */
export const TODAY = '2026-11-21';
export const FIRST = '2026-11-10';
export const TOKEN = 'ghs_simulated-token';
export const PREFIX = 'copilot-usage/';
export const SCOPE = 'org:acme';

/** A database, the GitHub simulator, an S3 server on loopback and an archive over them. */
export interface SyncedArchive {
  simulator: GithubSimulator;
  s3: TestS3;
  knex: Knex;
  store: DatabaseCopilotUsageStore;
  archive: CopilotUsageArchive;
  /** Syncs org `acme` from {@link FIRST} on the day {@link TODAY}. */
  sync(): ReturnType<SyncRunner['run']>;
  close(): Promise<void>;
}

export async function startSyncedArchive(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<SyncedArchive> {
  const simulator = await startGithubSimulator({
    users: 30,
    teams: 3,
    today: TODAY,
    historyDays: 20,
    token: TOKEN,
  });
  const s3 = await startTestS3();
  const knex = await databases.init(databaseId);
  const store = await DatabaseCopilotUsageStore.create({
    database: mockServices.database({ knex }),
  });
  const archive = new CopilotUsageArchive({
    bucket: s3.bucket,
    prefix: PREFIX,
    store,
  });
  const logger = mockServices.logger.mock();
  return {
    simulator,
    s3,
    knex,
    store,
    archive,
    sync: () =>
      new SyncRunner({
        config: {
          organizations: ['acme'],
          backfillFrom: FIRST,
          refreshDays: 3,
          concurrency: 2,
        },
        store,
        github: GithubCopilotClient.fromConfig(
          new ConfigReader({
            integrations: {
              github: [
                { host: 'github.com', apiBaseUrl: simulator.url, token: TOKEN },
              ],
            },
          }),
          { githubHost: 'github.com', msPerSecond: 2 },
        ),
        reader: new ReportReader({ allowedHosts: ['127.0.0.1'] }),
        clock: () => new Date(`${TODAY}T06:00:00Z`),
      }).run({ logger }),
    close: async () => {
      await simulator.close();
      await s3.close();
      await knex.destroy();
    },
  };
}
