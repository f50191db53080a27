import { Knex } from 'knex';
import { addDays, daysBetween } from '../../lib/days';
import { ScopeKey } from '../../lib/scope';
import { RollupStore } from '../CopilotUsageStore';
import { COUNTER_COLUMNS } from '../records';
import { rebuildBreakdownMonths } from './breakdownMonths';
import { rebuildDayBits, teamActiveInWindows } from './dayBits';
import { rebuildLastDays } from './lastDays';
import { getFirstKeptDay, rebuildScopeDays } from './scopeDays';
import { rebuildTeamMonths } from './teamMonths';
import { refreshLatestVersions } from './userFields';
import { deleteWhereIn, roundedToSix } from './util';

/** Trailing windows of the team rolling metrics, the day itself included. */
const WEEK_DAYS = 7;
const MONTH_DAYS = 28;

/**
 * Team figures pre-aggregated into `team_day` and `team_active_user_day` (and per
 * month into `team_month`, `./teamMonths`), the scope's
 * daily figures into `scope_day` (`./scopeDays`), the day bits of range distinct
 * counts (`./dayBits`) and the people's last days (`./lastDays`), so queries never
 * scan per-user rows. Days before the scope's
 * retention bound (`user_row_retention`) are left untouched.
 */
export function rollupStore(db: Knex): RollupStore {
  return {
    async rebuildTeamRollups(scope, days) {
      // One transaction: a reader never sees some days rebuilt and the windows after
      // them not yet.
      const ascending = [...new Set(days)].sort();
      await db.transaction(async trx => {
        // From breakdown_day, which retention never prunes: every day given.
        await rebuildBreakdownMonths(trx, scope, ascending);
        // From the version intervals, which the day writer keeps: every day given.
        if (ascending.length > 0) {
          await refreshLatestVersions(trx, scope, ascending[0]);
        }
        // Days before the retention bound lost their per-user rows: a rebuild from
        // nothing would empty their rollups, so they stay as they are.
        const firstKeptDay = await getFirstKeptDay(trx, scope);
        const rebuilt = firstKeptDay
          ? ascending.filter(day => day >= firstKeptDay)
          : ascending;
        if (rebuilt.length === 0) {
          // The last days' histograms also follow an erasure of kept-out days.
          await rebuildLastDays(trx, scope, []);
          return;
        }
        if (trx.client.dialect === 'postgresql') {
          // During a first sync PostgreSQL has no useful statistics for these tables,
          // expects a handful of rows per day and nests loops over thousands (measured:
          // 23 s instead of 4 s for 28 days of 10,000 users). Hash joins suit every size.
          await trx.raw('SET LOCAL enable_nestloop = off');
        }
        for (const day of rebuilt) {
          await rebuildTeamActiveUsers(trx, scope, day);
        }
        // The bits before team_day: its rolling windows are counted from them.
        await rebuildDayBits(trx, scope, rebuilt);
        for (const day of rebuilt) {
          await rebuildTeamDays(trx, scope, day);
        }
        await rebuildTeamMonths(trx, scope, rebuilt);
        await rebuildScopeDays(trx, scope, rebuilt);
        await rebuildLastDays(trx, scope, rebuilt);
      });
    },
  };
}

/**
 * team_active_user_day of one day: members of a team who had a user row that day.
 * Runs before team_day of the day is replaced: the teams of its current rows are the
 * teams that can have index rows that day, which lets the delete use the primary key.
 */
async function rebuildTeamActiveUsers(
  trx: Knex.Transaction,
  scope: ScopeKey,
  day: string,
) {
  const teamSlugs: string[] = await trx('team_day')
    .where({ scope, day })
    .pluck('team_slug');
  await deleteWhereIn(
    trx('team_active_user_day').where({ scope, day }),
    'team_slug',
    teamSlugs,
  );
  await trx.raw(
    `INSERT INTO team_active_user_day (scope, team_slug, day, user_id)
     SELECT m.scope, m.team_slug, m.day, m.user_id
     FROM user_team_day m
     JOIN user_day u ON u.scope = m.scope AND u.day = m.day AND u.user_id = m.user_id
     WHERE m.scope = ? AND m.day = ?`,
    [scope, day],
  );
}

const counterColumns = Object.values(COUNTER_COLUMNS);

/**
 * The members' credits, each split 1/n over their n teams of the day, rounded to
 * six decimals: a float sum depends on the order the engine adds in, and a day
 * rebuilt must give the same row.
 */
function roundedCredits(trx: Knex.Transaction) {
  return roundedToSix(trx, 'SUM(u.ai_credits_used * 1.0 / k.teams)');
}

/**
 * team_day of one day, one row per team in that day's membership (zeros when nobody
 * was active). Needs the day bits of the day and the 27 days before it.
 * AI credits: each member's credits of the day are split 1/n across the n teams
 * they were in that day, so the teams of a scope never sum above its per-user rows.
 */
async function rebuildTeamDays(
  trx: Knex.Transaction,
  scope: ScopeKey,
  day: string,
) {
  // Imported history (no membership behind it) survives, unless the day now has
  // membership from the reports: report data replaces it.
  const hasMembership = await trx('user_team_day')
    .where({ scope, day })
    .first('day');
  const existing = trx('team_day').where({ scope, day });
  await (
    hasMembership ? existing : existing.whereNot({ source: 'import' })
  ).delete();
  // The 7- and 28-day windows' distinct active members from the day bits: a pass over
  // the scope's bit rows instead of a distinct count per team and window (measured at
  // 10,000 users: 2.8 s of a 28-day rollup on PostgreSQL).
  const windows = teamActiveInWindows(scope, [
    daysBetween(addDays(day, -(WEEK_DAYS - 1)), day),
    daysBetween(addDays(day, -(MONTH_DAYS - 1)), day),
  ]);
  const userCount = (flag: string) =>
    `SUM(CASE WHEN u.${flag} THEN 1 ELSE 0 END)`;
  await trx.raw(
    `INSERT INTO team_day (scope, day, team_slug, team_id, member_count, active_users,
       weekly_active_users, monthly_active_users, chat_users, agent_users, cli_users,
       cloud_agent_users, copilot_app_users, ai_credits,
       ${counterColumns.join(', ')})
     SELECT m.scope, m.day, m.team_slug, MAX(m.team_id), COUNT(*), COUNT(u.user_id),
       COALESCE(MAX(w.w0), 0), COALESCE(MAX(w.w1), 0),
       ${userCount('used_chat')}, ${userCount('used_agent')}, ${userCount('used_cli')},
       ${userCount('used_cloud_agent')}, ${userCount('used_copilot_app')},
       ${roundedCredits(trx)},
       ${counterColumns.map(column => `COALESCE(SUM(u.${column}), 0)`).join(', ')}
     FROM user_team_day m
     LEFT JOIN user_day u ON u.scope = m.scope AND u.day = m.day AND u.user_id = m.user_id
     LEFT JOIN (SELECT user_id, COUNT(*) AS teams FROM user_team_day
       WHERE scope = ? AND day = ? GROUP BY user_id) k ON k.user_id = m.user_id
     LEFT JOIN (${windows.sql}) w ON w.team_slug = m.team_slug
     WHERE m.scope = ? AND m.day = ?
     GROUP BY m.scope, m.day, m.team_slug`,
    [scope, day, ...windows.bindings, scope, day],
  );
}
