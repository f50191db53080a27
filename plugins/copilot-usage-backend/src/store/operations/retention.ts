import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { addDays, toIsoDay } from '../../lib/days';
import { recordFirstKeptDay } from './scopeDays';

/** The tables of one row per person and day that `copilotUsage.retention.userDays` prunes. */
export const RETAINED_USER_TABLES = ['user_day', 'user_team_day'] as const;

/** Rows deleted per statement: a year of a large org is millions of rows. */
const DAYS_PER_DELETE = 7;

export interface RetentionOutcome {
  /** The oldest day kept. */
  firstKeptDay: string;
  /** Rows deleted per table (`report_lines`: one per scope, day and report). */
  deleted: Record<
    (typeof RETAINED_USER_TABLES)[number] | 'report_lines',
    number
  >;
}

/**
 * Deletes the per-user rows and GitHub's lines of the users and user-teams reports of days
 * more than `userDays` days before today (UTC), in every scope. What the
 * product keeps of those days stays: the org and enterprise aggregate, the team
 * rollups (team_day, breakdown_day, and team_active_user_day, the team's
 * active user ids), the scope's daily figures (scope_day), the day bits that give exact distinct users over any range
 * (`./dayBits`), the seats and the ingestion log (so the sync does not fetch the
 * days again). After it, a range reaching before the first kept day counts a
 * person's own days over the kept days only. The first kept day is recorded per
 * scope (user_row_retention): the rollup rebuild never touches the days before it.
 * Without `userDays` nothing is deleted.
 */
export class UserRowRetention {
  constructor(
    private readonly db: Knex,
    private readonly options: {
      userDays?: number;
      now?: () => Date;
    },
  ) {}

  /** The oldest day kept, or undefined when everything is kept. */
  firstKeptDay(): string | undefined {
    const { userDays } = this.options;
    if (userDays === undefined) return undefined;
    const today = toIsoDay(this.options.now?.() ?? new Date())!;
    return addDays(today, -userDays);
  }

  /** Deletes what is older than the first kept day; undefined when nothing is to be deleted. */
  async apply(): Promise<RetentionOutcome | undefined> {
    const firstKeptDay = this.firstKeptDay();
    if (!firstKeptDay) return undefined;
    const deleted = { user_day: 0, user_team_day: 0, report_lines: 0 };
    const pruned: {
      table: (typeof RETAINED_USER_TABLES)[number];
      days: string[];
    }[] = [];
    const scopes = new Set<string>();
    for (const table of RETAINED_USER_TABLES) {
      const records: { scope: string; day: string }[] = await this.db(table)
        .distinct('scope', 'day')
        .where('day', '<', firstKeptDay);
      records.forEach(record => scopes.add(record.scope));
      pruned.push({
        table,
        days: [...new Set(records.map(record => record.day))].sort(),
      });
    }
    // Recorded first: from here on the rollup rebuild leaves these days alone, even
    // should a delete below fail half way.
    await recordFirstKeptDay(this.db, [...scopes].sort(), firstKeptDay);
    for (const { table, days } of pruned) {
      // A week at a time, oldest first: short statements, no long lock of the table.
      for (let i = 0; i < days.length; i += DAYS_PER_DELETE) {
        const chunk = days.slice(i, i + DAYS_PER_DELETE);
        deleted[table] += await this.db(table).whereIn('day', chunk).delete();
      }
    }
    // GitHub's lines of those reports go with their rows.
    deleted.report_lines = await this.db('report_lines')
      .where('day', '<', firstKeptDay)
      .delete();
    return { firstKeptDay, deleted };
  }
}

/** Runs the retention after a sync, then drops the routes' cached reads of the deleted rows. */
export async function applyRetention(
  retention: UserRowRetention,
  cache: { invalidate(): void },
  logger: LoggerService,
): Promise<void> {
  const outcome = await retention.apply();
  cache.invalidate();
  if (outcome && (outcome.deleted.user_day || outcome.deleted.user_team_day)) {
    logger.info(
      `Copilot usage retention: deleted per-user rows before ${outcome.firstKeptDay} (user_day ${outcome.deleted.user_day}, user_team_day ${outcome.deleted.user_team_day}, report_lines ${outcome.deleted.report_lines})`,
    );
  }
}
