import {
  BreakdownDimension,
  BreakdownItem,
  ClientVersionsSummary,
  clientVersionFlag,
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
import { ClientVersionFilter } from '../../store/operations/userFields';
import { Scope, ScopeKey, scopeKey } from '../../lib/scope';
import { countDays } from '../../lib/days';
import { DayRange } from '../RangeResolver';

/* The pieces the team, org and user documents share. */

const BREAKDOWN_DIMENSIONS: BreakdownDimension[] = [
  'ide',
  'language',
  'feature',
  'model',
  'thirdPartyAgent',
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
  // Filled in place: a comparison builds this for each of 5,000 teams.
  const totals = (
    rows.length ? sumCounters(rows) : emptyCounters()
  ) as MetricsTotals;
  totals.activeUsers = activeUsers;
  totals.days = days;
  totals.completionAcceptanceRate = completionAcceptanceRate(totals);
  totals.locAcceptanceRate = locAcceptanceRate(totals);
  return totals;
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
  return { ide: [], language: [], feature: [], model: [], thirdPartyAgent: [] };
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

/** Most logins a document lists as on flagged versions (the count is always complete). */
export const MAX_FLAGGED_LOGINS = 500;

/**
 * AI credits summed over days that carry them (`null` when none does), and per
 * active user of the range.
 */
export function creditsOf(
  days: Array<{ aiCredits?: number | null }>,
  activeUsers: number,
): { aiCredits: number | null; aiCreditsPerActiveUser: number | null } {
  const known = days.filter(
    d => d.aiCredits !== null && d.aiCredits !== undefined,
  );
  if (!known.length) return { aiCredits: null, aiCreditsPerActiveUser: null };
  const aiCredits = round2(known.reduce((n, d) => n + d.aiCredits!, 0));
  return {
    aiCredits,
    aiCreditsPerActiveUser:
      activeUsers > 0 ? round2(aiCredits / activeUsers) : null,
  };
}

/** Credits are reported with cents (1 credit = $0.01): two decimals, no float noise. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Which client versions the range's users were last seen on, flagged where GitHub
 * named the version as undercounting; with `includeLogins` (admins) the logins of
 * the users on flagged versions. Undefined when no user has a known version.
 */
export async function clientVersionsOf(
  store: Pick<CopilotUsageStore, 'getClientVersionSummary'>,
  scope: ScopeKey,
  range: DayRange,
  options: ClientVersionFilter & { includeLogins: boolean },
): Promise<ClientVersionsSummary | undefined> {
  const { includeLogins, ...filter } = options;
  // Counted in the database: an org's people are not sent a row each.
  const summary = await store.getClientVersionSummary(
    scope,
    range.from,
    range.to,
    filter,
    {
      isFlagged: (client, version) =>
        clientVersionFlag(client, version) !== undefined,
      withLogins: includeLogins,
    },
  );
  if (!summary.versions.length) return undefined;
  type Client = ClientVersionsSummary['clients'][number];
  const clients = new Map<string, Client>();
  for (const row of summary.versions) {
    let client = clients.get(row.client);
    if (!client) {
      client = { client: row.client, users: 0, versions: [] };
      clients.set(row.client, client);
    }
    client.users += row.users;
    const flag = clientVersionFlag(row.client, row.version);
    client.versions.push({
      version: row.version,
      plugin: row.plugin,
      pluginVersion: row.pluginVersion,
      users: row.users,
      share: 0,
      ...(flag && { flag: { id: flag.id, label: flag.label } }),
    });
  }
  for (const client of clients.values()) {
    for (const version of client.versions) {
      version.share = version.users / client.users;
    }
    client.versions.sort(
      (a, b) =>
        b.users - a.users ||
        a.version.localeCompare(b.version) ||
        a.pluginVersion.localeCompare(b.pluginVersion),
    );
  }
  return {
    users: summary.people,
    clients: [...clients.values()].sort(
      (a, b) => b.users - a.users || a.client.localeCompare(b.client),
    ),
    // Distinct people: one may be on flagged versions of two clients.
    flaggedUsers: summary.flaggedPeople,
    ...(includeLogins && {
      flaggedLogins: summary.flaggedLogins
        .sort((a, b) => a.localeCompare(b))
        .slice(0, MAX_FLAGGED_LOGINS),
    }),
  };
}
