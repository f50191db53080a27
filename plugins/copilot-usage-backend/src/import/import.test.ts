import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OrgMetrics } from '../service/metrics/OrgMetrics';
import { TeamMetrics } from '../service/metrics/TeamMetrics';
import { countRows, seedDays } from '../service/testFixtures';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { organisationHistoryDay } from './formats/historyFiles';
import { ImportService } from './ImportService';
import { ImportFileError } from './parseImportFile';

jest.setTimeout(60_000);

const SCOPE = 'org:acme';
const RANGE = { from: '2026-11-10', to: '2026-11-19' };
const fixture = (name: string) =>
  readFileSync(join(__dirname, '__fixtures__', name), 'utf8');

const members = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'import of existing history (%s)',
  databaseId => {
    let knex: Knex;
    let store: DatabaseCopilotUsageStore;
    let importer: ImportService;
    let metrics: { org: OrgMetrics; teams: TeamMetrics };
    const platform = {
      owner: { kind: 'org' as const, name: 'acme' },
      slug: 'platform',
      entityRef: 'group:default/platform',
      title: 'Platform',
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
      store = await DatabaseCopilotUsageStore.create({
        database: mockServices.database({ knex }),
      });
      // Report data on the last two days.
      await seedDays(store, SCOPE, [
        {
          day: '2026-11-18',
          teams: { platform: members(1, 6) },
          users: { 1: { interactions: 5 }, 2: { interactions: 3 } },
          aggregate: { dailyActiveUsers: 2, interactions: 8 },
        },
        {
          day: '2026-11-19',
          teams: { platform: members(1, 6) },
          users: { 1: { interactions: 1 } },
          aggregate: { dailyActiveUsers: 1, interactions: 1 },
        },
      ]);
      importer = new ImportService({ store });
      const options = { store, minTeamSize: 5, organizations: ['acme'] };
      metrics = {
        org: new OrgMetrics({
          ...options,
          now: () => new Date('2026-11-21T09:00:00Z'),
        }),
        teams: new TeamMetrics(options),
      };
    });
    afterAll(async () => {
      await knex.destroy();
    });

    it('imports legacy /copilot/metrics days into the org, deduplicated by date', async () => {
      const summary = await importer.importFile(
        fixture('copilotMetricsData.json'),
        {
          file: 'copilotMetricsData.json',
          org: 'acme',
        },
      );
      expect(summary).toEqual({
        file: 'copilotMetricsData.json',
        format: 'metrics-days',
        scope: SCOPE,
        orgDays: 3,
        teamDays: 0,
        teams: 0,
        unknownTeams: [],
        skippedReportDays: [],
        firstDay: '2026-11-14',
        lastDay: '2026-11-16',
      });
      const document = await metrics.org.document(
        { kind: 'org', name: 'acme' },
        RANGE,
      );
      const days = Object.fromEntries(document.days.map(d => [d.day, d]));
      // The later 2026-11-14 entry of the file wins.
      expect(days['2026-11-14']).toMatchObject({
        source: 'import',
        activeUsers: 11,
        codeGenerations: 110,
        codeAcceptances: 33,
        locSuggestedToAdd: 160,
        locAdded: 45,
        completionGenerations: 110,
        completionAcceptances: 33,
        // IDE chats only; github.com chat has no counterpart in the reports.
        interactions: 22,
        locDeleted: 0,
      });
      expect(days['2026-11-18']).toMatchObject({
        source: 'report',
        activeUsers: 2,
      });
      expect(document.breakdowns.language.map(b => b.key).sort()).toEqual([
        'python',
        'typescript',
      ]);
      expect(
        document.breakdowns.ide.find(b => b.key === 'JetBrains'),
      ).toMatchObject({
        codeGenerations: 90,
        interactions: 18,
      });
      expect(document.breakdowns.feature.map(b => b.key).sort()).toEqual([
        'chat',
        'code_completion',
      ]);
    });

    it('imports legacy /copilot/usage days into the org', async () => {
      const summary = await importer.importFile(fixture('copilotUsage.json'), {
        file: 'copilotUsage.json',
        org: 'acme',
      });
      expect(summary).toMatchObject({ format: 'usage-days', orgDays: 2 });
      const document = await metrics.org.document(
        { kind: 'org', name: 'acme' },
        RANGE,
      );
      expect(document.days.find(d => d.day === '2026-11-12')).toMatchObject({
        source: 'import',
        activeUsers: 10,
        codeGenerations: 1000,
        codeAcceptances: 800,
        locSuggestedToAdd: 1800,
        locAdded: 1200,
        interactions: 200,
      });
      expect(
        document.breakdowns.language.find(b => b.key === 'ruby'),
      ).toMatchObject({
        codeGenerations: 700,
        locAdded: 500,
        peakDailyUsers: 6,
      });
      // Imported history and reports in one continuous series.
      expect(document.days.map(d => `${d.day} ${d.source}`)).toEqual([
        '2026-11-12 import',
        '2026-11-13 import',
        '2026-11-14 import',
        '2026-11-15 import',
        '2026-11-16 import',
        '2026-11-18 report',
        '2026-11-19 report',
      ]);
    });

    it('imports teams_history.json into the teams, never over report days', async () => {
      const before = await store.getTeamDays(
        SCOPE,
        'platform',
        '2026-11-18',
        '2026-11-19',
      );
      // The file names a team ('data') the org's membership reports do not list:
      // refused by default, naming it, and nothing is stored.
      const rows = await countRows(knex);
      await expect(
        importer.importFile(fixture('teams_history.json'), {
          file: 'teams_history.json',
          org: 'acme',
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /^Cannot import teams_history\.json: org:acme has no team 'data' in its membership reports \(known teams: platform\); nothing was imported\. .*unknownTeams=keep/,
        ),
      });
      expect(await countRows(knex)).toEqual(rows);

      // Asked to keep them: stored under their slugs, and the answer says which.
      const summary = await importer.importFile(fixture('teams_history.json'), {
        file: 'teams_history.json',
        org: 'acme',
        unknownTeams: 'keep',
      });
      expect(summary).toMatchObject({
        format: 'teams-history',
        orgDays: 0,
        teamDays: 4,
        teams: 2,
        unknownTeams: ['data'],
        skippedReportDays: ['2026-11-18'],
      });
      expect(
        await store.getTeamDays(SCOPE, 'platform', '2026-11-18', '2026-11-19'),
      ).toEqual(before);

      const admin = await metrics.teams.document(platform, RANGE, {
        includeSuppressed: true,
      });
      expect(admin.days.map(d => `${d.day} ${d.source}`)).toEqual([
        '2026-11-15 import',
        '2026-11-16 import',
        '2026-11-17 import',
        '2026-11-18 report',
        '2026-11-19 report',
      ]);
      expect(admin.days[1]).toMatchObject({
        activeUsers: 7,
        memberCount: 7,
        codeGenerations: 70,
        chatUsers: 3,
        interactions: 11,
      });
      // The legacy files list no members: the active users stand in, so small days stay private.
      const data = {
        ...platform,
        slug: 'data',
        entityRef: 'group:default/data',
      };
      const member = await metrics.teams.document(data, RANGE, {
        includeSuppressed: false,
      });
      expect(member).toMatchObject({
        eligible: false,
        notEligibleReason: 'below-min-team-size',
        days: [],
      });
      expect((await store.listTeams(SCOPE)).map(t => t.teamSlug)).toEqual([
        'data',
        'platform',
      ]);
    });

    it('keeps imported team days when the team rollups are rebuilt', async () => {
      await store.rebuildTeamRollups(SCOPE, [
        '2026-11-15',
        '2026-11-16',
        '2026-11-17',
        '2026-11-18',
        '2026-11-19',
      ]);
      const days = await store.getTeamDays(
        SCOPE,
        'platform',
        RANGE.from,
        RANGE.to,
      );
      expect(days.map(d => `${d.day} ${d.source ?? 'report'}`)).toEqual([
        '2026-11-15 import',
        '2026-11-16 import',
        '2026-11-17 import',
        '2026-11-18 report',
        '2026-11-19 report',
      ]);
    });

    it('importing the same file again replaces its days, never duplicating them', async () => {
      const rows = await countRows(knex);
      await importer.importFile(fixture('teams_history.json'), {
        file: 'teams_history.json',
        org: 'acme',
        unknownTeams: 'keep',
      });
      await importer.importFile(fixture('copilotMetricsData.json'), {
        file: 'copilotMetricsData.json',
        org: 'acme',
      });
      expect(await countRows(knex)).toEqual(rows);
    });

    it.each([
      [
        'not JSON',
        '[{"date": "2026-11-01",\n  "total_active_users": 3,,}]',
        /^Cannot import bad\.json: at line 2, column 27: .+; nothing was imported$/,
      ],
      [
        'a truncated file',
        '[{"date": "2026-11-01"',
        /^Cannot import bad\.json: at line 1, column 23: /,
      ],
      [
        'a body that is no JSON',
        'hello',
        /^Cannot import bad\.json: at line 1, column 1: /,
      ],
      [
        'an unknown shape',
        '[{"when": "2026-11-01"}]',
        /^Cannot import bad\.json: at \$\[0\]: unknown format/,
      ],
      [
        'an invalid day',
        '[{"date": "2026-11-01"}, {"date": "2026-02-30"}]',
        /^Cannot import bad\.json: at \$\[1\]\.date: must be a real calendar day/,
      ],
      [
        'a bad counter deep in a team',
        JSON.stringify([
          {
            team: { name: 'A', slug: 'a' },
            data: [{ date: '2026-11-01', total_active_users: 6 }],
          },
          {
            team: { name: 'B', slug: 'b' },
            data: [
              { date: '2026-11-01', total_active_users: 6 },
              {
                date: '2026-11-02',
                copilot_ide_code_completions: {
                  editors: [
                    {
                      name: 'vscode',
                      models: [
                        {
                          name: 'default',
                          languages: [
                            { name: 'go', total_code_suggestions: -3 },
                          ],
                        },
                      ],
                    },
                  ],
                },
              },
            ],
          },
        ]),
        /^Cannot import bad\.json: at \$\[1\]\.data\[1\]\.copilot_ide_code_completions\.editors\[0\]\.models\[0\]\.languages\[0\]\.total_code_suggestions: /,
      ],
      [
        'a team without a slug',
        '[{"team": {"name": "A"}, "data": []}]',
        /^Cannot import bad\.json: at \$\[0\]\.team\.slug: /,
      ],
      [
        'a usage day with a string count',
        '[{"day": "2026-11-01", "total_suggestions_count": "12"}]',
        /^Cannot import bad\.json: at \$\[0\]\.total_suggestions_count: /,
      ],
      [
        'an empty array',
        '[]',
        /^Cannot import bad\.json: at \$: the file holds no days/,
      ],
    ])(
      'rejects %s whole, with the position of the first error, storing nothing',
      async (_what, text, message) => {
        const rows = await countRows(knex);
        const error = await importer
          .importFile(text, { file: 'bad.json', org: 'acme' })
          .catch(e => e);
        expect(error).toBeInstanceOf(ImportFileError);
        expect(error.name).toBe('InputError');
        expect(error.message).toMatch(message);
        expect(await countRows(knex)).toEqual(rows);
      },
    );

    it('points at a NaN deep in a large file (what json.dump writes), not at its end', async () => {
      // A pretty-printed file of thousands of lines, as Python's json.dump(indent=2) writes.
      const [day] = JSON.parse(fixture('copilotMetricsData.json'));
      const days = Array.from({ length: 80 }, (_, i) => ({
        ...day,
        date: `2025-0${1 + Math.floor(i / 28)}-${String((i % 28) + 1).padStart(2, '0')}`,
      }));
      const lines = JSON.stringify(days, null, 2).split('\n');
      expect(lines.length).toBeGreaterThan(5000);
      // A member inserted as line 148, inside an object, whose value NaN starts at column 39.
      const at = lines.findIndex((line, i) => i >= 140 && line.endsWith('{'));
      const key = '"total_code_suggestions": ';
      lines.splice(at + 1, 0, `${' '.repeat(38 - key.length)}${key}NaN,`);
      lines.splice(0, 0, ...Array.from({ length: 147 - (at + 1) }, () => ''));
      expect(lines[147].indexOf('NaN') + 1).toBe(39);
      const rows = await countRows(knex);
      const error = await importer
        .importFile(lines.join('\n'), { file: 'python.json', org: 'acme' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ImportFileError);
      expect(error.message).toMatch(
        /^Cannot import python\.json: at line 148, column 39: /,
      );
      expect(await countRows(knex)).toEqual(rows);
    });

    it("reads back the organisation history this plugin's archive writes", async () => {
      const written = (
        await store.getAggregateDays(SCOPE, RANGE.from, RANGE.to)
      ).map(organisationHistoryDay);
      const summary = await importer.importFile(JSON.stringify(written), {
        file: 'organisation_history.json',
        org: 'copy',
      });
      expect(summary.orgDays).toBe(written.length);
      const strip = ({ scope: _s, source: _src, ...row }: any) => row;
      expect(
        (await store.getAggregateDays('org:copy', RANGE.from, RANGE.to)).map(
          strip,
        ),
      ).toEqual(
        (await store.getAggregateDays(SCOPE, RANGE.from, RANGE.to)).map(strip),
      );
    });
  },
);
