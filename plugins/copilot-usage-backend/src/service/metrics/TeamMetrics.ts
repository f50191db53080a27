import {
  MetricsDay,
  MetricsDocument,
  NotEligibleReason,
  TeamComparisonRow,
  dailyAdoption,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageStore } from '../../store/CopilotUsageStore';
import { TeamDayRollup } from '../../store/types';
import { Scope, ScopeKey, scopeKey } from '../../lib/scope';
import { DayRange } from '../RangeResolver';
import {
  clientVersionsOf,
  coverageOf,
  creditsOf,
  emptyBreakdowns,
  groupBreakdowns,
  ownerFields,
  pickCounters,
  totalsOf,
} from './documentParts';

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
      /** The configured enterprise, whose enterprise teams count too. */
      enterprise?: string;
    },
  ) {}

  /**
   * One team's metrics over a range. Team-days below `minTeamSize` are left out
   * (and counted) unless `includeSuppressed`; with no day left the document is
   * "not eligible" and carries no numbers. `headline`: its days and totals only
   * (`MetricsView`).
   */
  async document(
    team: { owner: Scope; slug: string; entityRef: string; title: string },
    range: DayRange,
    options: { includeSuppressed: boolean; headline?: boolean },
  ): Promise<MetricsDocument> {
    const { store, minTeamSize } = this.options;
    const scope = scopeKey(team.owner);
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
      scope: {
        type: 'team' as const,
        entityRef: team.entityRef,
        ...ownerFields(team.owner),
        slug: team.slug,
        title: team.title,
      },
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
    const days = summary.visibleRows.map(row =>
      this.#day(row, options.includeSuppressed),
    );
    if (options.headline) {
      return {
        ...base,
        days,
        totals: summary.totals,
        breakdowns: emptyBreakdowns(),
      };
    }
    const onlyDays = options.includeSuppressed
      ? undefined
      : summary.visibleDays;
    const [breakdowns, clientVersions] = await Promise.all([
      store.getBreakdownTotals(
        scope,
        `team:${team.slug}`,
        range.from,
        range.to,
        undefined,
        onlyDays,
      ),
      // The members active on the visible days; logins only for admins (the
      // callers that may see suppressed days).
      clientVersionsOf(store, scope, range, {
        teamSlug: team.slug,
        onlyDays,
        includeLogins: options.includeSuppressed,
      }),
    ]);
    return {
      ...base,
      days,
      totals: summary.totals,
      breakdowns: groupBreakdowns(breakdowns),
      ...(clientVersions && { clientVersions }),
    };
  }

  /**
   * One summary row per team the store knows of the org (or the enterprise),
   * for admins: every day counts (suppressed ones too); `eligible` says whether
   * others would see it. Teams without a Backstage Group are listed with
   * `entityRef: null`.
   */
  async comparison(
    owner: Scope,
    range: DayRange,
    labels: Map<string, TeamLabel>,
  ): Promise<TeamComparisonRow[]> {
    const { store, minTeamSize } = this.options;
    const scope = scopeKey(owner);
    // A few grouped reads for every team at once, never a query per team.
    const [teams, summaries] = await Promise.all([
      store.listTeams(scope),
      store.getTeamRangeSummaries(scope, range.from, range.to, minTeamSize),
    ]);
    const bySlug = new Map(
      summaries.map(summary => [summary.teamSlug, summary]),
    );
    const slugs = [
      ...new Set([...teams.map(team => team.teamSlug), ...labels.keys()]),
    ].sort();
    const owned = ownerFields(owner);
    return slugs.map(slug => {
      const label = labels.get(slug);
      const summary = bySlug.get(slug);
      const eligible = (summary?.eligibleDays ?? 0) > 0;
      let notEligibleReason: NotEligibleReason | undefined;
      if (!summary) {
        notEligibleReason = 'no-data';
      } else if (!eligible) {
        notEligibleReason = 'below-min-team-size';
      }
      const activeUsers = summary?.activeUsers ?? 0;
      // Added to in place, not spread into copies (5,000 teams of 30 figures).
      const totals = totalsOf(
        summary ? [summary] : [],
        activeUsers,
        summary?.days ?? 0,
      );
      // Every day of the range counts here, the members' too.
      totals.members = summary?.reportDays ? summary.members : null;
      const credits = creditsOf(
        summary ? [{ aiCredits: summary.aiCredits }] : [],
        activeUsers,
      );
      totals.aiCredits = credits.aiCredits;
      totals.aiCreditsPerActiveUser = credits.aiCreditsPerActiveUser;
      // One literal of fixed keys, the optional ones added after: a literal that
      // starts with a spread is built key by key (measured: 24 ms of 5,000 rows).
      const row: TeamComparisonRow = {
        owner: owned.owner,
        slug,
        entityRef: label?.entityRef ?? null,
        title: label?.title ?? slug,
        // No rows at all: GitHub left the team out of its user-teams report.
        memberCount: summary ? summary.lastMemberCount : null,
        dailyAdoption: summary
          ? dailyAdoption([
              {
                activeUsers: summary.activeUserDays,
                memberCount: summary.memberDays,
              },
            ])
          : null,
        eligible,
        suppressedDays: summary ? summary.days - summary.eligibleDays : 0,
        totals,
      };
      if (owned.org !== undefined) row.org = owned.org;
      if (notEligibleReason) row.notEligibleReason = notEligibleReason;
      return row;
    });
  }

  /**
   * Whether each team met `minTeamSize` on the last day it appeared in the
   * membership report, keyed by {@link teamKey}. The rollups give each team's
   * last day; the report's own latest day overrides them, because during a
   * backfill (newest day first) the rollups lag the stored days. Cheap: two
   * queries per org and for the enterprise.
   */
  async eligibility(): Promise<Map<string, boolean>> {
    const { store, minTeamSize, organizations, enterprise } = this.options;
    const owners: Scope[] = [
      ...organizations.map(name => ({ kind: 'org' as const, name })),
      ...(enterprise
        ? [{ kind: 'enterprise' as const, name: enterprise }]
        : []),
    ];
    const eligibility = new Map<string, boolean>();
    for (const owner of owners) {
      const set = (slug: string, members: number) =>
        eligibility.set(teamKey(owner, slug), members >= minTeamSize);
      const [rolledUp, latest] = await Promise.all([
        store.listTeams(scopeKey(owner)),
        store.getLatestMembership(scopeKey(owner)),
      ]);
      rolledUp.forEach(team => set(team.teamSlug, team.memberCount));
      latest?.teams.forEach(team => set(team.teamSlug, team.memberCount));
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
        ...creditsOf(visibleRows, activeUsers),
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
      cloudAgentUsers: row.cloudAgentUsers ?? null,
      copilotAppUsers: row.copilotAppUsers ?? null,
      aiCredits: row.aiCredits ?? null,
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

/** A team's key in maps over several owners: `<kind>:<owner>/<slug>`, lowercase. */
export function teamKey(owner: Scope, slug: string): string {
  return `${scopeKey(owner)}/${slug}`.toLocaleLowerCase('en-US');
}

/** Days whose member count comes from GitHub's user-teams report (not an import). */
function membershipDays(rows: TeamDayRollup[]): string[] {
  return rows.filter(row => row.source !== 'import').map(row => row.day);
}
