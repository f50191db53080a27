import {
  UserMetricsDay,
  UserMetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageStore } from '../../store/CopilotUsageStore';
import { DayRange } from '../RangeResolver';
import { orgScope, pickCounters, totalsOf } from './documentParts';

/** One user's own per-day rows across the configured orgs, each day once. */
export class UserMetrics {
  constructor(
    private readonly options: {
      store: Pick<CopilotUsageStore, 'getUserDays'>;
      /** Configured orgs, as spelled in config. */
      organizations: string[];
    },
  ) {}

  async document(
    user: { entityRef: string; login: string },
    range: DayRange,
  ): Promise<UserMetricsDocument> {
    const perOrg = await Promise.all(
      this.options.organizations.map(async org => {
        const rows = await this.options.store.getUserDays(
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
    // GitHub reports a person's activity in full in every org they are a member of
    // (IDE telemetry carries no org), so a person in two orgs has the same day twice:
    // one row per day, the first configured org's, counts them once.
    const byDay = new Map<string, UserMetricsDay>();
    for (const row of perOrg.flat()) {
      if (!byDay.has(row.day)) byDay.set(row.day, row);
    }
    const days = [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
    const activeDays = days.length;
    return {
      user,
      from: range.from,
      to: range.to,
      days,
      totals: totalsOf(days, activeDays ? 1 : 0, activeDays),
    };
  }
}
