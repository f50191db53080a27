/*
 * The seven activity counters under GitHub's names (its reports, the plugin's own
 * history files), written once: the schemas and mappings both ways derive from it.
 */
import {
  ActivityCounters,
  MetricsCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { z } from 'zod';

/** GitHub's field of each activity counter, in display order. */
export const GITHUB_COUNTER_FIELDS = {
  interactions: 'user_initiated_interaction_count',
  codeGenerations: 'code_generation_activity_count',
  codeAcceptances: 'code_acceptance_activity_count',
  locSuggestedToAdd: 'loc_suggested_to_add_sum',
  locSuggestedToDelete: 'loc_suggested_to_delete_sum',
  locAdded: 'loc_added_sum',
  locDeleted: 'loc_deleted_sum',
} as const satisfies Record<keyof ActivityCounters, string>;

export type GithubCounterField =
  (typeof GITHUB_COUNTER_FIELDS)[keyof ActivityCounters];

const EMPTY_GITHUB_COUNTERS = Object.fromEntries(
  Object.values(GITHUB_COUNTER_FIELDS).map(field => [field, 0]),
) as Record<GithubCounterField, number>;

/** The counters a breakdown row carries (every feature's; no `completion*`). */
export const ACTIVITY_COUNTER_KEYS = Object.keys(
  GITHUB_COUNTER_FIELDS,
) as ReadonlyArray<keyof ActivityCounters>;

/** Schema fields for every counter under GitHub's name, each read with `count`. */
export function githubCounterFields<T extends z.ZodType>(
  count: T,
): Record<GithubCounterField, T> {
  return Object.fromEntries(
    Object.values(GITHUB_COUNTER_FIELDS).map(field => [field, count]),
  ) as Record<GithubCounterField, T>;
}

/** The counters of a record that carries them under GitHub's names. */
export function countersFromGithub(
  record: Record<GithubCounterField, number>,
): ActivityCounters {
  // Written out, not mapped over the keys: this runs for every entry of every user
  // line, and objects built by Object.fromEntries were a tenth of a sync's CPU time
  // (slow to build and to add to). The type checks every counter is here.
  return {
    interactions: record.user_initiated_interaction_count,
    codeGenerations: record.code_generation_activity_count,
    codeAcceptances: record.code_acceptance_activity_count,
    locSuggestedToAdd: record.loc_suggested_to_add_sum,
    locSuggestedToDelete: record.loc_suggested_to_delete_sum,
    locAdded: record.loc_added_sum,
    locDeleted: record.loc_deleted_sum,
  };
}

/** The counters under GitHub's names, in display order. */
export function countersToGithub(
  counters: ActivityCounters,
): Record<GithubCounterField, number> {
  return Object.fromEntries(
    ACTIVITY_COUNTER_KEYS.map(key => [
      GITHUB_COUNTER_FIELDS[key],
      counters[key],
    ]),
  ) as Record<GithubCounterField, number>;
}

/** The code-completion counters under GitHub's names (the subset the acceptance rate uses). */
type GithubCompletion = Partial<
  Record<
    | 'code_generation_activity_count'
    | 'code_acceptance_activity_count'
    | 'loc_suggested_to_add_sum'
    | 'loc_added_sum',
    number
  >
>;

/** All counters of a record: its own, and those of its `code_completion` entry (0 without one). */
export function metricsFromGithub(
  record: Record<GithubCounterField, number>,
  completion: GithubCompletion | null | undefined,
): MetricsCounters {
  return {
    ...countersFromGithub(record),
    completionGenerations: completion?.code_generation_activity_count ?? 0,
    completionAcceptances: completion?.code_acceptance_activity_count ?? 0,
    completionLocSuggestedToAdd: completion?.loc_suggested_to_add_sum ?? 0,
    completionLocAdded: completion?.loc_added_sum ?? 0,
  };
}

/** All counters under GitHub's names, the completion ones as a `code_completion` entry. */
export function metricsToGithub(counters: MetricsCounters) {
  return {
    ...countersToGithub(counters),
    code_completion: {
      code_generation_activity_count: counters.completionGenerations,
      code_acceptance_activity_count: counters.completionAcceptances,
      loc_suggested_to_add_sum: counters.completionLocSuggestedToAdd,
      loc_added_sum: counters.completionLocAdded,
    },
  };
}

/** Counters that are all zero (-common's `emptyCounters` has the completion ones too). */
export function emptyActivity(): ActivityCounters {
  return countersFromGithub(EMPTY_GITHUB_COUNTERS);
}

export function addActivity(target: ActivityCounters, add: ActivityCounters) {
  for (const key of ACTIVITY_COUNTER_KEYS) target[key] += add[key];
}
