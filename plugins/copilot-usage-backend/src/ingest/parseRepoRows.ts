/*
 * GitHub's repos-1-day records. Only the row identity (`repo_id`, `repo_owner_name`,
 * `repo_name`) is required: the other field names come from GitHub's changelog
 * and secondary sources, not its docs, so each is optional and the raw line is kept.
 */
import { z } from 'zod';
import { formatIssues } from '../lib/zod';
import { RepoDayRow } from '../store/repoTypes';
import { RecordContext, ReportRecordError } from './parseRows';

const id = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+$/).transform(Number),
]);
/** An optional count: absent or null is "not reported", never zero. */
const count = z.number().nonnegative().nullish();
const minutes = z.number().nonnegative().nullish();

const reviewTimes = z.looseObject({
  authored_by: z.string().nullish(),
  reviewed_by: z.string().nullish(),
  total_merged: count,
  median_minutes_ready_to_first_review: minutes,
  p90_minutes_ready_to_first_review: minutes,
  median_minutes_first_to_final_review: minutes,
  p90_minutes_first_to_final_review: minutes,
  median_minutes_final_review_to_merge: minutes,
  p90_minutes_final_review_to_merge: minutes,
});

const suggestionsByType = z.looseObject({
  comment_type: z.string().nullish(),
  total_suggestions: count,
  total_applied_suggestions: count,
});

// Built once: zod compiles a schema on first use.
const repoRecord = z.looseObject({
  day: z.string(),
  repo_id: id,
  repo_owner_name: z.string().min(1),
  repo_name: z.string().min(1),
  repo_visibility: z.string().nullish(),
  pull_requests: z
    .looseObject({
      total_created: count,
      total_merged: count,
      total_reviewed: count,
      total_created_by_copilot: count,
      total_merged_created_by_copilot: count,
      total_reviewed_by_copilot: count,
      total_copilot_suggestions: count,
      total_copilot_applied_suggestions: count,
      copilot_suggestions_by_comment_type: z.array(suggestionsByType).nullish(),
    })
    .nullish(),
  pull_request_review_times: z.array(reviewTimes).nullish(),
});

type ReviewTimes = z.infer<typeof reviewTimes>;

/** Sum of the entries' values; null when no entry carries one. */
function sumOf(values: Array<number | null | undefined>): number | null {
  const present = values.filter((v): v is number => typeof v === 'number');
  return present.length ? present.reduce((a, b) => a + b, 0) : null;
}

/**
 * The entry the narrow columns show: human-authored and human-reviewed (the only
 * kind GitHub times today), else the one with the most merged pull requests.
 * Medians of different entries cannot be combined, so only one is kept; the raw
 * line keeps them all.
 */
function pickReviewTimes(entries: ReviewTimes[]): ReviewTimes | undefined {
  const human = entries.find(
    e => e.authored_by === 'human' && e.reviewed_by === 'human',
  );
  return (
    human ??
    [...entries].sort(
      (a, b) => (b.total_merged ?? 0) - (a.total_merged ?? 0),
    )[0]
  );
}

/** A repos-1-day record as a stored row; throws a {@link ReportRecordError}. */
export function parseRepoDay(record: unknown, ctx: RecordContext): RepoDayRow {
  const result = repoRecord.safeParse(record);
  if (!result.success) {
    throw new ReportRecordError(
      `Invalid repos-1-day record: ${formatIssues(result.error, { empty: '(record)' })}`,
    );
  }
  const parsed = result.data;
  if (parsed.day !== ctx.day) {
    throw new ReportRecordError(
      `Invalid repos-1-day record: day: must be the requested day ${ctx.day}, got ${parsed.day}`,
    );
  }
  const pr = parsed.pull_requests ?? {};
  const byType = pr.copilot_suggestions_by_comment_type ?? [];
  const times = pickReviewTimes(parsed.pull_request_review_times ?? []);
  return {
    scope: ctx.scope,
    day: ctx.day,
    repoId: parsed.repo_id,
    repoOwner: parsed.repo_owner_name,
    repoName: parsed.repo_name,
    repoSlug: `${parsed.repo_owner_name}/${parsed.repo_name}`.toLowerCase(),
    visibility: parsed.repo_visibility ?? null,
    prsCreated: pr.total_created ?? null,
    prsMerged: pr.total_merged ?? null,
    prsReviewed: pr.total_reviewed ?? null,
    agentCreated: pr.total_created_by_copilot ?? null,
    agentMerged: pr.total_merged_created_by_copilot ?? null,
    codeReviewReviewed: pr.total_reviewed_by_copilot ?? null,
    suggestions:
      pr.total_copilot_suggestions ??
      sumOf(byType.map(e => e.total_suggestions)),
    appliedSuggestions:
      pr.total_copilot_applied_suggestions ??
      sumOf(byType.map(e => e.total_applied_suggestions)),
    reviewMerged: times?.total_merged ?? null,
    medianReadyToFirstReview:
      times?.median_minutes_ready_to_first_review ?? null,
    p90ReadyToFirstReview: times?.p90_minutes_ready_to_first_review ?? null,
    medianFirstToFinalReview:
      times?.median_minutes_first_to_final_review ?? null,
    p90FirstToFinalReview: times?.p90_minutes_first_to_final_review ?? null,
    medianFinalReviewToMerge:
      times?.median_minutes_final_review_to_merge ?? null,
    p90FinalReviewToMerge: times?.p90_minutes_final_review_to_merge ?? null,
    raw: JSON.stringify(record),
  };
}
