/* The stored rows of GitHub's repos-1-day report: one per scope, day and repository. */
import { ScopeKey } from '../lib/scope';

/**
 * One repository's day. The figures the UI shows have their own columns; every
 * other field of GitHub's line stays in `raw`. A figure GitHub's line does not
 * carry is null (not zero): the field names beyond the row identity are not
 * confirmed by GitHub's docs.
 */
export interface RepoDayRow {
  scope: ScopeKey;
  day: string;
  repoId: number;
  /** As GitHub spells them. */
  repoOwner: string;
  repoName: string;
  /** `owner/name` in lower case: what `github.com/project-slug` is matched with. */
  repoSlug: string;
  visibility: string | null;
  /** Pull requests created that day, by anyone. */
  prsCreated: number | null;
  prsMerged: number | null;
  prsReviewed: number | null;
  /** Created by the Copilot cloud agent (formerly coding agent). */
  agentCreated: number | null;
  /** Created by the cloud agent and merged that day. */
  agentMerged: number | null;
  /** Reviewed by Copilot code review. */
  codeReviewReviewed: number | null;
  /** Copilot code review suggestions (all comment types) and those applied. */
  suggestions: number | null;
  appliedSuggestions: number | null;
  /** Review-stage times of the human-authored, human-reviewed pull requests merged that day; null on a day without them. */
  reviewMerged: number | null;
  medianReadyToFirstReview: number | null;
  p90ReadyToFirstReview: number | null;
  medianFirstToFinalReview: number | null;
  p90FirstToFinalReview: number | null;
  medianFinalReviewToMerge: number | null;
  p90FinalReviewToMerge: number | null;
  raw: string;
}
