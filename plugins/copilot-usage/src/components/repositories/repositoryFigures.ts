/* What each repository figure counts (GitHub's repos-1-day report), in words. */
import { RepositoryFigures } from '@copilot-usage/backstage-plugin-copilot-usage-common';

export type RepositoryFigureKey = keyof RepositoryFigures;

/** Review-stage times are minutes with a decimal; every other figure is a count. */
export function figureFormat(key: RepositoryFigureKey): 'count' | 'decimal' {
  return key.startsWith('median') || key.startsWith('p90')
    ? 'decimal'
    : 'count';
}

export const REPOSITORY_FIGURES: Record<
  RepositoryFigureKey,
  { label: string; description: string }
> = {
  prsCreated: {
    label: 'Pull requests created',
    description: 'Pull requests opened in the repository, by anyone.',
  },
  prsMerged: {
    label: 'Pull requests merged',
    description: 'Pull requests merged in the repository, by anyone.',
  },
  prsReviewed: {
    label: 'Pull requests reviewed',
    description: 'Pull requests that got a review, by anyone.',
  },
  agentCreated: {
    label: 'Created by the cloud agent',
    description:
      'Pull requests the Copilot cloud agent (formerly the coding agent) opened.',
  },
  agentMerged: {
    label: 'Cloud agent PRs merged',
    description: 'Pull requests of the Copilot cloud agent that were merged.',
  },
  codeReviewReviewed: {
    label: 'Reviewed by Copilot code review',
    description: 'Pull requests Copilot code review commented on.',
  },
  suggestions: {
    label: 'Code review suggestions',
    description:
      'Suggestions Copilot code review made, all comment types together.',
  },
  appliedSuggestions: {
    label: 'Suggestions applied',
    description: 'Copilot code review suggestions the author applied.',
  },
  reviewMerged: {
    label: 'Merged PRs timed',
    description:
      'Merged pull requests the review-stage times cover: written and reviewed by people, ready for review on or after 2026-09-21.',
  },
  medianReadyToFirstReview: {
    label: 'Ready → first review (median)',
    description:
      'Median minutes from ready for review to the first review, of the pull requests merged that day.',
  },
  p90ReadyToFirstReview: {
    label: 'Ready → first review (p90)',
    description:
      '90th percentile of the minutes from ready for review to the first review.',
  },
  medianFirstToFinalReview: {
    label: 'First → final review (median)',
    description:
      'Median minutes from the first to the final review (0 with a single review).',
  },
  p90FirstToFinalReview: {
    label: 'First → final review (p90)',
    description:
      '90th percentile of the minutes from the first to the final review.',
  },
  medianFinalReviewToMerge: {
    label: 'Final review → merge (median)',
    description: 'Median minutes from the final review to the merge.',
  },
  p90FinalReviewToMerge: {
    label: 'Final review → merge (p90)',
    description:
      '90th percentile of the minutes from the final review to the merge.',
  },
};

/** What the repository figures count, shown under them. */
export const REPOSITORY_NOTE =
  'From GitHub’s daily repository report (available since 2026-07-17). Counts are pull requests of the day; days without a row had no pull request activity. Review-stage times are GitHub’s median and 90th percentile of the human-written, human-reviewed pull requests merged that day (ready for review on or after 2026-09-21); over a period they are the daily values weighted by the merged pull requests, an approximation rather than the period’s own median.';
