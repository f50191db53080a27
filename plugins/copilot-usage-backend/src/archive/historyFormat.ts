/*
 * The day objects of teams_history.json and organisation_history.json as this plugin
 * writes them. Field names follow GitHub's report fields where one exists, and
 * `date` / `total_active_users` where dashboards built on the legacy API read them.
 * The importer reads these files back (format "plugin day"), so a history written
 * here can be imported elsewhere without loss. docs/archive-and-import.md lists them.
 */
import { MetricsCounters } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { AggregateDayRow, DataSource, TeamDayRollup } from '../store/types';

/** Counters in GitHub's names, plus the code-completion subset the acceptance rate uses. */
export interface HistoryCounters {
  user_initiated_interaction_count: number;
  code_generation_activity_count: number;
  code_acceptance_activity_count: number;
  loc_suggested_to_add_sum: number;
  loc_suggested_to_delete_sum: number;
  loc_added_sum: number;
  loc_deleted_sum: number;
  code_completion: {
    code_generation_activity_count: number;
    code_acceptance_activity_count: number;
    loc_suggested_to_add_sum: number;
    loc_added_sum: number;
  };
}

export interface TeamHistoryDay extends HistoryCounters {
  date: string;
  source: DataSource;
  /** Members of the team active that day. */
  total_active_users: number;
  weekly_active_users: number;
  monthly_active_users: number;
  /** Members that day (user-teams report). */
  member_count: number;
  chat_users: number;
  agent_users: number;
  cli_users: number;
}

export interface OrganisationHistoryDay extends HistoryCounters {
  date: string;
  source: DataSource;
  /** GitHub's daily_active_users. */
  total_active_users: number;
  weekly_active_users: number;
  monthly_active_users: number;
  monthly_active_chat_users: number;
  monthly_active_agent_users: number;
  daily_active_cli_users: number | null;
}

export interface TeamHistoryEntry {
  team: { name: string; slug: string; description: string; url: string };
  data: TeamHistoryDay[];
}

function countersOf(row: MetricsCounters): HistoryCounters {
  return {
    user_initiated_interaction_count: row.interactions,
    code_generation_activity_count: row.codeGenerations,
    code_acceptance_activity_count: row.codeAcceptances,
    loc_suggested_to_add_sum: row.locSuggestedToAdd,
    loc_suggested_to_delete_sum: row.locSuggestedToDelete,
    loc_added_sum: row.locAdded,
    loc_deleted_sum: row.locDeleted,
    code_completion: {
      code_generation_activity_count: row.completionGenerations,
      code_acceptance_activity_count: row.completionAcceptances,
      loc_suggested_to_add_sum: row.completionLocSuggestedToAdd,
      loc_added_sum: row.completionLocAdded,
    },
  };
}

export function teamHistoryDay(row: TeamDayRollup): TeamHistoryDay {
  return {
    date: row.day,
    source: row.source ?? 'report',
    total_active_users: row.activeUsers,
    weekly_active_users: row.weeklyActiveUsers,
    monthly_active_users: row.monthlyActiveUsers,
    member_count: row.memberCount,
    chat_users: row.chatUsers,
    agent_users: row.agentUsers,
    cli_users: row.cliUsers,
    ...countersOf(row),
  };
}

export function organisationHistoryDay(
  row: Omit<AggregateDayRow, 'raw'>,
): OrganisationHistoryDay {
  return {
    date: row.day,
    source: row.source ?? 'report',
    total_active_users: row.dailyActiveUsers,
    weekly_active_users: row.weeklyActiveUsers,
    monthly_active_users: row.monthlyActiveUsers,
    monthly_active_chat_users: row.monthlyActiveChatUsers,
    monthly_active_agent_users: row.monthlyActiveAgentUsers,
    daily_active_cli_users: row.dailyActiveCliUsers,
    ...countersOf(row),
  };
}
