import {
  BreakdownItem,
  MetricsDay,
  MetricsDocument,
  MetricsScope,
  InactiveSeatsResponse,
  SeatUtilisation,
  SyncStatus,
  TeamComparisonResponse,
  UserMetricsDocument,
  completionAcceptanceRate,
  emptyCounters,
  locAcceptanceRate,
  sumCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { Entity } from '@backstage/catalog-model';
import { addDays, countDays } from '../lib/days';

export const teamEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'team-a',
    namespace: 'default',
    title: 'Team A',
    annotations: { 'github.com/team-slug': 'acme/team-a' },
  },
  spec: { type: 'team', children: [] },
};

export const teamScope: MetricsScope = {
  type: 'team',
  entityRef: 'group:default/team-a',
  owner: { kind: 'org', name: 'acme' },
  org: 'acme',
  slug: 'team-a',
  title: 'Team A',
};

/** A day whose numbers vary with its index, so every day differs. */
function makeDay(day: string, index: number, scale: number): MetricsDay {
  const generations = (40 + 7 * index) * scale;
  const completionGenerations = (30 + 5 * index) * scale;
  return {
    day,
    activeUsers: (5 + (index % 4)) * scale,
    weeklyActiveUsers: (8 + (index % 3)) * scale,
    monthlyActiveUsers: (10 + index) * scale,
    interactions: (20 + 3 * index) * scale,
    codeGenerations: generations,
    codeAcceptances: Math.floor(generations / 3),
    locSuggestedToAdd: (100 + 11 * index) * scale,
    locSuggestedToDelete: 4 * scale,
    locAdded: (30 + 2 * index) * scale,
    locDeleted: 2 * scale,
    completionGenerations,
    completionAcceptances: Math.floor(completionGenerations / 4),
    completionLocSuggestedToAdd: (50 + index) * scale,
    completionLocAdded: (12 + index) * scale,
    chatUsers: 2 + (index % 3),
    agentUsers: 1 + (index % 2),
    cliUsers: index % 2,
    monthlyActiveChatUsers: null,
    monthlyActiveAgentUsers: null,
    memberCount: 12,
  };
}

function breakdown(key: string, factor: number): BreakdownItem {
  return {
    key,
    interactions: 10 * factor,
    codeGenerations: 30 * factor,
    codeAcceptances: 9 * factor,
    locSuggestedToAdd: 60 * factor,
    locSuggestedToDelete: 3 * factor,
    locAdded: 20 * factor,
    locDeleted: factor,
    peakDailyUsers: factor,
  };
}

/** A metrics document with data on every day of the range. */
export function makeMetricsDocument(options: {
  from: string;
  to: string;
  scope?: MetricsScope;
  /** Multiplies the counters (e.g. to make a previous period smaller). */
  scale?: number;
  /** Distinct users over the range. */
  activeUsers?: number;
}): MetricsDocument {
  const { from, to, scope = teamScope, scale = 1 } = options;
  const length = countDays(from, to);
  const days = Array.from({ length }, (_, i) =>
    makeDay(addDays(from, i), i, scale),
  );
  if (scope.type === 'org') {
    for (const day of days) {
      day.chatUsers = null;
      day.agentUsers = null;
      day.memberCount = null;
      day.monthlyActiveChatUsers = 7 * scale;
      day.monthlyActiveAgentUsers = 3 * scale;
    }
  }
  const counters = sumCounters(days);
  return {
    scope,
    from,
    to,
    coverage: { daysInRange: length, daysWithData: length, lastDay: to },
    eligible: true,
    minTeamSize: 5,
    suppressedDays: 0,
    days,
    totals: {
      ...counters,
      activeUsers: options.activeUsers ?? 15 * scale,
      days: length,
      completionAcceptanceRate: completionAcceptanceRate(counters),
      locAcceptanceRate: locAcceptanceRate(counters),
    },
    breakdowns: {
      language: [breakdown('typescript', 5), breakdown('python', 3)],
      ide: [breakdown('vscode', 6), breakdown('jetbrains', 2)],
      feature: [
        breakdown('code_completion', 4),
        breakdown('chat_panel_agent_mode', 2),
      ],
      model: [breakdown('gpt-5', 4), breakdown('claude-sonnet-4.5', 3)],
      thirdPartyAgent: [],
    },
  };
}

/** A document without numbers, as the backend sends for a not eligible team. */
export function makeEmptyDocument(options: {
  from: string;
  to: string;
  reason: 'below-min-team-size' | 'no-data';
}): MetricsDocument {
  const { from, to, reason } = options;
  return {
    scope: teamScope,
    from,
    to,
    coverage: {
      daysInRange: countDays(from, to),
      daysWithData: reason === 'no-data' ? 0 : countDays(from, to),
      lastDay: reason === 'no-data' ? null : to,
    },
    eligible: false,
    notEligibleReason: reason,
    minTeamSize: 5,
    suppressedDays: reason === 'no-data' ? 0 : countDays(from, to),
    days: [],
    totals: {
      ...emptyCounters(),
      activeUsers: 0,
      days: 0,
      completionAcceptanceRate: null,
      locAcceptanceRate: null,
    },
    breakdowns: {
      language: [],
      ide: [],
      feature: [],
      model: [],
      thirdPartyAgent: [],
    },
  };
}

export function makeComparison(
  org: string,
  teams: number,
): TeamComparisonResponse {
  return {
    owner: { kind: 'org', name: org },
    org,
    from: '2026-10-22',
    to: '2026-11-18',
    minTeamSize: 5,
    items: Array.from({ length: teams }, (_, i) => {
      const counters = { ...emptyCounters() };
      counters.codeGenerations = 100 + i;
      counters.completionGenerations = 80;
      counters.completionAcceptances = 20 + (i % 40);
      counters.locAdded = 10 * i;
      return {
        owner: { kind: 'org' as const, name: org },
        org,
        slug: `team-${String(i).padStart(4, '0')}`,
        entityRef: null,
        title: `Team ${String(i).padStart(4, '0')}`,
        memberCount: 10,
        dailyAdoption: (1 + (i % 10)) / 40,
        eligible: true,
        suppressedDays: 0,
        totals: {
          ...counters,
          activeUsers: 1 + (i % 10),
          days: 28,
          completionAcceptanceRate: completionAcceptanceRate(counters),
          locAcceptanceRate: locAcceptanceRate(counters),
        },
      };
    }),
  };
}

export const seats: SeatUtilisation = {
  owner: { kind: 'org', name: 'acme' },
  org: 'acme',
  snapshotDay: '2026-11-19',
  total: 120,
  assigned: 117,
  activeLast7Days: 64,
  activeLast30Days: 88,
  neverUsed: 13,
  inactive: 19,
  pendingCancellation: 3,
};

/** The seats behind `seats.inactive` and `seats.neverUsed`, never used first. */
export const inactiveSeats: InactiveSeatsResponse = {
  owner: { kind: 'org', name: 'acme' },
  org: 'acme',
  snapshotDay: '2026-11-19',
  activeSince: '2026-10-21',
  items: Array.from({ length: seats.neverUsed + seats.inactive }, (_, i) => {
    const neverUsed = i < seats.neverUsed;
    return {
      login: `seat-holder-${String(i).padStart(3, '0')}`,
      status: neverUsed ? 'never-used' : 'inactive',
      lastActivityAt: neverUsed
        ? null
        : `2026-09-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
      lastActivityEditor: neverUsed
        ? null
        : 'vscode/1.96.0/copilot-chat/0.23.0',
      assignedAt: '2026-01-05T00:00:00Z',
      pendingCancellationDate: null,
      grantedBy: [{ org: 'acme', team: null }],
    };
  }),
};

export function makeSyncStatus(running: boolean): SyncStatus {
  return {
    scopes: [
      {
        scope: 'org:acme',
        running,
        lastRunStartedAt: '2026-11-21T04:00:00.000Z',
        lastRunFinishedAt: running ? null : '2026-11-21T04:03:00.000Z',
        progress: { daysDone: 12, daysTotal: 40 },
        lastError: null,
        firstDay: '2025-10-10',
        lastCompleteDay: '2026-11-19',
        daysComplete: 398,
        daysWithData: 398,
        daysNoData: 2,
        daysMissing: 2,
        recentFailures: [
          {
            day: '2026-11-02',
            report: 'users-1-day',
            error: 'download link expired',
            at: '2026-11-21T04:01:00.000Z',
          },
        ],
      },
    ],
  };
}

export function makeMyMetrics(from: string, to: string): UserMetricsDocument {
  const days = [0, 2, 3].map(i => ({
    ...makeDay(addDays(from, i), i, 1),
    org: 'acme',
    usedChat: true,
    usedAgent: i > 0,
    usedCli: false,
  }));
  const counters = sumCounters(days);
  return {
    user: { entityRef: 'user:default/alice', login: 'alice' },
    from,
    to,
    days,
    totals: {
      ...counters,
      activeUsers: 1,
      days: days.length,
      completionAcceptanceRate: completionAcceptanceRate(counters),
      locAcceptanceRate: locAcceptanceRate(counters),
    },
  };
}
