import {
  MetricsDay,
  MetricsDocument,
  NotEligibleReason,
  TeamComparisonRow,
  dailyAdoption,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageStore } from '../../store/CopilotUsageStore';
import { TeamDayRollup } from '../../store/types';
import { ScopeKey } from '../../lib/scope';
import { forEachLimited } from '../../lib/concurrency';
import { DayRange } from '../RangeResolver';
import {
  coverageOf,
  emptyBreakdowns,
  groupBreakdowns,
  orgScope,
  pickCounters,
  totalsOf,
} from './documentParts';

/** Queries run at once when building one row per team. */
const TEAM_QUERY_CONCURRENCY = 4;

/** A team as the comparison table names it. */
export interface TeamLabel {
  entityRef: string;
  title: string;
}

/**
 * Team documents from the store's rollups (team_day, breakdown_day,
 * team_active_user_day), with the privacy rule: team-days with fewer than
 * `minTeamSize` members are hidden unless the caller may see them
 * (`includeSuppressed`, decided by the caller).
 */
export class TeamMetrics {
  constructor(
    private readonly options: {
      store: CopilotUsageStore;
      minTeamSize: number;
      /** Configured orgs, as spelled in config. */
      organizations: string[];
    },
  ) {}

  /**
   * One team's metrics over a range. Team-days below `minTeamSize` are left out
   * (and counted) unless `includeSuppressed`; with no day left the document is
   * "not eligible" and carries no numbers.
   */
  async document(
    team: { org: string; slug: string; entityRef: string; title: string },
    range: DayRange,
    options: { includeSuppressed: boolean },
  ): Promise<MetricsDocument> {
    const { store, minTeamSize } = this.options;
    const scope = orgScope(team.org);
    const [rows, coverage] = await Promise.all([
      store.getTeamDays(scope, team.slug, range.from, range.to),
      coverageOf(store, scope, range),
    ]);
    const summary = await this.#summarise(
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
      minTeamSize,
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
    const breakdowns = await store.getBreakdownTotals(
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
        this.#day(row, options.includeSuppressed),
      ),
      totals: summary.totals,
      breakdowns: groupBreakdowns(breakdowns),
    };
  }

  /**
   * One summary row per team the store knows in the org, for admins: every day
   * counts (suppressed ones too); `eligible` says whether others would see it.
   * Teams without a Backstage Group are listed with `entityRef: null`.
   */
  async comparison(
    org: string,
    range: DayRange,
    labels: Map<string, TeamLabel>,
  ): Promise<TeamComparisonRow[]> {
    const { store } = this.options;
    const scope = orgScope(org);
    const teams = await store.listTeams(scope);
    const slugs = [
      ...new Set([...teams.map(team => team.teamSlug), ...labels.keys()]),
    ].sort();
    const rows = new Map<string, TeamComparisonRow>();
    await forEachLimited(
      slugs,
      TEAM_QUERY_CONCURRENCY,
      () => true,
      async slug => {
        const days = await store.getTeamDays(scope, slug, range.from, range.to);
        const summary = await this.#summarise(scope, slug, range, days, {
          includeSuppressed: true,
        });
        const label = labels.get(slug);
        rows.set(slug, {
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
        });
      },
    );
    return slugs.map(slug => rows.get(slug)!);
  }

  /**
   * Whether each team met `minTeamSize` on the last day it appeared in the
   * membership report, keyed `<org>/<slug>` (lowercase). The rollups give each
   * team's last day; the report's own latest day overrides them, because during
   * a backfill (newest day first) the rollups lag the stored days. Cheap: two
   * queries per org.
   */
  async eligibility(): Promise<Map<string, boolean>> {
    const { store, minTeamSize } = this.options;
    const eligibility = new Map<string, boolean>();
    const set = (org: string, slug: string, members: number) =>
      eligibility.set(
        `${org}/${slug}`.toLocaleLowerCase('en-US'),
        members >= minTeamSize,
      );
    for (const org of this.options.organizations) {
      const [rolledUp, latest] = await Promise.all([
        store.listTeams(orgScope(org)),
        store.getLatestMembership(orgScope(org)),
      ]);
      rolledUp.forEach(team => set(org, team.teamSlug, team.memberCount));
      latest?.teams.forEach(team => set(org, team.teamSlug, team.memberCount));
    }
    return eligibility;
  }

  async #summarise(
    scope: ScopeKey,
    slug: string,
    range: DayRange,
    rows: TeamDayRollup[],
    options: { includeSuppressed: boolean },
  ) {
    const eligibleRows = rows.filter(
      row => row.memberCount >= this.options.minTeamSize,
    );
    const visibleRows = options.includeSuppressed ? rows : eligibleRows;
    const visibleDays = visibleRows.map(row => row.day);
    let notEligibleReason: NotEligibleReason | undefined;
    if (!rows.length) {
      notEligibleReason = 'no-data';
    } else if (!eligibleRows.length) {
      notEligibleReason = 'below-min-team-size';
    }
    const { store } = this.options;
    // Imported days have no membership rows: only report days name their members.
    const memberDays = membershipDays(visibleRows);
    const [activeUsers, members] = await Promise.all([
      visibleDays.length
        ? store.countTeamActiveUsers(
            scope,
            slug,
            range.from,
            range.to,
            options.includeSuppressed ? undefined : visibleDays,
          )
        : 0,
      memberDays.length
        ? store.countTeamMembers(scope, slug, memberDays)
        : null,
    ]);
    return {
      eligible: eligibleRows.length > 0,
      notEligibleReason,
      suppressedDays: rows.length - eligibleRows.length,
      visibleRows,
      visibleDays,
      totals: {
        ...totalsOf(visibleRows, activeUsers, visibleRows.length),
        // The same days as activeUsers, so an active user is always one of them.
        members,
      },
    };
  }

  #day(row: TeamDayRollup, flagSuppressed: boolean): MetricsDay {
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
        belowMinTeamSize: row.memberCount < this.options.minTeamSize,
      }),
    };
  }
}

/** Days whose member count comes from GitHub's user-teams report (not an import). */
function membershipDays(rows: TeamDayRollup[]): string[] {
  return rows.filter(row => row.source !== 'import').map(row => row.day);
}
