/*
 * The history files this plugin writes to its archive, teams_history.json (the
 * ONS format `[{ team, data }]`, each day with the legacy team-metrics fields too)
 * and organisation_history.json, written and read here.
 * Field names follow GitHub's report fields where one exists, and `date` /
 * `total_active_users` where dashboards built on the legacy API read them. What is
 * written is read back without loss. docs/archive-and-import.md lists the fields.
 */
import { z } from 'zod';
import { isoDaySchema } from '../../lib/zod';
import {
  githubCounterFields,
  metricsFromGithub,
  metricsToGithub,
} from '../../lib/counters';
import {
  BreakdownTotal,
  CopilotUsageStore,
} from '../../store/CopilotUsageStore';
import { AggregateDayRow, TeamDayRollup } from '../../store/types';
import { ScopeKey, parseScopeKey } from '../../lib/scope';
import { checked } from '../detectFormat';
import { MappedDay, count, emptyDay, optionalCount } from './shared';

/** The fields every written day starts with, in the order they are written. */
function dayHead(
  row: Pick<
    AggregateDayRow,
    'day' | 'source' | 'weeklyActiveUsers' | 'monthlyActiveUsers'
  >,
  activeUsers: number,
) {
  return {
    date: row.day,
    source: row.source ?? 'report',
    total_active_users: activeUsers,
    weekly_active_users: row.weeklyActiveUsers,
    monthly_active_users: row.monthlyActiveUsers,
  };
}

/** Editor, model and language name of the one path the legacy counters are written under. */
export const LEGACY_ALL = 'all';

/**
 * The legacy team-metrics fields of a team day (`/orgs/{org}/team/{slug}/copilot/metrics`,
 * what the ONS dashboard keeps in teams_history.json), mapped back from today's
 * counters the way the import maps them forward. The plugin keeps one-dimensional
 * breakdowns, not GitHub's old editor × model × language tree, so the counters sit
 * under one editor, model and language named `all`; the per-language engaged users
 * come from the language breakdown. GitHub's reports have no chat insertion or copy
 * events, github.com chat or pull-request summaries: those stay 0 / empty.
 */
export function legacyTeamMetrics(
  row: TeamDayRollup,
  breakdowns: BreakdownTotal[] = [],
) {
  const completionUsers =
    breakdowns.find(
      b => b.dimension === 'feature' && b.key === 'code_completion',
    )?.users ?? 0;
  const model = (users: number) => ({
    name: 'default',
    is_custom_model: false,
    custom_model_training_date: null,
    total_engaged_users: users,
  });
  return {
    total_engaged_users: row.activeUsers,
    copilot_ide_code_completions: {
      total_engaged_users: completionUsers,
      languages: breakdowns
        .filter(b => b.dimension === 'language')
        .map(b => ({ name: b.key, total_engaged_users: b.users })),
      editors: [
        {
          name: LEGACY_ALL,
          total_engaged_users: completionUsers,
          models: [
            {
              ...model(completionUsers),
              languages: [
                {
                  name: LEGACY_ALL,
                  total_engaged_users: completionUsers,
                  total_code_suggestions: row.completionGenerations,
                  total_code_acceptances: row.completionAcceptances,
                  total_code_lines_suggested: row.completionLocSuggestedToAdd,
                  total_code_lines_accepted: row.completionLocAdded,
                },
              ],
            },
          ],
        },
      ],
    },
    copilot_ide_chat: {
      total_engaged_users: row.chatUsers,
      editors: [
        {
          name: LEGACY_ALL,
          total_engaged_users: row.chatUsers,
          models: [
            {
              ...model(row.chatUsers),
              total_chats: row.interactions,
              total_chat_insertion_events: 0,
              total_chat_copy_events: 0,
            },
          ],
        },
      ],
    },
    copilot_dotcom_chat: { total_engaged_users: 0, models: [] },
    copilot_dotcom_pull_requests: { total_engaged_users: 0, repositories: [] },
  };
}

/**
 * A day of teams_history.json: total_active_users are the team's members active that
 * day; the plugin's own fields, then the legacy team-metrics ones (read by dashboards
 * built on the ONS format; the import reads the plugin's own fields back).
 */
export function teamHistoryDay(
  row: TeamDayRollup,
  breakdowns: BreakdownTotal[] = [],
) {
  return {
    ...dayHead(row, row.activeUsers),
    /** Members that day (user-teams report). */
    member_count: row.memberCount,
    chat_users: row.chatUsers,
    agent_users: row.agentUsers,
    cli_users: row.cliUsers,
    ...metricsToGithub(row),
    ...legacyTeamMetrics(row, breakdowns),
  };
}

/** A day of organisation_history.json: total_active_users is GitHub's daily_active_users. */
export function organisationHistoryDay(row: Omit<AggregateDayRow, 'raw'>) {
  return {
    ...dayHead(row, row.dailyActiveUsers),
    monthly_active_chat_users: row.monthlyActiveChatUsers,
    monthly_active_agent_users: row.monthlyActiveAgentUsers,
    daily_active_cli_users: row.dailyActiveCliUsers,
    ...metricsToGithub(row),
  };
}

export interface TeamHistoryEntry {
  team: { name: string; slug: string; description: string; url: string };
  data: ReturnType<typeof teamHistoryDay>[];
}

const ALL_DAYS = ['0000-01-01', '9999-12-31'] as const;

/** The scope's two history files, from every day the database holds. */
export async function historyFiles(store: CopilotUsageStore, scope: ScopeKey) {
  const { kind, name } = parseScopeKey(scope);
  const organisation = (await store.getAggregateDays(scope, ...ALL_DAYS)).map(
    organisationHistoryDay,
  );
  const teams: TeamHistoryEntry[] = [];
  for (const team of await store.listTeams(scope)) {
    const days = await store.getTeamDays(scope, team.teamSlug, ...ALL_DAYS);
    const breakdowns = new Map<string, BreakdownTotal[]>();
    for (const { day, ...row } of await store.getBreakdownDays(
      scope,
      `team:${team.teamSlug}`,
      ...ALL_DAYS,
    )) {
      breakdowns.set(day, [...(breakdowns.get(day) ?? []), row]);
    }
    teams.push({
      team: {
        name: team.teamSlug,
        slug: team.teamSlug,
        description: '',
        url:
          kind === 'org'
            ? `https://github.com/orgs/${name}/teams/${team.teamSlug}`
            : '',
      },
      data: days.map(day => teamHistoryDay(day, breakdowns.get(day.day))),
    });
  }
  return { organisation, teams };
}

// ---- reading them back -------------------------------------------------------

const teamEntry = z.looseObject({
  team: z.looseObject({
    name: z.string().nullish(),
    slug: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9._-]+$/, 'must be a GitHub team slug'),
  }),
  data: z.array(z.unknown()),
});

/** A `{ team, data }` entry of a teams history at `path`; its days are read by the caller. */
export const readTeamEntry = (entry: unknown, path: string) =>
  checked(teamEntry, entry, path);

const historyDaySchema = z.looseObject({
  date: isoDaySchema,
  total_active_users: count,
  weekly_active_users: count,
  monthly_active_users: count,
  member_count: optionalCount,
  chat_users: count,
  agent_users: count,
  cli_users: optionalCount,
  daily_active_cli_users: optionalCount,
  monthly_active_chat_users: count,
  monthly_active_agent_users: count,
  ...githubCounterFields(count),
  code_completion: z
    .looseObject({
      code_generation_activity_count: count,
      code_acceptance_activity_count: count,
      loc_suggested_to_add_sum: count,
      loc_added_sum: count,
    })
    .nullish(),
});

/** Days this plugin wrote carry GitHub's new counter names; legacy `date` days do not. */
export function isHistoryDay(item: object): boolean {
  return (
    'code_generation_activity_count' in item ||
    'user_initiated_interaction_count' in item
  );
}

/** A day of teams_history.json or organisation_history.json at `path`, mapped. */
export function readHistoryDay(item: unknown, path: string): MappedDay {
  const parsed = checked(historyDaySchema, item, path);
  const mapped = emptyDay(parsed.date, item);
  mapped.counters = metricsFromGithub(parsed, parsed.code_completion);
  mapped.activeUsers = parsed.total_active_users;
  mapped.weeklyActiveUsers = parsed.weekly_active_users;
  mapped.monthlyActiveUsers = parsed.monthly_active_users;
  mapped.memberCount = parsed.member_count ?? parsed.total_active_users;
  mapped.chatUsers = parsed.chat_users;
  mapped.agentUsers = parsed.agent_users;
  mapped.cliUsers = parsed.cli_users ?? parsed.daily_active_cli_users ?? null;
  mapped.monthlyActiveChatUsers = parsed.monthly_active_chat_users;
  mapped.monthlyActiveAgentUsers = parsed.monthly_active_agent_users;
  return mapped;
}
