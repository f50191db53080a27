/* The stored rows of GitHub's repos-1-day report: one per scope, day and repository. */
import type { RepositoryFigures } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { ScopeKey } from '../lib/scope';

/**
 * One repository's day. The figures the UI shows (RepositoryFigures) have their own columns; every
 * other field of GitHub's line stays in `raw`. A figure GitHub's line does not
 * carry is null (not zero): the field names beyond the row identity are not
 * confirmed by GitHub's docs.
 */
export interface RepoDayRow extends RepositoryFigures {
  scope: ScopeKey;
  day: string;
  repoId: number;
  /** As GitHub spells them. */
  repoOwner: string;
  repoName: string;
  /** `owner/name` in lower case: what `github.com/project-slug` is matched with. */
  repoSlug: string;
  visibility: string | null;
  /** GitHub's line as it came. */
  raw: string;
}
