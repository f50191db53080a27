/*
 * Test-only helpers: write a small synthetic org into a real store through the
 * same calls the ingestion uses (writeDay + rebuildTeamRollups).
 */
import {
  MetricsCounters,
  emptyCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import {
  AggregateDayRow,
  BreakdownDayRow,
  UserDayRow,
  UserTeamDayRow,
} from '../store/types';
import { ScopeKey } from '../lib/scope';

export const ZERO_COUNTERS: MetricsCounters = emptyCounters();

export interface DayFixture {
  day: string;
  /** Active users of the day: id → their counters and flags. */
  users: Record<number, Partial<UserDayRow>>;
  /** Team slug → member user ids that day. */
  teams: Record<string, number[]>;
  aggregate?: Partial<AggregateDayRow>;
  breakdowns?: Array<
    Partial<BreakdownDayRow> & Pick<BreakdownDayRow, 'subject' | 'key'>
  >;
}

const teamIds = new Map<string, number>();
function teamId(slug: string) {
  if (!teamIds.has(slug)) {
    teamIds.set(slug, 1000 + teamIds.size);
  }
  return teamIds.get(slug)!;
}

/**
 * Writes the days (all three reports complete) and rebuilds the team rollups,
 * unless `rollups: false` (as a backfill leaves them until its unit ends).
 */
export async function seedDays(
  store: CopilotUsageStore,
  scope: ScopeKey,
  days: DayFixture[],
  options: { rollups?: boolean } = {},
) {
  for (const fixture of days) {
    const { day } = fixture;
    await store.writeDay(scope, day, async writer => {
      await writer.replaceAggregate({
        scope,
        day,
        dailyActiveUsers: Object.keys(fixture.users).length,
        weeklyActiveUsers: 0,
        monthlyActiveUsers: 0,
        monthlyActiveChatUsers: 0,
        monthlyActiveAgentUsers: 0,
        dailyActiveCliUsers: null,
        ...ZERO_COUNTERS,
        raw: '{}',
        ...fixture.aggregate,
      });
      await writer.clearUserTeams();
      await writer.insertUserTeams(
        Object.entries(fixture.teams).flatMap(([slug, members]) =>
          members.map(userId => ({
            scope,
            day,
            userId,
            userLogin: `user-${userId}`,
            teamId: teamId(slug),
            teamSlug: slug,
          })),
        ),
      );
      await writer.clearUserDays();
      await writer.insertUserDays(
        Object.entries(fixture.users).map(([id, fields]) => ({
          scope,
          day,
          userId: Number(id),
          userLogin: `user-${id}`,
          ...ZERO_COUNTERS,
          usedChat: false,
          usedAgent: false,
          usedCli: false,
          raw: '{}',
          ...fields,
        })),
      );
      const breakdowns = fixture.breakdowns ?? [];
      await writer.replaceBreakdowns(
        [...new Set(breakdowns.map(row => row.subject))],
        breakdowns.map(row => ({
          scope,
          day,
          dimension: 'ide',
          interactions: 0,
          codeGenerations: 0,
          codeAcceptances: 0,
          locSuggestedToAdd: 0,
          locSuggestedToDelete: 0,
          locAdded: 0,
          locDeleted: 0,
          users: 0,
          ...row,
        })),
      );
      for (const report of ['aggregate', 'users', 'user-teams'] as const) {
        await writer.logIngestion({
          report,
          status: 'complete',
          rows: 1,
          source: 'github',
        });
      }
    });
  }
  if (options.rollups !== false) {
    await store.rebuildTeamRollups(
      scope,
      days.map(fixture => fixture.day),
    );
  }
}

export const STORE_TABLES = [
  'user_day',
  'user_team_day',
  'aggregate_day',
  'breakdown_day',
  'team_day',
  'team_active_user_day',
  'seat_snapshot',
  'ingestion_log',
  'sync_state',
];

/** Row counts per table, to check that requests change nothing. */
export async function countRows(knex: Knex): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of STORE_TABLES) {
    const [{ count }] = await knex(table).count({ count: '*' });
    counts[table] = Number(count);
  }
  return counts;
}

/**
 * A Group entity as Backstage's GitHub org provider writes it, origin included
 * (`url:https://github.com/orgs/<org>/teams/<slug>`); `origin` names another
 * one, e.g. a catalog file anyone could register.
 */
export function group(
  name: string,
  options: {
    teamSlug?: string;
    /** `github.com/enterprise-team-slug`: `<enterprise>/<slug>`. */
    enterpriseTeamSlug?: string;
    parent?: string;
    title?: string;
    namespace?: string;
    origin?: string;
    members?: string[];
  } = {},
): Entity {
  const [org, slug] = options.teamSlug?.split('/') ?? ['acme', name];
  const origin =
    options.origin ?? `url:https://github.com/orgs/${org}/teams/${slug}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      ...(options.title && { title: options.title }),
      annotations: {
        'backstage.io/managed-by-location': origin,
        'backstage.io/managed-by-origin-location': origin,
        ...(options.teamSlug && { 'github.com/team-slug': options.teamSlug }),
        ...(options.enterpriseTeamSlug && {
          'github.com/enterprise-team-slug': options.enterpriseTeamSlug,
        }),
      },
    },
    spec: {
      type: 'team',
      children: [],
      ...(options.parent && { parent: options.parent }),
      ...(options.members && { members: options.members }),
    },
  };
}

/** A User entity with the GitHub login annotation. */
export function user(name: string, login?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      annotations: login ? { 'github.com/user-login': login } : {},
    },
    spec: { memberOf: [] },
  };
}

/** A per-user row with zero counters and no feature used, for tests of the counts. */
export function plainUserDayRow(
  scope: ScopeKey,
  day: string,
  userId: number,
  fields: Partial<UserDayRow> = {},
): UserDayRow {
  return {
    scope,
    day,
    userId,
    userLogin: `user-${userId}`,
    ...emptyCounters(),
    usedChat: false,
    usedAgent: false,
    usedCli: false,
    raw: '{}',
    ...fields,
  };
}

/** A membership row of `user-<id>` in a team. */
export function membershipRow(
  scope: ScopeKey,
  day: string,
  userId: number,
  team: { slug: string; id: number },
): UserTeamDayRow {
  return {
    scope,
    day,
    userId,
    userLogin: `user-${userId}`,
    teamId: team.id,
    teamSlug: team.slug,
  };
}

/** Deterministic PRNG (mulberry32), so a failing generated case can be reproduced. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
