/*
 * Proofs of the enterprise figures, end to end: the three orgs and the
 * enterprise are synced from the simulator into SQLite and PostgreSQL, then
 * read through the services the routes use (OrgMetrics for the overview,
 * TeamMetrics for a team) and compared with what the simulator served.
 */
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { MetricsDocument } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import type {
  UserDayRecord,
  UserTeamRecord,
} from '@copilot-usage/github-simulator';
import { addDays, daysBetween } from '../lib/days';
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
const ORGS = ['acme', 'acme-labs', 'acme-cloud'];
const ENTERPRISE: Scope = { kind: 'enterprise', name: 'acme-corp' };
const RANGE = { from: FIRST, to: LAST };
const DAYS = daysBetween(FIRST, LAST);
const CHAMPIONS = 'ent:ai-champions';

/** The counters of a per-user row under the metrics document's names. */
function countersOf(row: UserDayRecord) {
  return {
    interactions: row.user_initiated_interaction_count,
    codeGenerations: row.code_generation_activity_count,
    codeAcceptances: row.code_acceptance_activity_count,
    locSuggestedToAdd: row.loc_suggested_to_add_sum,
    locSuggestedToDelete: row.loc_suggested_to_delete_sum,
    locAdded: row.loc_added_sum,
    locDeleted: row.loc_deleted_sum,
  };
}
type Counters = ReturnType<typeof countersOf>;

function sum(rows: UserDayRecord[]): Counters {
  const total: Counters = countersOf({
    user_initiated_interaction_count: 0,
    code_generation_activity_count: 0,
    code_acceptance_activity_count: 0,
    loc_suggested_to_add_sum: 0,
    loc_suggested_to_delete_sum: 0,
    loc_added_sum: 0,
    loc_deleted_sum: 0,
  } as UserDayRecord);
  for (const row of rows) {
    const counters = countersOf(row);
    for (const key of Object.keys(total) as Array<keyof Counters>) {
      total[key] += counters[key];
    }
  }
  return total;
}

/**
 * A team's figures, recomputed with plain JS from the report rows: each day's
 * per-user rows joined with that day's user-teams rows, on the days the store
 * holds (the trailing windows cannot reach days that were never synced).
 */
function recomputeTeam(
  slug: string,
  usersOn: (day: string) => UserDayRecord[],
  userTeamsOn: (day: string) => UserTeamRecord[],
) {
  const joined = new Map<string, UserDayRecord[]>();
  const members = new Map<string, number>();
  for (const day of DAYS) {
    const ids = new Set(
      userTeamsOn(day)
        .filter(r => r.slug === slug)
        .map(r => r.user_id),
    );
    members.set(day, ids.size);
    joined.set(
      day,
      usersOn(day).filter(r => ids.has(r.user_id)),
    );
  }
  const distinctOver = (from: string, to: string) =>
    new Set(
      DAYS.filter(d => d >= from && d <= to).flatMap(d =>
        joined.get(d)!.map(r => r.user_id),
      ),
    ).size;
  return {
    days: DAYS.map(day => {
      const rows = joined.get(day)!;
      return {
        day,
        memberCount: members.get(day)!,
        activeUsers: rows.length,
        weeklyActiveUsers: distinctOver(addDays(day, -6), day),
        monthlyActiveUsers: distinctOver(addDays(day, -27), day),
        chatUsers: rows.filter(r => r.used_chat).length,
        agentUsers: rows.filter(r => r.used_agent).length,
        cliUsers: rows.filter(r => r.used_cli).length,
        ...sum(rows),
      };
    }),
    totals: {
      activeUsers: distinctOver(FIRST, LAST),
      ...sum(DAYS.flatMap(day => joined.get(day)!)),
    },
  };
}

describe.each(databases.eachSupportedId())(
  'the enterprise figures (%s)',
  databaseId => {
    let harness: SyncHarness;
    let orgMetrics: OrgMetrics;
    let teamMetrics: TeamMetrics;
    const logger = mockServices.logger.mock();

    beforeAll(async () => {
      harness = await startSyncHarness(databases, databaseId as TestDatabaseId);
      const summary = await harness
        .runner({ organizations: ORGS, enterprise: ENTERPRISE.name })
        .run({ logger });
      const failed = summary.scopes.filter(s => s.failed.length > 0);
      if (summary.scopes.length !== ORGS.length + 1 || failed.length) {
        throw new Error(`The sync failed: ${JSON.stringify(summary.scopes)}`);
      }
      const now = () => harness.clock.now;
      orgMetrics = new OrgMetrics({
        store: harness.store,
        minTeamSize: 5,
        now,
      });
      teamMetrics = new TeamMetrics({
        store: harness.store,
        minTeamSize: 5,
        organizations: ORGS,
        enterprise: ENTERPRISE.name,
      });
    });
    afterAll(async () => {
      await harness?.close();
    });

    it("equals GitHub's enterprise aggregate, which is not the sum of the orgs", async () => {
      const { enterprise } = harness.simulator;
      const doc = await orgMetrics.document(ENTERPRISE, RANGE);
      const orgDocs = await Promise.all(
        ORGS.map(name => orgMetrics.document({ kind: 'org', name }, RANGE)),
      );
      expect(doc.scope).toEqual({
        type: 'enterprise',
        enterprise: 'acme-corp',
      });
      expect(doc.days.map(d => d.day)).toEqual(DAYS);

      const overlapDays: string[] = [];
      for (const [i, day] of DAYS.entries()) {
        const aggregate = enterprise.aggregateReport(day)!;
        expect(doc.days[i]).toMatchObject({
          activeUsers: aggregate.daily_active_users,
          weeklyActiveUsers: aggregate.weekly_active_users,
          monthlyActiveUsers: aggregate.monthly_active_users,
          interactions: aggregate.user_initiated_interaction_count,
          codeGenerations: aggregate.code_generation_activity_count,
          locAdded: aggregate.loc_added_sum,
        });
        // From the raw reports: the orgs' per-user rows of the day, and who is in them.
        const orgRows = ORGS.flatMap(org =>
          enterprise.org(org)!.usersReport(day),
        );
        const distinctUsers = new Set(orgRows.map(r => r.user_id)).size;
        expect(doc.days[i].activeUsers).toBe(distinctUsers);
        if (distinctUsers < orgRows.length) overlapDays.push(day);
      }
      // Users in two orgs are active on most days.
      expect(overlapDays.length).toBeGreaterThan(DAYS.length / 2);
      const orgSum = (day: string, key: 'activeUsers' | 'interactions') =>
        orgDocs.reduce((n, d) => n + d.days.find(x => x.day === day)![key]!, 0);
      for (const day of overlapDays) {
        const enterpriseDay = doc.days.find(d => d.day === day)!;
        expect(enterpriseDay.activeUsers).toBeLessThan(
          orgSum(day, 'activeUsers'),
        );
        expect(enterpriseDay.interactions).toBeLessThan(
          orgSum(day, 'interactions'),
        );
      }

      // Over the range: distinct people across every org, each counted once.
      const people = new Set(
        DAYS.flatMap(day =>
          ORGS.flatMap(org =>
            enterprise
              .org(org)!
              .usersReport(day)
              .map(r => r.user_id),
          ),
        ),
      );
      expect(doc.totals.activeUsers).toBe(people.size);
      expect(doc.totals.activeUsers).toBeLessThan(
        orgDocs.reduce((n, d) => n + d.totals.activeUsers, 0),
      );
    });

    it(`computes ${CHAMPIONS} from the per-user rows joined with each day's enterprise teams`, async () => {
      const { enterprise } = harness.simulator;
      const doc: MetricsDocument = await teamMetrics.document(
        {
          owner: ENTERPRISE,
          slug: CHAMPIONS,
          entityRef: 'group:default/ai-champions',
          title: 'AI Champions',
        },
        RANGE,
        { includeSuppressed: false },
      );
      const expected = recomputeTeam(
        CHAMPIONS,
        day => enterprise.usersReport(day),
        day => enterprise.userTeamsReport(day),
      );
      expect(doc.eligible).toBe(true);
      expect(doc.suppressedDays).toBe(0);
      expect(
        doc.days.map(d => ({
          day: d.day,
          memberCount: d.memberCount,
          activeUsers: d.activeUsers,
          weeklyActiveUsers: d.weeklyActiveUsers,
          monthlyActiveUsers: d.monthlyActiveUsers,
          chatUsers: d.chatUsers,
          agentUsers: d.agentUsers,
          cliUsers: d.cliUsers,
          interactions: d.interactions,
          codeGenerations: d.codeGenerations,
          codeAcceptances: d.codeAcceptances,
          locSuggestedToAdd: d.locSuggestedToAdd,
          locSuggestedToDelete: d.locSuggestedToDelete,
          locAdded: d.locAdded,
          locDeleted: d.locDeleted,
        })),
      ).toEqual(expected.days);
      expect(doc.totals).toMatchObject(expected.totals);
      expect(expected.totals.activeUsers).toBeGreaterThanOrEqual(5);

      // The membership changed within the range, so the point-in-time join
      // matters: today's members applied to every day give other figures.
      const lastMembers = enterprise.userTeamsReport(LAST);
      const naive = recomputeTeam(
        CHAMPIONS,
        day => enterprise.usersReport(day),
        () => lastMembers,
      );
      expect(new Set(expected.days.map(d => d.memberCount)).size).toBe(2);
      expect(naive.days).not.toEqual(expected.days);
    });

    it('knows only the enterprise teams GitHub reports for the enterprise', async () => {
      const teams = await harness.store.listTeams('enterprise:acme-corp');
      // Not the orgs' teams, and not the 3-member ent:design-council.
      expect(teams.map(t => t.teamSlug)).toEqual([CHAMPIONS]);
      const council = await teamMetrics.document(
        {
          owner: ENTERPRISE,
          slug: 'ent:design-council',
          entityRef: 'group:default/design-council',
          title: 'Design Council',
        },
        RANGE,
        { includeSuppressed: true },
      );
      expect(council).toMatchObject({
        eligible: false,
        notEligibleReason: 'no-data',
        days: [],
      });
    });
  },
);
