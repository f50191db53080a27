/*
 * The metric formulas the backend computes with and the frontend explains in
 * tooltips. One definition for both sides keeps the numbers and their
 * descriptions from drifting apart.
 */
import { METRICS_COUNTER_KEYS, MetricsCounters } from './api';

/**
 * `numerator / denominator`, or `null` when the denominator is 0 (no activity is
 * not a rate of 0%).
 *
 * @public
 */
export function ratio(numerator: number, denominator: number): number | null {
  if (!denominator) {
    return null;
  }
  return numerator / denominator;
}

/**
 * Counters that are all zero.
 *
 * @public
 */
export function emptyCounters(): MetricsCounters {
  const counters = {} as MetricsCounters;
  for (const key of METRICS_COUNTER_KEYS) {
    counters[key] = 0;
  }
  return counters;
}

/**
 * Sums the counters of several days (or teams, or orgs). Other fields of the
 * inputs are ignored.
 *
 * @public
 */
export function sumCounters(rows: Iterable<MetricsCounters>): MetricsCounters {
  const sum = emptyCounters();
  for (const row of rows) {
    for (const key of METRICS_COUNTER_KEYS) {
      sum[key] += Number(row[key]) || 0;
    }
  }
  return sum;
}

/**
 * Share of code-completion suggestions accepted:
 * Σ acceptances / Σ generations of the `code_completion` feature. Pass counters
 * summed over the range (see {@link sumCounters}), never average daily rates.
 *
 * @public
 */
export function completionAcceptanceRate(
  counters: Pick<
    MetricsCounters,
    'completionAcceptances' | 'completionGenerations'
  >,
): number | null {
  return ratio(counters.completionAcceptances, counters.completionGenerations);
}

/**
 * Share of suggested lines that were added:
 * Σ lines added / Σ lines suggested to add, of the `code_completion` feature.
 * Other features (agent edits, chat insertions) add lines nobody "suggested" in
 * the completion sense, which would push the ratio past 100%.
 *
 * @public
 */
export function locAcceptanceRate(
  counters: Pick<
    MetricsCounters,
    'completionLocAdded' | 'completionLocSuggestedToAdd'
  >,
): number | null {
  return ratio(
    counters.completionLocAdded,
    counters.completionLocSuggestedToAdd,
  );
}

/**
 * The average share of a team's members active on a day:
 * Σ daily active users / Σ daily member counts, over the given team-days. Every
 * day weighs by its membership, so the result stays at most 1 when people join
 * and leave during the range (distinct active users over the range divided by
 * one day's members does not). `null` when no day has a member count.
 *
 * @public
 */
export function dailyAdoption(
  days: Iterable<{ activeUsers: number; memberCount: number | null }>,
): number | null {
  let active = 0;
  let members = 0;
  for (const day of days) {
    if (day.memberCount === null) {
      continue;
    }
    active += Number(day.activeUsers) || 0;
    members += Number(day.memberCount) || 0;
  }
  return ratio(active, members);
}

/**
 * Every metric the UI and the CSV export name.
 *
 * @public
 */
export type MetricKey =
  | keyof MetricsCounters
  | 'activeUsers'
  | 'weeklyActiveUsers'
  | 'monthlyActiveUsers'
  | 'chatUsers'
  | 'agentUsers'
  | 'cliUsers'
  | 'cloudAgentUsers'
  | 'copilotAppUsers'
  | 'aiCredits'
  | 'aiCreditsPerActiveUser'
  | 'monthlyActiveChatUsers'
  | 'monthlyActiveAgentUsers'
  | 'memberCount'
  | 'dailyAdoption'
  | 'completionAcceptanceRate'
  | 'locAcceptanceRate';

/**
 * A metric's label and the definition shown in its tooltip.
 *
 * @public
 */
export interface MetricDefinition {
  label: string;
  description: string;
}

/**
 * Labels and definitions of every metric, for tooltips, table headers and CSV
 * documentation.
 *
 * @public
 */
export const METRIC_DEFINITIONS: Readonly<Record<MetricKey, MetricDefinition>> =
  {
    activeUsers: {
      label: 'Active users',
      description:
        'Distinct users with any Copilot activity. For a single day: users active that day. For a range: users active on at least one day of the range, each counted once. For a team, only days on which the user was a member count.',
    },
    weeklyActiveUsers: {
      label: 'Weekly active users',
      description:
        'Distinct users active on any of the 7 days ending on this day. For a team, a user counts if they were a member on the day they were active.',
    },
    monthlyActiveUsers: {
      label: 'Monthly active users',
      description:
        'Distinct users active on any of the 28 days ending on this day. For a team, a user counts if they were a member on the day they were active.',
    },
    chatUsers: {
      label: 'Chat users',
      description:
        'Distinct users who used Copilot Chat that day (for a team: members that day), from the per-user report.',
    },
    agentUsers: {
      label: 'Agent users',
      description:
        'Distinct users who used Copilot agent mode that day (for a team: members that day), from the per-user report.',
    },
    cliUsers: {
      label: 'CLI users',
      description:
        'Distinct users who used the Copilot CLI that day (for a team: members that day), from the per-user report.',
    },
    cloudAgentUsers: {
      label: 'Cloud agent users',
      description:
        "Distinct users who used the Copilot cloud agent (formerly coding agent) that day (for a team: members that day), from the per-user report's used_copilot_cloud_agent or used_copilot_coding_agent.",
    },
    copilotAppUsers: {
      label: 'Copilot app users',
      description:
        'Distinct users who used the Copilot app that day (for a team: members that day), from the per-user report; GitHub reports it since 2026-07-28.',
    },
    aiCredits: {
      label: 'AI credits',
      description:
        "GitHub's ai_credits_used of the per-user rows, summed: a metrics signal, not a billed total (1 credit = $0.01; the bill is in GitHub's billing usage). A person in several teams on a day counts 1/n of their credits in each of their n teams, so teams never add up to more than the organization.",
    },
    aiCreditsPerActiveUser: {
      label: 'AI credits per active user',
      description:
        'AI credits of the period divided by its active users (distinct people). A metrics signal, not a billed total.',
    },
    monthlyActiveChatUsers: {
      label: 'Monthly chat users',
      description:
        "GitHub's count of distinct users who used Copilot Chat in the 28 days ending on this day (organization only).",
    },
    monthlyActiveAgentUsers: {
      label: 'Monthly agent users',
      description:
        "GitHub's count of distinct users who used agent mode in the 28 days ending on this day (organization only).",
    },
    memberCount: {
      label: 'Members',
      description:
        "Members of the team that day, from GitHub's user-teams report. Days with fewer members than the privacy threshold are hidden from everyone but admins.",
    },
    dailyAdoption: {
      label: 'Daily adoption',
      description:
        "The average share of the team's members who used Copilot on a day: active users summed over the days of the period, divided by members summed over the same days. Never above 100%, even when people join or leave the team during the period.",
    },
    interactions: {
      label: 'Interactions',
      description:
        'Prompts and other interactions users started (GitHub: user_initiated_interaction_count), summed.',
    },
    codeGenerations: {
      label: 'Code generations',
      description:
        'Times Copilot generated code, across all features (completions, chat, agent), summed.',
    },
    codeAcceptances: {
      label: 'Code acceptances',
      description:
        'Times users accepted generated code, across all features, summed.',
    },
    locSuggestedToAdd: {
      label: 'Lines suggested',
      description:
        'Lines of code Copilot suggested adding, across all features, summed.',
    },
    locSuggestedToDelete: {
      label: 'Lines suggested for deletion',
      description:
        'Lines of code Copilot suggested deleting, across all features, summed.',
    },
    locAdded: {
      label: 'Lines added',
      description:
        'Lines of code added from Copilot, across all features, summed.',
    },
    locDeleted: {
      label: 'Lines deleted',
      description:
        'Lines of code deleted by Copilot, across all features, summed.',
    },
    completionGenerations: {
      label: 'Completions shown',
      description:
        'Code completions Copilot showed (feature code_completion), summed.',
    },
    completionAcceptances: {
      label: 'Completions accepted',
      description:
        'Code completions users accepted (feature code_completion), summed.',
    },
    completionLocSuggestedToAdd: {
      label: 'Completion lines suggested',
      description: 'Lines suggested by code completions, summed.',
    },
    completionLocAdded: {
      label: 'Completion lines accepted',
      description: 'Lines added from accepted code completions, summed.',
    },
    completionAcceptanceRate: {
      label: 'Completion acceptance rate',
      description:
        'Accepted code completions divided by completions shown, both summed over the whole period (not an average of daily rates). Empty when nothing was shown.',
    },
    locAcceptanceRate: {
      label: 'Line acceptance rate',
      description:
        'Lines added from code completions divided by lines suggested by code completions, both summed over the whole period (not an average of daily rates). Empty when nothing was suggested.',
    },
  };
