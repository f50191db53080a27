/*
 * scope_day: per scope and day, what an org or enterprise page shows of the day's
 * per-user rows (feature users, AI credits), so a request reads one row a day instead
 * of grouping a day's user rows (a year of 100,000 seats is 36 million of them).
 * Rebuilt with the day's team rollups; retention prunes the per-user rows, not these.
 *
 * user_row_retention: the first day whose per-user rows retention kept, per scope.
 */
import { Knex } from 'knex';
import { ScopeKey } from '../../lib/scope';
import { DbRecord, toNumber } from '../records';
import { roundedToSix } from './util';

/** One day of a scope's per-user rows, as scope_day keeps it. */
export interface ScopeDayFigures {
  day: string;
  users: number;
  chatUsers: number;
  agentUsers: number;
  cliUsers: number;
  cloudAgentUsers: number;
  copilotAppUsers: number;
  /** Sum of `ai_credits_used`, rounded to six decimals; null when no row of the day has it. */
  aiCredits: number | null;
}

const usersWith = (flag: string) => `SUM(CASE WHEN ${flag} THEN 1 ELSE 0 END)`;

/** Replaces the scope_day row of each day with what its user_day rows say (none without rows). */
export async function rebuildScopeDays(
  trx: Knex.Transaction,
  scope: ScopeKey,
  days: string[],
): Promise<void> {
  for (const day of days) {
    await trx('scope_day').where({ scope, day }).delete();
    await trx.raw(
      `INSERT INTO scope_day (scope, day, users, chat_users, agent_users, cli_users,
         cloud_agent_users, copilot_app_users, ai_credits)
       SELECT scope, day, COUNT(*), ${usersWith('used_chat')}, ${usersWith('used_agent')},
         ${usersWith('used_cli')}, ${usersWith('used_cloud_agent')},
         ${usersWith('used_copilot_app')}, ${roundedToSix(trx, 'SUM(ai_credits_used)')}
       FROM user_day WHERE scope = ? AND day = ? GROUP BY scope, day`,
      [scope, day],
    );
  }
}

/** The scope's days in [from, to] that had user rows, ascending. */
export async function getScopeDays(
  db: Knex,
  scope: ScopeKey,
  from: string,
  to: string,
): Promise<ScopeDayFigures[]> {
  const records: DbRecord[] = await db('scope_day')
    .where({ scope })
    .whereBetween('day', [from, to])
    .orderBy('day');
  return records.map(record => ({
    day: record.day,
    users: toNumber(record.users),
    chatUsers: toNumber(record.chat_users),
    agentUsers: toNumber(record.agent_users),
    cliUsers: toNumber(record.cli_users),
    cloudAgentUsers: toNumber(record.cloud_agent_users),
    copilotAppUsers: toNumber(record.copilot_app_users),
    aiCredits:
      record.ai_credits === null || record.ai_credits === undefined
        ? null
        : Math.round(Number(record.ai_credits) * 1e6) / 1e6,
  }));
}

/** The first day whose per-user rows retention kept in the scope; undefined when it never pruned. */
export async function getFirstKeptDay(
  db: Knex,
  scope: ScopeKey,
): Promise<string | undefined> {
  const record = await db('user_row_retention')
    .where({ scope })
    .first('first_kept_day');
  return record?.first_kept_day ?? undefined;
}

/**
 * Records that the scopes' per-user rows before `firstKeptDay` are (about to be)
 * deleted. The bound only moves forward: days pruned once stay pruned.
 */
export async function recordFirstKeptDay(
  db: Knex,
  scopes: ScopeKey[],
  firstKeptDay: string,
): Promise<void> {
  if (scopes.length === 0) return;
  const greatest = db.client.dialect === 'postgresql' ? 'GREATEST' : 'MAX';
  await db('user_row_retention')
    .insert(scopes.map(scope => ({ scope, first_kept_day: firstKeptDay })))
    .onConflict('scope')
    .merge({
      first_kept_day: db.raw(
        `${greatest}(user_row_retention.first_kept_day, excluded.first_kept_day)`,
      ),
    });
}
