/*
 * Repositories: GitHub's repos-1-day report (pull requests of the Copilot cloud
 * agent and Copilot code review, review-stage times) per repository, shown on the
 * catalog Components that carry `github.com/project-slug`.
 */
import type { IsoDay, MetricsCoverage } from './metricsDocument';

/**
 * The annotation that links a catalog Component to its GitHub repository (`owner/repo`).
 *
 * @public
 */
export const REPOSITORY_SLUG_ANNOTATION = 'github.com/project-slug';

/**
 * A repository's pull request figures, for one day or summed over a range. A
 * figure is `null` when GitHub's report did not carry it (its field names are not
 * confirmed by GitHub's docs), never zero in its place.
 *
 * The review-stage minutes are GitHub's median and p90 over the human-authored,
 * human-reviewed pull requests merged that day (ready for review on or after
 * 2026-09-21). Over a range they are the daily values averaged with the merged
 * pull requests as weights: an approximation, not the range's median.
 *
 * @public
 */
export interface RepositoryFigures {
  /** Pull requests created, by anyone. */
  prsCreated: number | null;
  /** Pull requests merged, by anyone. */
  prsMerged: number | null;
  /** Pull requests reviewed, by anyone. */
  prsReviewed: number | null;
  /** Pull requests the Copilot cloud agent (formerly coding agent) created. */
  agentCreated: number | null;
  /** Of those, merged. */
  agentMerged: number | null;
  /** Pull requests Copilot code review reviewed. */
  codeReviewReviewed: number | null;
  /** Copilot code review suggestions, every comment type. */
  suggestions: number | null;
  /** Suggestions the author applied. */
  appliedSuggestions: number | null;
  /** Merged pull requests the review-stage times cover. */
  reviewMerged: number | null;
  medianReadyToFirstReview: number | null;
  p90ReadyToFirstReview: number | null;
  medianFirstToFinalReview: number | null;
  p90FirstToFinalReview: number | null;
  medianFinalReviewToMerge: number | null;
  p90FinalReviewToMerge: number | null;
}

/**
 * One day of a repository; days without a row had no pull request activity.
 *
 * @public
 */
export interface RepositoryDay extends RepositoryFigures {
  day: IsoDay;
}

/**
 * A repository as GitHub names it.
 *
 * @public
 */
export interface RepositoryRef {
  owner: string;
  name: string;
  /** `owner/name` in lower case. */
  slug: string;
}

/**
 * The figures of a range.
 *
 * @public
 */
export interface RepositoryTotals extends RepositoryFigures {
  /** Days of the range with a row for the repository. */
  activeDays: number;
}

/**
 * Response of `GET /repositories/:owner/:repo/metrics`.
 *
 * @public
 */
export interface RepositoryMetricsResponse {
  repository: RepositoryRef;
  /** The Component that carries the repository's slug, e.g. `component:default/web`. */
  entityRef: string | null;
  /** Where the figures come from: `org:<owner>` or the enterprise's `enterprise:<name>`. */
  scope: string;
  from: IsoDay;
  to: IsoDay;
  coverage: MetricsCoverage;
  days: RepositoryDay[];
  totals: RepositoryTotals;
}

/**
 * One repository of a table, with its figures over the range.
 *
 * @public
 */
export interface RepositoryTableRow {
  repository: RepositoryRef;
  /** The Component carrying the slug, when known (Group tables; admins' org table when the catalog has one). */
  entityRef: string | null;
  /** The Component's title or name. */
  title: string | null;
  totals: RepositoryTotals;
}

/**
 * Response of `GET /orgs/:org/repositories` (admins) and
 * `GET /groups/:namespace/:name/repositories` (the Components a Group owns).
 *
 * @public
 */
export interface RepositoryTableResponse {
  from: IsoDay;
  to: IsoDay;
  /** The Group whose Components are listed; absent for an org. */
  group?: string;
  /** The org; absent for a Group. */
  org?: string;
  repositories: RepositoryTableRow[];
}
