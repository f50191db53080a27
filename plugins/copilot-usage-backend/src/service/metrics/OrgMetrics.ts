import {
  MetricsDay,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  CopilotUsageStore,
  DailyFeatureUsers,
} from '../../store/CopilotUsageStore';
import { AggregateDayRow } from '../../store/types';
import { TtlCache } from '../../lib/ttlCache';
import { Scope, scopeKey } from '../../lib/scope';
import { DayRange } from '../RangeResolver';
import {
  coverageOf,
  emptyBreakdowns,
  groupBreakdowns,
  pickCounters,
  totalsOf,
} from './documentParts';

/**
 * An org's (or the enterprise's) metrics from GitHub's own aggregate report (its DAU/WAU/MAU; never
 * a sum of teams, which would count people in two teams twice). The range's
 * `activeUsers` is the distinct users with a per-user row in the range.
 *
 * GitHub's aggregate has no daily chat or agent user count (and not always a CLI
 * one): those come from the per-user rows of the day, as a team's do, so an org
 * page and a team page show the same figures with the same definitions.
 */
export class OrgMetrics {
  /*
   * The org's distinct users over a range scan the per-user index of that range
   * (about 0.9 s for a year of a 10,000-user org on PostgreSQL); the answer only
   * changes when the sync stores days, so it is kept for a few minutes.
   */
  readonly #activeUsers: TtlCache<number>;
  readonly #featureUsers: TtlCache<DailyFeatureUsers[]>;

  constructor(
    private readonly options: {
      store: CopilotUsageStore;
      minTeamSize: number;
      /** The clock; tests pin it. */
      now?: () => Date;
    },
  ) {
    const cacheOptions = {
      ttlMs: 5 * 60_000,
      maxSize: 200,
      now: options.now ?? (() => new Date()),
    };
    this.#activeUsers = new TtlCache(cacheOptions);
    this.#featureUsers = new TtlCache(cacheOptions);
  }

  async document(owner: Scope, range: DayRange): Promise<MetricsDocument> {
    const { store } = this.options;
    const scope = scopeKey(owner);
    const [rows, coverage] = await Promise.all([
      store.getAggregateDays(scope, range.from, range.to),
      coverageOf(store, scope, range),
    ]);
    const base = {
      scope:
        owner.kind === 'org'
          ? { type: 'org' as const, org: owner.name }
          : { type: 'enterprise' as const, enterprise: owner.name },
      from: range.from,
      to: range.to,
      coverage,
      minTeamSize: this.options.minTeamSize,
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
    const cacheKey = `${scope}|${range.from}|${range.to}`;
    const [activeUsers, featureUsers, breakdowns] = await Promise.all([
      this.#activeUsers.get(cacheKey, () =>
        store.countActiveUsers(scope, range.from, range.to),
      ),
      this.#featureUsers.get(cacheKey, () =>
        store.getDailyFeatureUsers(scope, range.from, range.to),
      ),
      store.getBreakdownTotals(scope, 'org', range.from, range.to),
    ]);
    const featureUsersByDay = new Map(featureUsers.map(f => [f.day, f]));
    return {
      ...base,
      eligible: true,
      days: rows.map(row => orgDay(row, featureUsersByDay.get(row.day))),
      totals: totalsOf(rows, activeUsers, rows.length),
      breakdowns: groupBreakdowns(breakdowns),
    };
  }
}

/** A day of GitHub's aggregate, with the feature users of the day's per-user rows (none on imported days). */
function orgDay(
  row: Omit<AggregateDayRow, 'raw'>,
  featureUsers: DailyFeatureUsers | undefined,
): MetricsDay {
  return {
    day: row.day,
    memberCount: null,
    activeUsers: row.dailyActiveUsers,
    weeklyActiveUsers: row.weeklyActiveUsers,
    monthlyActiveUsers: row.monthlyActiveUsers,
    chatUsers: featureUsers?.chatUsers ?? null,
    agentUsers: featureUsers?.agentUsers ?? null,
    cliUsers: featureUsers?.cliUsers ?? row.dailyActiveCliUsers,
    monthlyActiveChatUsers: row.monthlyActiveChatUsers,
    monthlyActiveAgentUsers: row.monthlyActiveAgentUsers,
    ...pickCounters(row),
    source: row.source ?? 'report',
  };
}
