import {
  ClientVersionsSummary,
  MetricsDay,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  CopilotUsageStore,
  DailyFeatureUsers,
} from '../../store/CopilotUsageStore';
import { AggregateDayRow } from '../../store/types';
import { DailyUserFields } from '../../store/operations/userFields';
import { TtlCache } from '../../lib/ttlCache';
import { Scope, scopeKey } from '../../lib/scope';
import { DayRange } from '../RangeResolver';
import {
  clientVersionsOf,
  coverageOf,
  creditsOf,
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
  readonly #userFields: TtlCache<DailyUserFields[]>;
  /* Each user's latest version per client: a window over the range's version intervals. */
  readonly #clientVersions: TtlCache<ClientVersionsSummary | undefined>;

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
    this.#userFields = new TtlCache(cacheOptions);
    this.#clientVersions = new TtlCache(cacheOptions);
  }

  /**
   * `includeLogins` (admins only): the client versions list the logins of the
   * users on flagged versions; others get the counts only. `headline`: the days
   * and totals only (`MetricsView`).
   */
  async document(
    owner: Scope,
    range: DayRange,
    options: { includeLogins?: boolean; headline?: boolean } = {},
  ): Promise<MetricsDocument> {
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
    const [activeUsers, featureUsers, userFields, breakdowns, clientVersions] =
      await Promise.all([
        this.#activeUsers.get(cacheKey, () =>
          store.countActiveUsers(scope, range.from, range.to),
        ),
        this.#featureUsers.get(cacheKey, () =>
          store.getDailyFeatureUsers(scope, range.from, range.to),
        ),
        this.#userFields.get(cacheKey, () =>
          store.getDailyUserFields(scope, range.from, range.to),
        ),
        options.headline
          ? []
          : store.getBreakdownTotals(scope, 'org', range.from, range.to),
        options.headline
          ? undefined
          : this.#clientVersions.get(
              `${cacheKey}|${options.includeLogins ? 'logins' : 'counts'}`,
              () =>
                clientVersionsOf(store, scope, range, {
                  includeLogins: options.includeLogins ?? false,
                }),
            ),
      ]);
    const featureUsersByDay = new Map(featureUsers.map(f => [f.day, f]));
    const userFieldsByDay = new Map(userFields.map(f => [f.day, f]));
    const days = rows.map(row =>
      orgDay(row, featureUsersByDay.get(row.day), userFieldsByDay.get(row.day)),
    );
    return {
      ...base,
      eligible: true,
      days,
      totals: {
        ...totalsOf(rows, activeUsers, rows.length),
        ...creditsOf(days, activeUsers),
      },
      breakdowns: groupBreakdowns(breakdowns),
      ...(clientVersions && { clientVersions }),
    };
  }
}

/** A day of GitHub's aggregate, with the feature users of the day's per-user rows (none on imported days). */
function orgDay(
  row: Omit<AggregateDayRow, 'raw'>,
  featureUsers: DailyFeatureUsers | undefined,
  userFields: DailyUserFields | undefined,
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
    cloudAgentUsers: userFields?.cloudAgentUsers ?? null,
    copilotAppUsers: userFields?.copilotAppUsers ?? null,
    aiCredits: userFields?.aiCredits ?? null,
    monthlyActiveChatUsers: row.monthlyActiveChatUsers,
    monthlyActiveAgentUsers: row.monthlyActiveAgentUsers,
    ...pickCounters(row),
    source: row.source ?? 'report',
  };
}
