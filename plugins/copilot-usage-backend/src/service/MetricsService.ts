import {
  BreakdownDimension,
  BreakdownItem,
  DEFAULT_RANGE_DAYS,
  MAX_RANGE_DAYS,
  MetricsCoverage,
  MetricsDay,
  MetricsDocument,
  MetricsTotals,
  NotEligibleReason,
  ScopeSyncStatus,
  SeatUtilisation,
  SyncStatus,
  TeamComparisonRow,
  UserMetricsDay,
  UserMetricsDocument,
  completionAcceptanceRate,
  dailyAdoption,
  emptyCounters,
  locAcceptanceRate,
  sumCounters,
  MetricsCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageStore, BreakdownTotal } from '../store/CopilotUsageStore';
import {
  AggregateDayRow,
  IngestionLogEntry,
  TeamDayRollup,
} from '../store/types';
import { REPORT_KINDS, ScopeKey, scopeKey } from '../lib/scope';
import { addDays, countDays, toIsoDay } from '../lib/days';
import { runLiveness } from '../ingest/syncLease';

/** The last day GitHub publishes reports for is two days back (UTC). */
const PUBLISHING_LAG_DAYS = 2;
const RECENT_FAILURES = 20;
const BREAKDOWN_DIMENSIONS: BreakdownDimension[] = [
  'ide',
  'language',
  'feature',
  'model',
];
/** Queries run at once when building one row per team. */
const TEAM_QUERY_CONCURRENCY = 4;
/*
 * The org's distinct users over a range scan the per-user index of that range
 * (about 0.9 s for a year of a 10,000-user org on PostgreSQL); the answer only
 * changes when the sync stores days, so it is kept for a few minutes.
 */
const ORG_ACTIVE_USERS_TTL_MS = 5 * 60_000;
const ORG_ACTIVE_USERS_CACHE_SIZE = 200;

export interface DayRange {
  from: string;
  to: string;
}

/** A team as the comparison table names it. */
export interface TeamLabel {
  entityRef: string;
  title: string;
}

export interface MetricsServiceOptions {
  store: CopilotUsageStore;
  /** Team-days with fewer members are hidden from everyone but admins. */
  minTeamSize: number;
  /** Configured orgs, as spelled in config. */
  organizations: string[];
  enterprise?: string;
  /** The clock; tests pin it. */
  now?: () => Date;
}

/**
 * Builds the documents the routes return from the store's pre-aggregated rows
 * (team_day, aggregate_day, breakdown_day, team_active_user_day). Knows the
 * metric definitions and the privacy rule; knows nothing about HTTP or
 * permissions: callers decide what the caller may see (`includeSuppressed`).
 */
export class MetricsService {
  readonly #store: CopilotUsageStore;
  readonly #minTeamSize: number;
  readonly #organizations: string[];
  readonly #enterprise?: string;
  readonly #now: () => Date;
  readonly #orgActiveUsers = new Map<
    string,
    { expiresAt: number; count: Promise<number> }
  >();

  constructor(options: MetricsServiceOptions) {
    this.#store = options.store;
    this.#minTeamSize = options.minTeamSize;
    this.#organizations = options.organizations;
    this.#enterprise = options.enterprise;
    this.#now = options.now ?? (() => new Date());
  }

  get minTeamSize(): number {
    return this.#minTeamSize;
  }

  /** The last day GitHub publishes reports for: today minus 2 (UTC). */
  lastPublishedDay(): string {
    return addDays(toIsoDay(this.#now())!, -PUBLISHING_LAG_DAYS);
  }

  /**
   * The range a request asked for, with the defaults filled in: 28 days ending
   * at the org's last complete day (or the last published day without data).
   */
  async resolveRange(
    org: string | undefined,
    requested: Partial<DayRange>,
  ): Promise<DayRange> {
    if (requested.from && requested.to) {
      return { from: requested.from, to: requested.to };
    }
    if (requested.from) {
      return {
        from: requested.from,
        to: addDays(requested.from, DEFAULT_RANGE_DAYS - 1),
      };
    }
    const to =
      requested.to ??
      (org && (await this.#lastCompleteDay(orgScope(org)))) ??
      this.lastPublishedDay();
    return { from: addDays(to, -(DEFAULT_RANGE_DAYS - 1)), to };
  }

  /**
   * One team's metrics over a range. Team-days below `minTeamSize` are left out
   * (and counted) unless `includeSuppressed`; with no day left the document is
   * "not eligible" and carries no numbers.
   */
  async teamMetrics(
    team: { org: string; slug: string; entityRef: string; title: string },
    range: DayRange,
    options: { includeSuppressed: boolean },
  ): Promise<MetricsDocument> {
    const scope = orgScope(team.org);
    const [rows, coverage] = await Promise.all([
      this.#store.getTeamDays(scope, team.slug, range.from, range.to),
      this.#coverage(scope, range),
    ]);
    const summary = await this.#summariseTeam(
      scope,
      team.slug,
      range,
      rows,
      options,
    );
    const base = {
      scope: { type: 'team' as const, ...team },
      from: range.from,
      to: range.to,
      coverage,
      minTeamSize: this.#minTeamSize,
      suppressedDays: summary.suppressedDays,
      eligible: summary.eligible,
      ...(summary.notEligibleReason && {
        notEligibleReason: summary.notEligibleReason,
      }),
    };
    if (!summary.visibleDays.length) {
      return {
        ...base,
        days: [],
        totals: summary.totals,
        breakdowns: emptyBreakdowns(),
      };
    }
    const breakdowns = await this.#store.getBreakdownTotals(
      scope,
      `team:${team.slug}`,
      range.from,
      range.to,
      undefined,
      options.includeSuppressed ? undefined : summary.visibleDays,
    );
    return {
      ...base,
      days: summary.visibleRows.map(row =>
        this.#teamDay(row, options.includeSuppressed),
      ),
      totals: summary.totals,
      breakdowns: groupBreakdowns(breakdowns),
    };
  }

  /**
   * An org's metrics from GitHub's own aggregate report (its DAU/WAU/MAU; never
   * a sum of teams, which would count people in two teams twice). The range's
   * `activeUsers` is the distinct users with a per-user row in the range.
   */
  async orgMetrics(org: string, range: DayRange): Promise<MetricsDocument> {
    const scope = orgScope(org);
    const [rows, coverage] = await Promise.all([
      this.#store.getAggregateDays(scope, range.from, range.to),
      this.#coverage(scope, range),
    ]);
    const base = {
      scope: { type: 'org' as const, org },
      from: range.from,
      to: range.to,
      coverage,
      minTeamSize: this.#minTeamSize,
      suppressedDays: 0,
    };
    if (!rows.length) {
      return {
        ...base,
        eligible: false,
        notEligibleReason: 'no-data',
        days: [],
        totals: totalsOf([], 0, 0),
        breakdowns: emptyBreakdowns(),
      };
    }
    const [activeUsers, breakdowns] = await Promise.all([
      this.#countOrgActiveUsers(scope, range),
      this.#store.getBreakdownTotals(scope, 'org', range.from, range.to),
    ]);
    return {
      ...base,
      eligible: true,
      days: rows.map(orgDay),
      totals: totalsOf(rows, activeUsers, rows.length),
      breakdowns: groupBreakdowns(breakdowns),
    };
  }

  /**
   * One summary row per team the store knows in the org, for admins: every day
   * counts (suppressed ones too); `eligible` says whether others would see it.
   * Teams without a Backstage Group are listed with `entityRef: null`.
   */
  async teamComparison(
    org: string,
    range: DayRange,
    labels: Map<string, TeamLabel>,
  ): Promise<TeamComparisonRow[]> {
    const scope = orgScope(org);
    const teams = await this.#store.listTeams(scope);
    const slugs = [
      ...new Set([...teams.map(team => team.teamSlug), ...labels.keys()]),
    ].sort();
    const rows = await mapConcurrently(
      slugs,
      TEAM_QUERY_CONCURRENCY,
      async slug => {
        const days = await this.#store.getTeamDays(
          scope,
          slug,
          range.from,
          range.to,
        );
        const summary = await this.#summariseTeam(scope, slug, range, days, {
          includeSuppressed: true,
        });
        const label = labels.get(slug);
        const row: TeamComparisonRow = {
          org,
          slug,
          entityRef: label?.entityRef ?? null,
          title: label?.title ?? slug,
          // No rows at all: GitHub left the team out of its user-teams report.
          memberCount: days.length ? days[days.length - 1].memberCount : null,
          dailyAdoption: dailyAdoption(summary.visibleRows),
          eligible: summary.eligible,
          ...(summary.notEligibleReason && {
            notEligibleReason: summary.notEligibleReason,
          }),
          suppressedDays: summary.suppressedDays,
          totals: summary.totals,
        };
        return row;
      },
    );
    return rows;
  }

  /**
   * Whether each stored team met `minTeamSize` on the last day it appeared in the
   * membership report, keyed `<org>/<slug>` (lowercase). Cheap: one query per org.
   */
  async teamEligibility(): Promise<Map<string, boolean>> {
    const eligibility = new Map<string, boolean>();
    for (const org of this.#organizations) {
      for (const team of await this.#store.listTeams(orgScope(org))) {
        eligibility.set(
          `${org}/${team.teamSlug}`.toLocaleLowerCase('en-US'),
          team.memberCount >= this.#minTeamSize,
        );
      }
    }
    return eligibility;
  }

  /** One user's own per-day rows across the configured orgs. */
  async userMetrics(
    user: { entityRef: string; login: string },
    range: DayRange,
  ): Promise<UserMetricsDocument> {
    const perOrg = await Promise.all(
      this.#organizations.map(async org => {
        const rows = await this.#store.getUserDays(
          orgScope(org),
          { userLogin: user.login },
          range.from,
          range.to,
        );
        return rows.map((row): UserMetricsDay => ({
          day: row.day,
          org,
          usedChat: row.usedChat,
          usedAgent: row.usedAgent,
          usedCli: row.usedCli,
          ...pickCounters(row),
        }));
      }),
    );
    const days = perOrg
      .flat()
      .sort((a, b) => a.day.localeCompare(b.day) || a.org.localeCompare(b.org));
    const activeDays = new Set(days.map(day => day.day)).size;
    return {
      user,
      from: range.from,
      to: range.to,
      days,
      totals: totalsOf(days, activeDays ? 1 : 0, activeDays),
    };
  }

  /** Copilot seats at the org's latest snapshot. */
  async seatUtilisation(org: string): Promise<SeatUtilisation> {
    const seats = await this.#store.getLatestSeats(orgScope(org));
    const snapshotDay = seats[0]?.snapshotDay ?? null;
    const utilisation: SeatUtilisation = {
      org,
      snapshotDay,
      total: seats.length,
      assigned: 0,
      activeLast7Days: 0,
      activeLast30Days: 0,
      neverUsed: 0,
      inactive: 0,
      pendingCancellation: 0,
    };
    if (!snapshotDay) {
      return utilisation;
    }
    const weekStart = addDays(snapshotDay, -6);
    const monthStart = addDays(snapshotDay, -29);
    for (const seat of seats) {
      if (seat.pendingCancellationDate) {
        utilisation.pendingCancellation += 1;
      } else {
        utilisation.assigned += 1;
      }
      const lastActive = seat.lastActivityAt
        ? toIsoDay(seat.lastActivityAt)
        : undefined;
      if (!lastActive) {
        utilisation.neverUsed += 1;
      } else if (lastActive >= monthStart) {
        utilisation.activeLast30Days += 1;
        if (lastActive >= weekStart) {
          utilisation.activeLast7Days += 1;
        }
      } else {
        utilisation.inactive += 1;
      }
    }
    return utilisation;
  }

  /** The sync's state for every configured scope and any other scope the store knows. */
  async syncStatus(): Promise<SyncStatus> {
    const configured = [
      ...this.#organizations.map(orgScope),
      ...(this.#enterprise
        ? [scopeKey({ kind: 'enterprise', name: this.#enterprise })]
        : []),
    ];
    const scopes = [
      ...new Set([...configured, ...(await this.#store.listScopes())]),
    ];
    const lastPublishedDay = this.lastPublishedDay();
    return {
      scopes: await Promise.all(
        scopes.map(scope => this.#scopeStatus(scope, lastPublishedDay)),
      ),
    };
  }

  async #scopeStatus(
    scope: ScopeKey,
    lastPublishedDay: string,
  ): Promise<ScopeSyncStatus> {
    const [state, log, archive] = await Promise.all([
      this.#store.getSyncState(scope),
      this.#store.getIngestionLog(scope),
      this.#store.getArchiveState(scope),
    ]);
    const byDay = new Map<string, IngestionLogEntry[]>();
    for (const entry of log) {
      byDay.set(entry.day, [...(byDay.get(entry.day) ?? []), entry]);
    }
    const completeDays = [...byDay]
      .filter(([, entries]) => isDayComplete(entries))
      .map(([day]) => day)
      .sort();
    const noDataDays = new Set(
      [...byDay]
        .filter(([, entries]) => isDayWithoutData(entries))
        .map(([day]) => day),
    );
    const firstDay = log.length ? log.map(entry => entry.day).sort()[0] : null;
    const expectedDays = firstDay ? countDays(firstDay, lastPublishedDay) : 0;
    const expected = (day: string) => day <= lastPublishedDay;
    const completeExpected = completeDays.filter(expected).length;
    // A crashed replica leaves `running` set: only a fresh heartbeat means running.
    const { running, interrupted } = runLiveness(state, this.#now());
    return {
      scope,
      running,
      ...(interrupted && { interrupted }),
      lastRunStartedAt: state?.lastRunStartedAt ?? null,
      lastRunFinishedAt: state?.lastRunFinishedAt ?? null,
      progress: {
        daysDone: state?.daysDone ?? 0,
        daysTotal: state?.daysTotal ?? 0,
      },
      lastError: state?.lastError ?? null,
      firstDay,
      lastCompleteDay: completeDays.length
        ? completeDays[completeDays.length - 1]
        : null,
      daysComplete: completeDays.filter(day => !noDataDays.has(day)).length,
      daysWithData: log.filter(
        entry => entry.report === 'aggregate' && entry.status === 'complete',
      ).length,
      daysNoData: [...noDataDays].filter(expected).length,
      daysMissing: Math.max(0, expectedDays - completeExpected),
      recentFailures: log
        .filter(entry => entry.status === 'failed')
        .sort(
          (a, b) =>
            b.updatedAt.localeCompare(a.updatedAt) ||
            b.day.localeCompare(a.day),
        )
        .slice(0, RECENT_FAILURES)
        .map(entry => ({
          day: entry.day,
          report: entry.report,
          error: entry.error ?? 'unknown error',
          at: entry.updatedAt,
        })),
      ...(archive && {
        archive: {
          lastRunAt: archive.lastRunAt,
          lastSuccessAt: archive.lastSuccessAt,
          lastError: archive.lastError,
          daysPending: (await this.#store.getDaysToArchive(scope)).length,
        },
      }),
    };
  }

  async #summariseTeam(
    scope: ScopeKey,
    slug: string,
    range: DayRange,
    rows: TeamDayRollup[],
    options: { includeSuppressed: boolean },
  ) {
    const eligibleRows = rows.filter(
      row => row.memberCount >= this.#minTeamSize,
    );
    const visibleRows = options.includeSuppressed ? rows : eligibleRows;
    const visibleDays = visibleRows.map(row => row.day);
    let notEligibleReason: NotEligibleReason | undefined;
    if (!rows.length) {
      notEligibleReason = 'no-data';
    } else if (!eligibleRows.length) {
      notEligibleReason = 'below-min-team-size';
    }
    const activeUsers = visibleDays.length
      ? await this.#store.countTeamActiveUsers(
          scope,
          slug,
          range.from,
          range.to,
          options.includeSuppressed ? undefined : visibleDays,
        )
      : 0;
    return {
      eligible: eligibleRows.length > 0,
      notEligibleReason,
      suppressedDays: rows.length - eligibleRows.length,
      visibleRows,
      visibleDays,
      totals: totalsOf(visibleRows, activeUsers, visibleRows.length),
    };
  }

  #teamDay(row: TeamDayRollup, flagSuppressed: boolean): MetricsDay {
    return {
      day: row.day,
      memberCount: row.memberCount,
      activeUsers: row.activeUsers,
      weeklyActiveUsers: row.weeklyActiveUsers,
      monthlyActiveUsers: row.monthlyActiveUsers,
      chatUsers: row.chatUsers,
      agentUsers: row.agentUsers,
      cliUsers: row.cliUsers,
      monthlyActiveChatUsers: null,
      monthlyActiveAgentUsers: null,
      ...pickCounters(row),
      source: row.source ?? 'report',
      ...(flagSuppressed && {
        belowMinTeamSize: row.memberCount < this.#minTeamSize,
      }),
    };
  }

  #countOrgActiveUsers(scope: ScopeKey, range: DayRange): Promise<number> {
    const key = `${scope}|${range.from}|${range.to}`;
    const now = this.#now().getTime();
    const cached = this.#orgActiveUsers.get(key);
    if (cached && cached.expiresAt > now) {
      return cached.count;
    }
    if (this.#orgActiveUsers.size >= ORG_ACTIVE_USERS_CACHE_SIZE) {
      this.#orgActiveUsers.clear();
    }
    const count = this.#store.countActiveUsers(scope, range.from, range.to);
    this.#orgActiveUsers.set(key, {
      expiresAt: now + ORG_ACTIVE_USERS_TTL_MS,
      count,
    });
    count.catch(() => this.#orgActiveUsers.delete(key));
    return count;
  }

  async #coverage(scope: ScopeKey, range: DayRange): Promise<MetricsCoverage> {
    const complete = await this.#store.getCompleteDays(
      scope,
      range.from,
      range.to,
    );
    return {
      daysInRange: countDays(range.from, range.to),
      daysWithData: complete.length,
      lastDay: complete.length ? complete[complete.length - 1] : null,
    };
  }

  async #lastCompleteDay(scope: ScopeKey): Promise<string | undefined> {
    const to = this.lastPublishedDay();
    const days = await this.#store.getCompleteDays(
      scope,
      addDays(to, -(MAX_RANGE_DAYS - 1)),
      to,
    );
    return days[days.length - 1];
  }
}

function orgScope(org: string): ScopeKey {
  return scopeKey({ kind: 'org', name: org });
}

function isDayComplete(entries: IngestionLogEntry[]): boolean {
  return REPORT_KINDS.every(report =>
    entries.some(
      entry =>
        entry.report === report &&
        (entry.status === 'complete' || entry.status === 'no_data'),
    ),
  );
}

/** Every report of the day answered 204: GitHub had no data (asked again on a backoff). */
function isDayWithoutData(entries: IngestionLogEntry[]): boolean {
  return REPORT_KINDS.every(report =>
    entries.some(
      entry => entry.report === report && entry.status === 'no_data',
    ),
  );
}

function pickCounters(row: MetricsCounters): MetricsCounters {
  return sumCounters([row]);
}

function totalsOf(
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

function orgDay(row: Omit<AggregateDayRow, 'raw'>): MetricsDay {
  return {
    day: row.day,
    memberCount: null,
    activeUsers: row.dailyActiveUsers,
    weeklyActiveUsers: row.weeklyActiveUsers,
    monthlyActiveUsers: row.monthlyActiveUsers,
    chatUsers: null,
    agentUsers: null,
    cliUsers: row.dailyActiveCliUsers,
    monthlyActiveChatUsers: row.monthlyActiveChatUsers,
    monthlyActiveAgentUsers: row.monthlyActiveAgentUsers,
    ...pickCounters(row),
    source: row.source ?? 'report',
  };
}

function emptyBreakdowns(): Record<BreakdownDimension, BreakdownItem[]> {
  return { ide: [], language: [], feature: [], model: [] };
}

/** Groups breakdown totals by dimension, busiest value first. */
function groupBreakdowns(
  totals: BreakdownTotal[],
): Record<BreakdownDimension, BreakdownItem[]> {
  const grouped = emptyBreakdowns();
  for (const total of totals) {
    if (!BREAKDOWN_DIMENSIONS.includes(total.dimension)) {
      continue;
    }
    grouped[total.dimension].push({
      key: total.key,
      interactions: total.interactions,
      codeGenerations: total.codeGenerations,
      codeAcceptances: total.codeAcceptances,
      locSuggestedToAdd: total.locSuggestedToAdd,
      locSuggestedToDelete: total.locSuggestedToDelete,
      locAdded: total.locAdded,
      locDeleted: total.locDeleted,
      peakDailyUsers: total.users,
    });
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

async function mapConcurrently<T, R>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(concurrency, items.length) },
    async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]);
      }
    },
  );
  await Promise.all(workers);
  return results;
}
