import { emptyCounters } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
} from '@backstage/backend-test-utils';
import { daysBetween } from '../../lib/days';
import { ScopeKey } from '../../lib/scope';
import { DatabaseCopilotUsageStore } from '../../store/DatabaseCopilotUsageStore';
import { TeamDayRollup } from '../../store/types';
import { TeamMetrics } from './TeamMetrics';
import { seededRandom } from '../testFixtures';

jest.setTimeout(120_000);

const SCOPE: ScopeKey = 'org:acme';
const OWNER = { kind: 'org' as const, name: 'acme' };
const TEAMS = ['alpha', 'beta', 'small', 'gamma'];
const DAYS = daysBetween('2026-10-20', '2026-11-12');
const IMPORTED = ['2026-10-10', '2026-10-11'];

/**
 * People in one or two teams; `small` has 4 to 6 members, so some of its days fall
 * below the floor of 5; some days carry AI credits and others do not.
 */
async function seed(store: DatabaseCopilotUsageStore) {
  const random = seededRandom(20261203);
  for (const [index, day] of DAYS.entries()) {
    const members: Array<{ userId: number; team: string }> = [];
    for (let userId = 1; userId <= 30; userId++) {
      const team = TEAMS.filter(t => t !== 'small')[userId % 3];
      members.push({ userId, team });
      if (random() < 0.3) members.push({ userId, team: 'gamma' });
    }
    const small = 4 + (index % 3);
    for (let userId = 100; userId < 100 + small; userId++) {
      members.push({ userId, team: 'small' });
    }
    const unique = [
      ...new Map(members.map(m => [`${m.userId}/${m.team}`, m])).values(),
    ];
    const active = [...new Set(unique.map(m => m.userId))].filter(
      () => random() < 0.6,
    );
    await store.writeDay(SCOPE, day, async writer => {
      await writer.clearUserTeams();
      await writer.insertUserTeams(
        unique.map(m => ({
          scope: SCOPE,
          day,
          userId: m.userId,
          userLogin: `user-${m.userId}`,
          teamId: TEAMS.indexOf(m.team) + 1,
          teamSlug: m.team,
        })),
      );
      await writer.clearUserDays();
      await writer.insertUserDays(
        active.map(userId => ({
          scope: SCOPE,
          day,
          userId,
          userLogin: `user-${userId}`,
          ...emptyCounters(),
          codeGenerations: Math.floor(random() * 40),
          codeAcceptances: Math.floor(random() * 10),
          completionGenerations: Math.floor(random() * 20),
          completionAcceptances: Math.floor(random() * 5),
          usedChat: random() < 0.5,
          usedAgent: random() < 0.3,
          usedCli: random() < 0.1,
          ...(index % 4 !== 0 && {
            aiCreditsUsed: Math.round(random() * 1000) / 100,
          }),
          raw: '{}',
        })),
      );
    });
  }
  await store.rebuildTeamRollups(SCOPE, DAYS);
  // Imported history of one team: rows without membership behind them.
  await store.writeImport(SCOPE, async writer => {
    for (const day of IMPORTED) {
      const team: TeamDayRollup = {
        scope: SCOPE,
        day,
        teamSlug: 'alpha',
        teamId: 1,
        memberCount: 12,
        activeUsers: 7,
        weeklyActiveUsers: 9,
        monthlyActiveUsers: 10,
        chatUsers: 3,
        agentUsers: 1,
        cliUsers: 0,
        ...emptyCounters(),
        codeGenerations: 50,
        source: 'import',
      };
      await writer.replaceImportedDay({ day, teams: [team], breakdowns: [] });
    }
  });
}

describe('team comparison (grouped reads)', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'gives every team what its own document says, on %p',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseCopilotUsageStore.create({
        database: mockServices.database({ knex }),
      });
      await seed(store);
      const metrics = new TeamMetrics({
        store,
        minTeamSize: 5,
        organizations: ['acme'],
      });
      const labels = new Map([
        ['beta', { entityRef: 'group:default/beta', title: 'Beta' }],
        ['nobody', { entityRef: 'group:default/nobody', title: 'Nobody' }],
      ]);
      const ranges = [
        { from: '2026-10-01', to: '2026-11-30' },
        { from: '2026-10-25', to: '2026-10-31' },
        { from: '2026-11-12', to: '2026-11-12' },
        { from: '2026-09-01', to: '2026-09-30' },
      ];
      for (const range of ranges) {
        const rows = await metrics.comparison(OWNER, range, labels);
        expect(rows.map(row => row.slug)).toEqual([...TEAMS, 'nobody'].sort());
        for (const row of rows) {
          // The per-team path: the team's own document, suppressed days included.
          const document = await metrics.document(
            {
              owner: OWNER,
              slug: row.slug,
              entityRef: row.entityRef ?? '',
              title: row.title,
            },
            range,
            { includeSuppressed: true },
          );
          const last = document.days[document.days.length - 1];
          const context = `${row.slug} ${range.from}..${range.to}`;
          expect({ context, ...row }).toEqual({
            context,
            owner: expect.anything(),
            org: 'acme',
            slug: row.slug,
            entityRef: labels.get(row.slug)?.entityRef ?? null,
            title: labels.get(row.slug)?.title ?? row.slug,
            memberCount: last ? last.memberCount : null,
            dailyAdoption: document.days.length
              ? document.days.reduce((n, d) => n + d.activeUsers, 0) /
                document.days.reduce((n, d) => n + d.memberCount!, 0)
              : null,
            eligible: document.eligible,
            ...(document.notEligibleReason && {
              notEligibleReason: document.notEligibleReason,
            }),
            suppressedDays: document.suppressedDays,
            totals: document.totals,
          });
        }
      }
      // The seed has what the comparison must get right.
      const all = await metrics.comparison(OWNER, ranges[0], labels);
      const small = all.find(row => row.slug === 'small')!;
      expect(small.suppressedDays).toBeGreaterThan(0);
      expect(small.eligible).toBe(true);
      expect(all.find(row => row.slug === 'alpha')!.totals.members).toBe(10);
      expect(all.find(row => row.slug === 'nobody')!.notEligibleReason).toBe(
        'no-data',
      );
      expect(all.find(row => row.slug === 'beta')!.totals.aiCredits).not.toBe(
        null,
      );
    },
  );
});
