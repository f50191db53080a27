import {
  BreakdownDimension,
  BreakdownItem,
  MetricsCounters,
  MetricsCoverage,
  MetricsTotals,
  completionAcceptanceRate,
  emptyCounters,
  locAcceptanceRate,
  sumCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  BreakdownTotal,
  CopilotUsageStore,
} from '../../store/CopilotUsageStore';
import { Scope, ScopeKey, scopeKey } from '../../lib/scope';
import { countDays } from '../../lib/days';
import { DayRange } from '../RangeResolver';

/* The pieces the team, org and user documents share. */

const BREAKDOWN_DIMENSIONS: BreakdownDimension[] = [
  'ide',
  'language',
  'feature',
  'model',
];

export function orgScope(org: string): ScopeKey {
  return scopeKey({ kind: 'org', name: org });
}

/**
 * A team's owner as the API names it: `owner`, and the deprecated `org` beside
 * it for an org's team (what clients read before enterprise teams existed).
 */
export function ownerFields(owner: Scope): { owner: Scope; org?: string } {
  return owner.kind === 'org'
    ? { owner: { ...owner }, org: owner.name }
    : { owner: { ...owner } };
}

export function pickCounters(row: MetricsCounters): MetricsCounters {
  return sumCounters([row]);
}

export function totalsOf(
  rows: MetricsCounters[],
  activeUsers: number,
  days: number,
): MetricsTotals {
  const counters = rows.length ? sumCounters(rows) : emptyCounters();
  return {
    ...counters,
    activeUsers,
    days,
    completionAcceptanceRate: completionAcceptanceRate(counters),
    locAcceptanceRate: locAcceptanceRate(counters),
  };
}

/** How many days of the range the store holds complete. */
export async function coverageOf(
  store: Pick<CopilotUsageStore, 'getCompleteDays'>,
  scope: ScopeKey,
  range: DayRange,
): Promise<MetricsCoverage> {
  const complete = await store.getCompleteDays(scope, range.from, range.to);
  return {
    daysInRange: countDays(range.from, range.to),
    daysWithData: complete.length,
    lastDay: complete.length ? complete[complete.length - 1] : null,
  };
}

export function emptyBreakdowns(): Record<BreakdownDimension, BreakdownItem[]> {
  return { ide: [], language: [], feature: [], model: [] };
}

/** Groups breakdown totals by dimension, busiest value first. */
export function groupBreakdowns(
  totals: BreakdownTotal[],
): Record<BreakdownDimension, BreakdownItem[]> {
  const grouped = emptyBreakdowns();
  for (const total of totals) {
    if (!BREAKDOWN_DIMENSIONS.includes(total.dimension)) {
      continue;
    }
    const { dimension, users, ...item } = total;
    grouped[dimension].push({ ...item, peakDailyUsers: users });
  }
  for (const items of Object.values(grouped)) {
    items.sort(
      (a, b) =>
        b.interactions +
          b.codeGenerations -
          (a.interactions + a.codeGenerations) || a.key.localeCompare(b.key),
    );
  }
  return grouped;
}
