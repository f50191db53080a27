/*
 * Proofs of the per-user report fields of issue 13 (sections 3, 4, 6), end to end:
 * the simulator's org acme and enterprise acme-corp are synced into SQLite and
 * PostgreSQL, read through OrgMetrics and TeamMetrics, and every figure is
 * recomputed here with plain JS from the raw report rows the simulator served.
 */
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  ClientVersionsSummary,
  MetricsDocument,
  compareVersions,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import type {
  UserDayRecord,
  UserTeamRecord,
} from '@copilot-usage/github-simulator';
import { daysBetween } from '../lib/days';
import { Scope } from '../lib/scope';
import {
  FIRST,
  LAST,
  SyncHarness,
  startSyncHarness,
} from '../ingest/__testUtils__/syncHarness';
import { OrgMetrics } from './metrics/OrgMetrics';
import { TeamMetrics } from './metrics/TeamMetrics';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const ORG: Scope = { kind: 'org', name: 'acme' };
const ENTERPRISE: Scope = { kind: 'enterprise', name: 'acme-corp' };
const RANGE = { from: FIRST, to: LAST };
const DAYS = daysBetween(FIRST, LAST);
const SCOPES = [ORG, ENTERPRISE];

interface Reports {
  users(day: string): UserDayRecord[];
  userTeams(day: string): UserTeamRecord[];
}

const cloudAgent = (r: UserDayRecord) =>
  Boolean(r.used_copilot_cloud_agent || r.used_copilot_coding_agent);
const sumCredits = (rows: UserDayRecord[]) =>
  rows.reduce((n, r) => n + (r.ai_credits_used ?? 0), 0);

/** Each user's version per client on the last day of [from, to] they reported it, counted. */
function recomputeVersions(
  rows: UserDayRecord[],
  includeLogins: boolean,
): ClientVersionsSummary | undefined {
  const latest = new Map<
    string,
    {
      day: string;
      login: string;
      userId: number;
      client: string;
      version: string;
      plugin: string;
      pluginVersion: string;
    }
  >();
  for (const row of rows) {
    const samples = row.totals_by_ide
      .filter(e => e.last_known_ide_version || e.last_known_plugin_version)
      .map(e => ({
        client: e.ide,
        version: e.last_known_ide_version?.ide_version || 'unknown',
        plugin: e.last_known_plugin_version?.plugin ?? '',
        pluginVersion: e.last_known_plugin_version?.plugin_version ?? '',
      }));
    const cli = row.totals_by_cli?.last_known_cli_version;
    if (cli) {
      samples.push({
        client: 'cli',
        version: cli.cli_version || 'unknown',
        plugin: '',
        pluginVersion: '',
      });
    }
    for (const sample of samples) {
      const key = `${row.user_id}/${sample.client}`;
      const seen = latest.get(key);
      if (!seen || seen.day < row.day) {
        latest.set(key, {
          ...sample,
          day: row.day,
          login: row.user_login,
          userId: row.user_id,
        });
      }
    }
  }
  if (!latest.size) return undefined;
  const clients = new Map<string, Map<string, number>>();
  const flagged = new Map<number, string>();
  for (const v of latest.values()) {
    const versions = clients.get(v.client) ?? new Map<string, number>();
    const key = JSON.stringify([v.version, v.plugin, v.pluginVersion]);
    versions.set(key, (versions.get(key) ?? 0) + 1);
    clients.set(v.client, versions);
    if (v.client === 'vscode' && compareVersions(v.version, '1.139.0')! < 0) {
      flagged.set(v.userId, v.login);
    }
  }
  return {
    users: new Set([...latest.values()].map(v => v.userId)).size,
    clients: [...clients].map(([client, versions]) => {
      const users = [...versions.values()].reduce((a, b) => a + b, 0);
      return {
        client,
        users,
        versions: [...versions].map(([key, n]) => {
          const [version, plugin, pluginVersion] = JSON.parse(key);
          return { version, plugin, pluginVersion, users: n, share: n / users };
        }),
      };
    }),
    flaggedUsers: flagged.size,
    ...(includeLogins && { flaggedLogins: [...flagged.values()].sort() }),
  };
}

/** The document's summary in the recomputation's terms: flags as booleans, orders fixed. */
function comparable(summary: ClientVersionsSummary | undefined) {
  if (!summary) return summary;
  return {
    ...summary,
    clients: summary.clients
      .map(c => ({
        ...c,
        versions: c.versions
          .map(({ flag: _flag, share, ...v }) => ({
            ...v,
            share: Math.round(share * 1e9),
          }))
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      }))
      .sort((a, b) => a.client.localeCompare(b.client)),
  };
}

/** A team recomputed from the raw rows: each day's members, their rows, credits split 1/n. */
function recomputeTeam(slug: string, reports: Reports) {
  const activeRows: UserDayRecord[] = [];
  const days = DAYS.map(day => {
    const memberships = reports.userTeams(day);
    const teamsOf = new Map<number, number>();
    memberships.forEach(m =>
      teamsOf.set(m.user_id, (teamsOf.get(m.user_id) ?? 0) + 1),
    );
    const members = new Set(
      memberships.filter(m => m.slug === slug).map(m => m.user_id),
    );
    const rows = reports.users(day).filter(r => members.has(r.user_id));
    activeRows.push(...rows);
    const credited = rows.filter(r => r.ai_credits_used !== undefined);
    return {
      day,
      cloudAgentUsers: rows.filter(cloudAgent).length,
      copilotAppUsers: rows.filter(r => r.used_copilot_app).length,
      aiCredits: credited.length
        ? credited.reduce(
            (n, r) => n + r.ai_credits_used / teamsOf.get(r.user_id)!,
            0,
          )
        : null,
      memberCount: members.size,
    };
  });
  return { days, activeRows };
}

describe.each(databases.eachSupportedId())(
  'the per-user report fields (%s)',
  databaseId => {
    let harness: SyncHarness;
    let orgMetrics: OrgMetrics;
    let teamMetrics: TeamMetrics;
    const logger = mockServices.logger.mock();

    beforeAll(async () => {
      harness = await startSyncHarness(databases, databaseId as TestDatabaseId);
      const summary = await harness
        .runner({
          organizations: ['acme'],
          ...(SCOPES.length > 1 && { enterprise: ENTERPRISE.name }),
        })
        .run({ logger });
      const failed = summary.scopes.filter(s => s.failed.length > 0);
      if (summary.scopes.length !== SCOPES.length || failed.length) {
        throw new Error(`The sync failed: ${JSON.stringify(summary.scopes)}`);
      }
      orgMetrics = new OrgMetrics({
        store: harness.store,
        minTeamSize: 5,
        now: () => harness.clock.now,
      });
      teamMetrics = new TeamMetrics({
        store: harness.store,
        minTeamSize: 5,
        organizations: ['acme'],
        enterprise: ENTERPRISE.name,
      });
    });
    afterAll(async () => {
      await harness?.close();
    });

    const reportsOf = (owner: Scope): Reports => {
      const { enterprise } = harness.simulator;
      const source =
        owner.kind === 'org' ? enterprise.org(owner.name)! : enterprise;
      return {
        users: day => source.usersReport(day),
        userTeams: day => source.userTeamsReport(day),
      };
    };

    it.each(SCOPES)(
      "counts the %j scope's cloud agent and Copilot app users, credits and third-party agents",
      async owner => {
        const reports = reportsOf(owner);
        const doc = await orgMetrics.document(owner, RANGE);
        expect(doc.days.map(d => d.day)).toEqual(DAYS);
        for (const [i, day] of DAYS.entries()) {
          const rows = reports.users(day);
          expect(doc.days[i]).toMatchObject({
            cloudAgentUsers: rows.filter(cloudAgent).length,
            copilotAppUsers: rows.filter(r => r.used_copilot_app).length,
          });
          expect(doc.days[i].aiCredits).toBeCloseTo(sumCredits(rows), 6);
        }
        const all = DAYS.flatMap(day => reports.users(day));
        expect(all.some(r => r.used_copilot_app)).toBe(true);
        expect(all.some(cloudAgent)).toBe(true);
        expect(doc.totals.aiCredits).toBeCloseTo(sumCredits(all), 2);
        const people = new Set(all.map(r => r.user_id)).size;
        expect(doc.totals.activeUsers).toBe(people);
        expect(doc.totals.aiCreditsPerActiveUser).toBeCloseTo(
          sumCredits(all) / people,
          2,
        );

        // Third-party agents by name, their interactions over the range.
        const agents = new Map<string, number>();
        for (const r of all) {
          for (const a of r.totals_by_3rd_party_agent ?? []) {
            agents.set(
              a.agent_name,
              (agents.get(a.agent_name) ?? 0) +
                a.user_initiated_interaction_count,
            );
          }
        }
        expect(agents.size).toBeGreaterThan(0);
        expect(
          Object.fromEntries(
            doc.breakdowns.thirdPartyAgent.map(b => [b.key, b.interactions]),
          ),
        ).toEqual(Object.fromEntries(agents));
        // The Copilot app is a feature of the breakdown since GitHub counts it.
        const appActivity = all
          .flatMap(r => r.totals_by_feature)
          .filter(f => f.feature === 'copilot_app')
          .reduce((n, f) => n + f.code_generation_activity_count, 0);
        expect(
          doc.breakdowns.feature.find(b => b.key === 'copilot_app')
            ?.codeGenerations,
        ).toBe(appActivity);
      },
    );

    it.each(SCOPES)(
      'splits credits 1/n across the teams of the %j scope, never above the scope',
      async owner => {
        const reports = reportsOf(owner);
        const teams = await harness.store.listTeams(
          owner.kind === 'org'
            ? `org:${owner.name}`
            : `enterprise:${owner.name}`,
        );
        expect(teams.length).toBeGreaterThan(0);
        const org = await orgMetrics.document(owner, RANGE);
        const teamCredits = new Map<string, number>();
        for (const team of teams) {
          const doc: MetricsDocument = await teamMetrics.document(
            {
              owner,
              slug: team.teamSlug,
              entityRef: `group:default/${team.teamSlug}`,
              title: team.teamSlug,
            },
            RANGE,
            { includeSuppressed: true },
          );
          const expected = recomputeTeam(team.teamSlug, reports);
          expect(doc.days.map(d => d.day)).toEqual(
            expected.days.filter(d => d.memberCount > 0).map(d => d.day),
          );
          for (const day of doc.days) {
            const want = expected.days.find(d => d.day === day.day)!;
            expect(day.cloudAgentUsers).toBe(want.cloudAgentUsers);
            expect(day.copilotAppUsers).toBe(want.copilotAppUsers);
            expect(day.aiCredits === null).toBe(want.aiCredits === null);
            expect(day.aiCredits ?? 0).toBeCloseTo(want.aiCredits ?? 0, 6);
            teamCredits.set(
              day.day,
              (teamCredits.get(day.day) ?? 0) + (day.aiCredits ?? 0),
            );
          }
          const total = expected.days.reduce(
            (n, d) => n + (d.memberCount > 0 ? (d.aiCredits ?? 0) : 0),
            0,
          );
          // Totals are rounded to cents; a 1/n split has fractions of them.
          expect(doc.totals.aiCredits ?? 0).toBeCloseTo(total, 1);
        }
        // Whoever is in several teams is split, so the teams never sum above the scope.
        const multi = DAYS.some(day => {
          const counts = new Map<number, number>();
          reports
            .userTeams(day)
            .forEach(m =>
              counts.set(m.user_id, (counts.get(m.user_id) ?? 0) + 1),
            );
          return [...counts.values()].some(n => n > 1);
        });
        for (const day of org.days) {
          expect(teamCredits.get(day.day) ?? 0).toBeLessThanOrEqual(
            (day.aiCredits ?? 0) + 1e-6,
          );
        }
        // The org's teams overlap, so the split is put to the test there.
        expect(multi || owner.kind !== 'org').toBe(true);
      },
    );

    it.each(SCOPES)(
      'shows which client versions the %j scope was last seen on, flagging old VS Code',
      async owner => {
        const reports = reportsOf(owner);
        const all = DAYS.flatMap(day => reports.users(day));
        const admin = await orgMetrics.document(owner, RANGE, {
          includeLogins: true,
        });
        const member = await orgMetrics.document(owner, RANGE);
        expect(comparable(admin.clientVersions)).toEqual(
          comparable(recomputeVersions(all, true)),
        );
        expect(comparable(member.clientVersions)).toEqual(
          comparable(recomputeVersions(all, false)),
        );
        expect(member.clientVersions!.flaggedLogins).toBeUndefined();
        expect(admin.clientVersions!.flaggedUsers).toBeGreaterThan(0);
        const vscode = admin.clientVersions!.clients.find(
          c => c.client === 'vscode',
        )!;
        expect(vscode.versions.length).toBeGreaterThan(2);
        for (const v of vscode.versions) {
          expect(Boolean(v.flag)).toBe(
            compareVersions(v.version, '1.139.0')! < 0,
          );
        }

        // A shorter range sees the version of its own last day, not the newest.
        const early = { from: FIRST, to: DAYS[3] };
        const earlyDoc = await orgMetrics.document(owner, early, {
          includeLogins: true,
        });
        expect(comparable(earlyDoc.clientVersions)).toEqual(
          comparable(
            recomputeVersions(
              all.filter(r => r.day <= early.to),
              true,
            ),
          ),
        );
      },
    );

    it('shows a team the versions of its active members, logins only for admins', async () => {
      const reports = reportsOf(ORG);
      const teams = await harness.store.listTeams('org:acme');
      let checked = 0;
      for (const team of teams) {
        const input = {
          owner: ORG,
          slug: team.teamSlug,
          entityRef: `group:default/${team.teamSlug}`,
          title: team.teamSlug,
        };
        const { activeRows } = recomputeTeam(team.teamSlug, reports);
        const admin = await teamMetrics.document(input, RANGE, {
          includeSuppressed: true,
        });
        // Each member's latest version in the range, from any of their rows of it.
        const ids = new Set(activeRows.map(r => r.user_id));
        const rows = DAYS.flatMap(day => reports.users(day)).filter(r =>
          ids.has(r.user_id),
        );
        expect(comparable(admin.clientVersions)).toEqual(
          comparable(recomputeVersions(rows, true)),
        );
        const member = await teamMetrics.document(input, RANGE, {
          includeSuppressed: false,
        });
        expect(member.clientVersions?.flaggedLogins).toBeUndefined();
        // Below the privacy floor a member sees no versions at all.
        expect(member.eligible || member.clientVersions === undefined).toBe(
          true,
        );
        checked += member.eligible && member.clientVersions ? 1 : 0;
      }
      expect(checked).toBeGreaterThan(0);
    });
  },
);
