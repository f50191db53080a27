import { copilotUsagePermissionRules } from '@copilot-usage/backstage-plugin-copilot-usage-node';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GithubSimulator } from '@copilot-usage/github-simulator';
import express from 'express';
import { Knex } from 'knex';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { addDays, daysBetween } from '../lib/days';
import { SyncStatusReport } from '../service/SyncStatusReport';
import { createRouter } from '../service/router';
import { TeamDirectory } from '../service/TeamDirectory';
import { TeamHistoryEntry } from '../import/formats/historyFiles';
import { ImportService } from '../import/ImportService';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { CopilotUsageArchive } from './CopilotUsageArchive';
import { TestS3, unreachableBucket } from './__testUtils__/s3';
import { readReportLines } from '../store/operations/reportLines';
import {
  FIRST,
  PREFIX,
  SCOPE,
  SyncedArchive,
  TODAY,
  startSyncedArchive,
} from './__testUtils__/syncedArchive';

const teamRuleset = {
  getRuleByName: (name: string) =>
    Object.values(copilotUsagePermissionRules).find(rule => rule.name === name),
};

jest.setTimeout(120_000);

const LAST = '2026-11-19'; // today - 2
const REFRESHED = ['2026-11-17', '2026-11-18', '2026-11-19'];

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'S3 archive and restore (%s)',
  databaseId => {
    let simulator: GithubSimulator;
    let s3: TestS3;
    let knex: Knex;
    let store: DatabaseCopilotUsageStore;
    let archive: CopilotUsageArchive;
    const logger = mockServices.logger.mock();

    let harness: SyncedArchive;
    beforeAll(async () => {
      harness = await startSyncedArchive(
        databases,
        databaseId as TestDatabaseId,
      );
      ({ simulator, s3, knex, store, archive } = harness);
    });
    afterAll(() => harness.close());

    const sync = () => harness.sync();

    const getText = async (key: string) => {
      const body = await s3.bucket.get(key);
      if (!body) throw new Error(`no object ${key}`);
      return key.endsWith('.gz')
        ? gunzipSync(body).toString('utf8')
        : body.toString('utf8');
    };
    const lines = (text: string) => text.split('\n').filter(Boolean);

    function expectedKeys() {
      const reports = daysBetween(FIRST, LAST).flatMap(day =>
        [
          'organization-1-day',
          'repos-1-day',
          'user-teams-1-day',
          'users-1-day',
        ].map(report => `${PREFIX}org-acme/${report}/${day}.ndjson.gz`),
      );
      return [
        ...reports,
        `${PREFIX}org-acme/seats/${TODAY}.ndjson.gz`,
        `${PREFIX}org-acme/organisation_history.json`,
        `${PREFIX}org-acme/teams_history.json`,
      ].sort();
    }

    it('archives the report files as GitHub sent them, the seats and the history files', async () => {
      const syncSummary = await sync();
      expect(syncSummary.scopes[0].failed).toEqual([]);
      const [summary] = await archive.archive({ scopes: [SCOPE], logger });
      expect(summary).toEqual({
        scope: SCOPE,
        days: daysBetween(FIRST, LAST),
        seatsSnapshot: TODAY,
      });
      expect(await s3.bucket.list(PREFIX)).toEqual(expectedKeys());

      // Each report file holds the stored lines of that day, one per line.
      const users = lines(
        await getText(`${PREFIX}org-acme/users-1-day/${LAST}.ndjson.gz`),
      );
      const stored = await readReportLines(knex, SCOPE, LAST, 'users');
      expect(users).toEqual(stored);
      expect(users.length).toBe(
        Number(
          (await knex('user_day').where({ day: LAST }).count({ n: '*' }))[0].n,
        ),
      );
      expect(users.length).toBeGreaterThan(5);
      const memberships = lines(
        await getText(`${PREFIX}org-acme/user-teams-1-day/${LAST}.ndjson.gz`),
      ).map(line => JSON.parse(line));
      expect(memberships[0]).toEqual(
        expect.objectContaining({
          day: LAST,
          organization_id: expect.any(String),
          slug: expect.any(String),
          team_id: expect.any(Number),
        }),
      );
      const [aggregate] = lines(
        await getText(`${PREFIX}org-acme/organization-1-day/${LAST}.ndjson.gz`),
      ).map(line => JSON.parse(line));
      expect(aggregate).toMatchObject({
        day: LAST,
        daily_active_users: expect.any(Number),
      });
      const seats = lines(
        await getText(`${PREFIX}org-acme/seats/${TODAY}.ndjson.gz`),
      );
      expect(seats).toHaveLength(simulator.org.seats().length);

      // History files: one entry per team, days sorted and unique, figures as stored.
      const teams: TeamHistoryEntry[] = JSON.parse(
        await getText(`${PREFIX}org-acme/teams_history.json`),
      );
      const storedTeams = await store.listTeams(SCOPE);
      expect(teams.map(t => t.team.slug)).toEqual(
        storedTeams.map(t => t.teamSlug),
      );
      expect(teams[0].team).toEqual({
        name: teams[0].team.slug,
        slug: teams[0].team.slug,
        description: '',
        url: `https://github.com/orgs/acme/teams/${teams[0].team.slug}`,
      });
      for (const team of teams) {
        const dates = team.data.map(d => d.date);
        expect(dates).toEqual([...new Set(dates)].sort());
      }
      const [teamDay] = await store.getTeamDays(
        SCOPE,
        teams[0].team.slug,
        LAST,
        LAST,
      );
      expect(teams[0].data.find(d => d.date === LAST)).toEqual(
        expect.objectContaining({
          source: 'report',
          total_active_users: teamDay.activeUsers,
          member_count: teamDay.memberCount,
          user_initiated_interaction_count: teamDay.interactions,
          code_completion: expect.objectContaining({
            code_acceptance_activity_count: teamDay.completionAcceptances,
          }),
        }),
      );
      // Read with the ONS dashboard's (legacy team-metrics) field names only.
      const legacy: any = teams[0].data.find(d => d.date === LAST);
      const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
      const languages = legacy.copilot_ide_code_completions.editors.flatMap(
        (editor: any) => editor.models.flatMap((model: any) => model.languages),
      );
      expect(legacy.total_engaged_users).toBe(teamDay.activeUsers);
      expect(sum(languages.map((l: any) => l.total_code_suggestions))).toBe(
        teamDay.completionGenerations,
      );
      expect(sum(languages.map((l: any) => l.total_code_acceptances))).toBe(
        teamDay.completionAcceptances,
      );
      expect(sum(languages.map((l: any) => l.total_code_lines_accepted))).toBe(
        teamDay.completionLocAdded,
      );
      expect(teamDay.completionGenerations).toBeGreaterThan(0);
      expect(legacy.copilot_ide_chat.total_engaged_users).toBe(
        teamDay.chatUsers,
      );
      expect(
        sum(
          legacy.copilot_ide_chat.editors.flatMap((editor: any) =>
            editor.models.map((model: any) => model.total_chats),
          ),
        ),
      ).toBe(teamDay.interactions);
      expect(
        legacy.copilot_ide_code_completions.languages.length,
      ).toBeGreaterThan(0);
      const organisation = JSON.parse(
        await getText(`${PREFIX}org-acme/organisation_history.json`),
      );
      expect(organisation.map((d: { date: string }) => d.date)).toEqual(
        daysBetween(FIRST, LAST),
      );
      expect(organisation[organisation.length - 1]).toMatchObject({
        date: LAST,
        total_active_users: aggregate.daily_active_users,
        monthly_active_users: aggregate.monthly_active_users,
      });

      // Nothing new: the next archive step writes no day.
      const [again] = await archive.archive({ scopes: [SCOPE], logger });
      expect(again.days).toEqual([]);
    });

    it('replaces a re-synced day under the same keys, never duplicating a day', async () => {
      const before = await getText(
        `${PREFIX}org-acme/users-1-day/${LAST}.ndjson.gz`,
      );
      simulator.revise(LAST);
      await sync();
      const [summary] = await archive.archive({ scopes: [SCOPE], logger });
      expect(summary.days).toEqual(REFRESHED);
      expect(await s3.bucket.list(PREFIX)).toEqual(expectedKeys());
      const after = await getText(
        `${PREFIX}org-acme/users-1-day/${LAST}.ndjson.gz`,
      );
      expect(after).not.toEqual(before);
      expect(lines(after)).toEqual(
        await readReportLines(knex, SCOPE, LAST, 'users'),
      );
      const teams: TeamHistoryEntry[] = JSON.parse(
        await getText(`${PREFIX}org-acme/teams_history.json`),
      );
      for (const team of teams) {
        const dates = team.data.map(d => d.date);
        expect(dates).toEqual([...new Set(dates)].sort());
      }
    });

    it('an unreachable bucket fails only the archive step, with a status entry; the next run archives', async () => {
      const broken = new CopilotUsageArchive({
        bucket: unreachableBucket(),
        prefix: PREFIX,
        store,
      });
      simulator.revise(REFRESHED[0]);
      const syncSummary = await sync();
      expect(syncSummary.scopes[0].stored).toEqual(REFRESHED);
      const [failed] = await broken.archive({ scopes: [SCOPE], logger });
      expect(failed.days).toEqual([]);
      expect(failed.error).toMatch(
        /^Archive to s3:\/\/copilot-usage-archive\/copilot-usage\/ failed: /,
      );

      const metrics = new SyncStatusReport({
        store,
        organizations: ['acme'],
        now: () => new Date(`${TODAY}T09:00:00Z`),
      });
      const [status] = (await metrics.get()).scopes;
      expect(status.archive).toEqual({
        lastRunAt: expect.any(String),
        lastSuccessAt: expect.any(String),
        lastError: failed.error,
        daysPending: REFRESHED.length,
        importsPending: 0,
      });
      // The synced data is intact.
      expect(status.lastError).toBeNull();
      expect(await store.getCompleteDays(SCOPE, FIRST, LAST)).toEqual(
        daysBetween(FIRST, LAST),
      );

      const [retried] = await archive.archive({ scopes: [SCOPE], logger });
      expect(retried.error).toBeUndefined();
      expect(retried.days).toEqual(REFRESHED);
      const [recovered] = (await metrics.get()).scopes;
      expect(recovered.archive).toMatchObject({
        lastError: null,
        daysPending: 0,
      });
    });

    it('restores a fresh database from the archive alone: every metrics route answers the same', async () => {
      // Imported history before the reports, copied to the archive by the import.
      const imports = new ImportService({ store, archive, logger });
      const imported = await imports.importFile(
        JSON.stringify([
          legacyMetricsDay(addDays(FIRST, -2), 7),
          legacyMetricsDay(addDays(FIRST, -1), 9),
        ]),
        { file: 'copilotMetricsData.json', org: 'acme' },
      );
      expect(imported).toMatchObject({
        orgDays: 2,
        archiveKey: expect.stringMatching(
          /^copilot-usage\/imports\/org-acme\//,
        ),
      });
      const from = addDays(FIRST, -5);
      const before = await answers(store, simulator, from);
      expect(
        before['/orgs/acme/metrics'].days.map((d: any) => d.source),
      ).toEqual([
        'import',
        'import',
        ...daysBetween(FIRST, LAST).map(() => 'report'),
      ]);

      const freshKnex = await databases.init(databaseId as TestDatabaseId);
      try {
        const fresh = await DatabaseCopilotUsageStore.create({
          database: mockServices.database({ knex: freshKnex }),
        });
        expect(await fresh.listScopes()).toEqual([]);
        simulator.resetStats();
        const restoredArchive = new CopilotUsageArchive({
          bucket: s3.bucket,
          prefix: PREFIX,
          store: fresh,
        });
        const summary = await restoredArchive.restore({
          logger,
          imports: new ImportService({ store: fresh }),
        });
        expect(summary).toEqual({
          scopes: [
            { scope: SCOPE, days: 10, seatSnapshots: 1, skippedDays: [] },
          ],
          imports: [{ key: imported.archiveKey, orgDays: 2, teamDays: 0 }],
        });
        expect(simulator.stats.apiRequests).toBe(0);
        expect(simulator.stats.downloads).toBe(0);

        const after = await answers(fresh, simulator, from);
        expect(Object.keys(after).length).toBeGreaterThan(8);
        expect(after).toEqual(before);
        // What came from the archive needs no writing back.
        expect(await fresh.getDaysToArchive(SCOPE)).toEqual([]);
      } finally {
        await freshKnex.destroy();
      }
    });
  },
);

/** A legacy `/copilot/metrics` day with `users` active users. */
function legacyMetricsDay(date: string, users: number) {
  return {
    date,
    total_active_users: users,
    total_engaged_users: users - 1,
    copilot_ide_code_completions: {
      total_engaged_users: users - 1,
      editors: [
        {
          name: 'vscode',
          total_engaged_users: users - 1,
          models: [
            {
              name: 'default',
              total_engaged_users: users - 1,
              languages: [
                {
                  name: 'python',
                  total_engaged_users: users - 1,
                  total_code_suggestions: 100,
                  total_code_acceptances: 30,
                  total_code_lines_suggested: 150,
                  total_code_lines_accepted: 40,
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** Every metrics route's JSON (and the CSVs) for the synthetic org, as an admin and as its users. */
async function answers(
  store: CopilotUsageStore,
  simulator: GithubSimulator,
  from: string,
): Promise<Record<string, any>> {
  const catalog = catalogServiceMock({
    entities: simulator.org.catalogEntities() as any,
  });
  const auth = mockServices.auth();
  const router = await createRouter({
    logger: mockServices.logger.mock(),
    httpAuth: mockServices.httpAuth(),
    userInfo: mockServices.userInfo(),
    auth,
    permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    permissionsRegistry: mockServices.permissionsRegistry.mock({
      getPermissionRuleset: () => teamRuleset as any,
    }),
    catalog,
    store,
    teamDirectory: new TeamDirectory({
      catalog,
      auth,
      membership: store,
      organizations: ['acme'],
    }),
    config: { organizations: ['acme'], minTeamSize: 5 },
    triggerSync: async () => 'started',
    now: () => new Date(`${TODAY}T09:00:00Z`),
  });
  const app = express().use(router).use(mockErrorHandler());
  const range = `from=${from}&to=${LAST}`;
  const teams = (await store.listTeams(SCOPE)).map(t => t.teamSlug);
  const paths = [
    '/orgs/acme/metrics',
    `/orgs/acme/metrics?${range}`,
    `/orgs/acme/metrics?${range}&format=csv`,
    `/orgs/acme/teams?${range}`,
    '/orgs/acme/seats',
    '/teams',
    ...teams.flatMap(slug => [
      `/teams/default/${slug}/metrics?${range}`,
      `/teams/default/${slug}/metrics?${range}&format=csv`,
    ]),
  ];
  const result: Record<string, any> = {};
  const admin = mockCredentials.user.header('user:default/admin');
  for (const path of paths) {
    const response = await request(app).get(path).set('Authorization', admin);
    expect(response.status).toBe(200);
    result[path] = path.includes('csv') ? response.text : response.body;
  }
  for (const user of simulator.org.users.slice(0, 5)) {
    const response = await request(app)
      .get(`/me/metrics?${range}`)
      .set(
        'Authorization',
        mockCredentials.user.header(`user:default/${user.login}`),
      );
    expect(response.status).toBe(200);
    result[`/me/metrics as ${user.login}`] = response.body;
  }
  return result;
}
