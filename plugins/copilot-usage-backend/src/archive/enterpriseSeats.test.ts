import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { createSyntheticEnterprise } from '@copilot-usage/github-simulator';
import { gunzipSync } from 'node:zlib';
import { ImportService } from '../import/ImportService';
import { parseSeat } from '../ingest/parseRows';
import { mergeSeatsByLogin } from '../ingest/seatGrants';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { SeatRow } from '../store/types';
import { CopilotUsageArchive } from './CopilotUsageArchive';
import { startTestS3, TestS3 } from './__testUtils__/s3';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const SCOPE = 'enterprise:acme-corp';
const DAY = '2026-11-19';
const PREFIX = 'copilot-usage/';

describe.each(databases.eachSupportedId())(
  "The enterprise's seats in the archive (%s)",
  databaseId => {
    let s3: TestS3;
    beforeAll(async () => {
      s3 = await startTestS3();
    });
    afterAll(() => s3.close());

    const storeOn = async () =>
      DatabaseCopilotUsageStore.create({
        database: mockServices.database({
          knex: await databases.init(databaseId as TestDatabaseId),
        }),
      });

    it("archives each of GitHub's seat objects and restores one row per person", async () => {
      const enterprise = createSyntheticEnterprise({ today: '2026-11-21' });
      const objects = JSON.parse(JSON.stringify(enterprise.seats()));
      const rows = mergeSeatsByLogin(
        objects
          .map((seat: unknown) => parseSeat(seat, SCOPE, DAY))
          .filter(
            (row: SeatRow | undefined): row is SeatRow => row !== undefined,
          ),
      );
      expect(rows).toHaveLength(enterprise.seatHolders());
      const store = await storeOn();
      await store.replaceSeats(SCOPE, DAY, rows);
      const logger = mockServices.logger.mock();
      const archive = new CopilotUsageArchive({
        bucket: s3.bucket,
        prefix: PREFIX,
        store,
      });
      const [summary] = await archive.archive({ scopes: [SCOPE], logger });
      expect(summary.seatsSnapshot).toBe(DAY);

      const body = await s3.bucket.get(
        `${PREFIX}enterprise-acme-corp/seats/${DAY}.ndjson.gz`,
      );
      const lines = gunzipSync(body!)
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
      // Every seat object, as GitHub sent it: a person in two orgs on two lines.
      expect(lines).toHaveLength(objects.length);
      expect(lines.map(line => JSON.parse(line)).sort(byLoginAndOrg)).toEqual(
        [...objects].sort(byLoginAndOrg),
      );

      const fresh = await storeOn();
      await new CopilotUsageArchive({
        bucket: s3.bucket,
        prefix: PREFIX,
        store: fresh,
      }).restore({ logger, imports: new ImportService({ store: fresh }) });
      const byLogin = (a: SeatRow, b: SeatRow) =>
        a.userLogin.localeCompare(b.userLogin);
      expect([...(await fresh.getLatestSeats(SCOPE))].sort(byLogin)).toEqual(
        [...(await store.getLatestSeats(SCOPE))].sort(byLogin),
      );
    });
  },
);

type SeatObject = {
  assignee: { login: string };
  organization: { login: string };
};
function byLoginAndOrg(a: SeatObject, b: SeatObject) {
  return (
    a.assignee.login.localeCompare(b.assignee.login) ||
    a.organization.login.localeCompare(b.organization.login)
  );
}
