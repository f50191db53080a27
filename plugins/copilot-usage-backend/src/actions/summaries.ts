/*
 * The routes' documents cut down for a language model: the totals, the last day's
 * rolling windows and the top breakdown keys, plus one sentence that says what the
 * numbers mean. Each shape comes with the zod (v3) schema the actions registry
 * checks the output against; it drops keys a schema does not name, so the summaries
 * pass the document's own objects where the schema keeps a subset of their fields.
 */
import {
  BreakdownItem,
  MetricsDocument,
  SyncStatus,
  scopeOwner,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import type { z as zod } from 'zod/v3';
import { STALE_AFTER_DAYS, daysBehindToday } from '../lib/days';

/** The actions registry hands schemas its own zod; every schema here is built from it. */
export type Zod = typeof zod;

/** Breakdown keys listed per dimension: enough to answer "which IDE / model". */
const TOP_KEYS = 5;

const percent = (rate: number | null) =>
  rate === null ? 'n/a' : `${Math.round(rate * 100)}%`;

function top(items: BreakdownItem[]) {
  return [...items]
    .sort((a, b) => b.interactions - a.interactions)
    .slice(0, TOP_KEYS);
}

// A team's owner is an org or the enterprise; the summary names it in the matching field.
function ownerOfKind(
  scope: MetricsDocument['scope'],
  kind: 'org' | 'enterprise',
): string | null {
  const ownerKind = scope.type === 'team' ? scope.owner.kind : scope.type;
  return ownerKind === kind ? scopeOwner(scope) : null;
}

/** A team or org metrics document, summarised. */
export function summariseUsage(document: MetricsDocument) {
  const { scope, totals, coverage } = document;
  const last = document.days[document.days.length - 1];
  const agentDays = document.days.map(day => day.agentUsers ?? 0);
  const name =
    scope.type === 'team'
      ? `${scope.title} (${scope.entityRef}, GitHub ${scope.owner.kind === 'enterprise' ? 'enterprise team' : 'team'} ${scope.owner.name}/${scope.slug})`
      : `${scope.type === 'org' ? 'Organization' : "Enterprise (GitHub's deduplicated figures)"} ${scopeOwner(scope)}`;
  const head = `${name}, ${document.from} to ${document.to}: data for ${coverage.daysWithData} of ${coverage.daysInRange} days`;
  let summary: string;
  if (!document.eligible) {
    summary = `${head}. No numbers: ${
      document.notEligibleReason === 'below-min-team-size'
        ? `every day with data had fewer than ${document.minTeamSize} team members (privacy floor)`
        : 'no day of the range is stored'
    }.`;
  } else {
    const members =
      totals.members === null || totals.members === undefined
        ? ''
        : ` of ${totals.members} members`;
    const monthlyAgents = last?.monthlyActiveAgentUsers;
    const parts = [
      `${head} (last ${coverage.lastDay ?? 'none'})`,
      `${totals.activeUsers} distinct active users${members}`,
      `${totals.interactions} interactions`,
      `completion acceptance ${percent(totals.completionAcceptanceRate)}`,
      `agent used by up to ${Math.max(0, ...agentDays)} people a day${
        monthlyAgents === null || monthlyAgents === undefined
          ? ''
          : ` (${monthlyAgents} in the 28 days to ${last!.day})`
      }`,
    ];
    if (document.suppressedDays > 0) {
      parts.push(
        `${document.suppressedDays} days hidden below the privacy floor`,
      );
    }
    summary = `${parts.join('; ')}.`;
  }
  return {
    summary,
    scope: {
      type: scope.type,
      org: ownerOfKind(scope, 'org'),
      enterprise: ownerOfKind(scope, 'enterprise'),
      entityRef: scope.type === 'team' ? scope.entityRef : null,
      title: scope.type === 'team' ? scope.title : null,
    },
    from: document.from,
    to: document.to,
    eligible: document.eligible,
    notEligibleReason: document.notEligibleReason ?? null,
    coverage,
    suppressedDays: document.suppressedDays,
    totals: { ...totals, members: totals.members ?? null },
    lastDay: last ?? null,
    peakDailyAgentUsers: Math.max(0, ...agentDays),
    topIdes: top(document.breakdowns.ide),
    topLanguages: top(document.breakdowns.language),
    topFeatures: top(document.breakdowns.feature),
    topModels: top(document.breakdowns.model),
  };
}

export const usageSummarySchema = (z: Zod) => {
  const count = z.number();
  const maybe = count.nullable();
  const topKeys = z
    .array(
      z.object({ key: z.string(), interactions: count, peakDailyUsers: count }),
    )
    .describe(`At most ${TOP_KEYS} keys, most interactions first`);
  return z.object({
    summary: z.string().describe('One paragraph a person can read as is'),
    scope: z.object({
      type: z.enum(['team', 'org', 'enterprise']),
      org: z.string().nullable(),
      enterprise: z.string().nullable(),
      entityRef: z.string().nullable(),
      title: z.string().nullable(),
    }),
    from: z.string(),
    to: z.string(),
    eligible: z
      .boolean()
      .describe('false: the team is below the privacy floor or has no data'),
    notEligibleReason: z.enum(['below-min-team-size', 'no-data']).nullable(),
    coverage: z.object({
      daysInRange: count,
      daysWithData: count,
      lastDay: z.string().nullable(),
    }),
    suppressedDays: count,
    totals: z
      .object({
        activeUsers: count.describe('Distinct people active in the range'),
        members: maybe,
        interactions: count,
        codeGenerations: count,
        codeAcceptances: count,
        locSuggestedToAdd: count,
        locAdded: count,
        completionAcceptanceRate: maybe.describe('0..1, weighted'),
        locAcceptanceRate: maybe.describe('0..1, weighted'),
      })
      .describe('Counters summed over the range'),
    lastDay: z
      .object({
        day: z.string(),
        activeUsers: count,
        weeklyActiveUsers: count,
        monthlyActiveUsers: count,
        chatUsers: maybe,
        agentUsers: maybe,
        monthlyActiveAgentUsers: maybe,
        memberCount: maybe,
      })
      .nullable()
      .describe('The last day with data, with its 7- and 28-day windows'),
    peakDailyAgentUsers: count,
    topIdes: topKeys,
    topLanguages: topKeys,
    topFeatures: topKeys,
    topModels: topKeys,
  });
};

/** The admin status, as "is the sync healthy" and why not. */
export function summariseSyncStatus(status: SyncStatus, now: Date) {
  const problems: string[] = [];
  const scopes = status.scopes.map(scope => {
    const daysBehind = daysBehindToday(scope.lastCompleteDay, now);
    if (scope.lastError) {
      problems.push(`${scope.scope}: the last run failed: ${scope.lastError}`);
    }
    if (daysBehind === null) {
      problems.push(`${scope.scope}: no day is stored yet`);
    } else if (daysBehind > STALE_AFTER_DAYS) {
      problems.push(
        `${scope.scope}: the last complete day (${scope.lastCompleteDay}) is ${daysBehind} days behind today`,
      );
    }
    if (scope.interrupted) {
      problems.push(`${scope.scope}: a sync was interrupted and will resume`);
    }
    if (scope.archive?.lastError) {
      problems.push(
        `${scope.scope}: archiving failed: ${scope.archive.lastError}`,
      );
    }
    return {
      ...scope,
      interrupted: Boolean(scope.interrupted),
      daysBehind,
      recentFailures: scope.recentFailures.length,
      archiveDaysPending: scope.archive?.daysPending ?? null,
    };
  });
  const healthy = problems.length === 0;
  return {
    healthy,
    summary: healthy
      ? `The sync is healthy: ${scopes.length} scope(s) up to date within ${STALE_AFTER_DAYS} days, no errors.`
      : `The sync needs attention: ${problems.join('; ')}.`,
    problems,
    restoreRunning: status.restore?.running ?? false,
    scopes,
  };
}

export const syncStatusSummarySchema = (z: Zod) =>
  z.object({
    healthy: z.boolean(),
    summary: z.string(),
    problems: z.array(z.string()),
    restoreRunning: z.boolean(),
    scopes: z.array(
      z.object({
        scope: z.string().describe('org:<name> or enterprise:<name>'),
        running: z.boolean(),
        interrupted: z.boolean(),
        lastRunFinishedAt: z.string().nullable(),
        lastCompleteDay: z.string().nullable(),
        daysBehind: z
          .number()
          .nullable()
          .describe('Days from the last complete day to today; 2 is current'),
        daysComplete: z.number(),
        daysMissing: z.number(),
        lastError: z.string().nullable(),
        recentFailures: z.number(),
        archiveDaysPending: z.number().nullable(),
      }),
    ),
  });
