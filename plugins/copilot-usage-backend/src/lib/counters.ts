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

/** Counters under GitHub's names; an absent one is 0 (zod's default, or a record read as parsed). */
export type GithubCounts = Partial<Record<GithubCounterField, number>>;

/** The counters of a record that carries them under GitHub's names, absent ones 0. */
export function countersFromGithub(record: GithubCounts): ActivityCounters {
  // Written out, not mapped over the keys: this runs for every entry of every user
  // line, and objects built by Object.fromEntries were a tenth of a sync's CPU time
  // (slow to build and to add to). The type checks every counter is here.
  return {
    interactions: record.user_initiated_interaction_count ?? 0,
    codeGenerations: record.code_generation_activity_count ?? 0,
    codeAcceptances: record.code_acceptance_activity_count ?? 0,
    locSuggestedToAdd: record.loc_suggested_to_add_sum ?? 0,
    locSuggestedToDelete: record.loc_suggested_to_delete_sum ?? 0,
    locAdded: record.loc_added_sum ?? 0,
    locDeleted: record.loc_deleted_sum ?? 0,
  };
}

/** Adds a record's counters under GitHub's names to `sum` in place (no object per entry). */
export function addGithubCounts(sum: ActivityCounters, record: GithubCounts) {
  sum.interactions += record.user_initiated_interaction_count ?? 0;
  sum.codeGenerations += record.code_generation_activity_count ?? 0;
  sum.codeAcceptances += record.code_acceptance_activity_count ?? 0;
  sum.locSuggestedToAdd += record.loc_suggested_to_add_sum ?? 0;
  sum.locSuggestedToDelete += record.loc_suggested_to_delete_sum ?? 0;
  sum.locAdded += record.loc_added_sum ?? 0;
  sum.locDeleted += record.loc_deleted_sum ?? 0;
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
  record: GithubCounts,
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
  // Written out: the team breakdowns add once per user, team and value.
  target.interactions += add.interactions;
  target.codeGenerations += add.codeGenerations;
  target.codeAcceptances += add.codeAcceptances;
  target.locSuggestedToAdd += add.locSuggestedToAdd;
  target.locSuggestedToDelete += add.locSuggestedToDelete;
  target.locAdded += add.locAdded;
  target.locDeleted += add.locDeleted;
}
