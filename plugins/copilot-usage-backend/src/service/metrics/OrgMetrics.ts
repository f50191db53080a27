import {
  MetricsDay,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageStore } from '../../store/CopilotUsageStore';
import { AggregateDayRow } from '../../store/types';
import { TtlCache } from '../../lib/ttlCache';
import { DayRange } from '../RangeResolver';
import {
  coverageOf,
  emptyBreakdowns,
  groupBreakdowns,
  orgScope,
  pickCounters,
  totalsOf,
} from './documentParts';

/**
 * An org's metrics from GitHub's own aggregate report (its DAU/WAU/MAU; never
 * a sum of teams, which would count people in two teams twice). The range's
 * `activeUsers` is the distinct users with a per-user row in the range.
 */
export class OrgMetrics {
  /*
   * The org's distinct users over a range scan the per-user index of that range
   * (about 0.9 s for a year of a 10,000-user org on PostgreSQL); the answer only
   * changes when the sync stores days, so it is kept for a few minutes.
   */
  readonly #activeUsers: TtlCache<number>;

  constructor(
    private readonly options: {
      store: CopilotUsageStore;
      minTeamSize: number;
      /** The clock; tests pin it. */
      now?: () => Date;
    },
  ) {
    this.#activeUsers = new TtlCache({
      ttlMs: 5 * 60_000,
      maxSize: 200,
      now: options.now ?? (() => new Date()),
    });
  }

  async document(org: string, range: DayRange): Promise<MetricsDocument> {
    const { store } = this.options;
    const scope = orgScope(org);
    const [rows, coverage] = await Promise.all([
      store.getAggregateDays(scope, range.from, range.to),
      coverageOf(store, scope, range),
    ]);
    const base = {
      scope: { type: 'org' as const, org },
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
    const [activeUsers, breakdowns] = await Promise.all([
      this.#activeUsers.get(`${scope}|${range.from}|${range.to}`, () =>
        store.countActiveUsers(scope, range.from, range.to),
      ),
      store.getBreakdownTotals(scope, 'org', range.from, range.to),
    ]);
    return {
      ...base,
      eligible: true,
      days: rows.map(orgDay),
      totals: totalsOf(rows, activeUsers, rows.length),
      breakdowns: groupBreakdowns(breakdowns),
    };
  }
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
