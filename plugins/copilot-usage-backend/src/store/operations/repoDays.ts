/* The repo_day table: writes inside the day's transaction, reads for the repository routes. */
import {
  RepositoryFigures,
  RepositoryTotals,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { Knex } from 'knex';
import { ScopeKey } from '../../lib/scope';
import type { RepoQueries, RepoTotalsRow } from '../CopilotUsageStore';
import { DbRecord } from '../records';
import { RepoDayRow } from '../repoTypes';
import { assertRowOfDay, insertInChunks } from './util';

/** Each figure's column. */
const FIGURE_COLUMNS: Record<keyof RepositoryFigures, string> = {
  prsCreated: 'prs_created',
  prsMerged: 'prs_merged',
  prsReviewed: 'prs_reviewed',
  agentCreated: 'agent_created',
  agentMerged: 'agent_merged',
  codeReviewReviewed: 'code_review_reviewed',
  suggestions: 'suggestions',
  appliedSuggestions: 'applied_suggestions',
  reviewMerged: 'review_merged',
  medianReadyToFirstReview: 'median_ready_to_first_review',
  p90ReadyToFirstReview: 'p90_ready_to_first_review',
  medianFirstToFinalReview: 'median_first_to_final_review',
  p90FirstToFinalReview: 'p90_first_to_final_review',
  medianFinalReviewToMerge: 'median_final_review_to_merge',
  p90FinalReviewToMerge: 'p90_final_review_to_merge',
};
const FIGURE_KEYS = Object.keys(FIGURE_COLUMNS) as Array<
  keyof RepositoryFigures
>;
/** Minutes: averaged over a range with the merged pull requests as weights; the rest are summed. */
const MINUTE_KEYS = FIGURE_KEYS.filter(
  key => key.startsWith('median') || key.startsWith('p90'),
);
const COUNT_KEYS = FIGURE_KEYS.filter(key => !MINUTE_KEYS.includes(key));

const nullableNumber = (value: unknown) =>
  value === null || value === undefined ? null : Number(value);

function toRecord(row: RepoDayRow): DbRecord {
  const record: DbRecord = {
    scope: row.scope,
    day: row.day,
    repo_id: row.repoId,
    repo_owner: row.repoOwner,
    repo_name: row.repoName,
    repo_slug: row.repoSlug,
    visibility: row.visibility,
    raw: row.raw,
  };
  for (const key of FIGURE_KEYS) {
    record[FIGURE_COLUMNS[key]] = row[key];
  }
  return record;
}

function figuresOf(record: DbRecord): RepositoryFigures {
  return Object.fromEntries(
    FIGURE_KEYS.map(key => [key, nullableNumber(record[FIGURE_COLUMNS[key]])]),
  ) as unknown as RepositoryFigures;
}

function fromRecord(record: DbRecord): RepoDayRow {
  return {
    scope: record.scope,
    day: record.day,
    repoId: Number(record.repo_id),
    repoOwner: record.repo_owner,
    repoName: record.repo_name,
    repoSlug: record.repo_slug,
    visibility: record.visibility ?? null,
    ...figuresOf(record),
    raw: record.raw,
  };
}

/**
 * Replaces the day's repository rows, inside the day's transaction `trx` (a
 * throw later in the day rolls this back too).
 */
export async function replaceRepoDays(
  trx: Knex.Transaction,
  scope: ScopeKey,
  day: string,
  rows: RepoDayRow[],
): Promise<void> {
  const ids = new Set<number>();
  for (const row of rows) {
    assertRowOfDay(scope, day, row, 'repos');
    if (ids.has(row.repoId)) {
      throw new Error(
        `more than one repos-1-day record for repository ${row.repoId}`,
      );
    }
    ids.add(row.repoId);
  }
  await trx('repo_day').where({ scope, day }).delete();
  await insertInChunks(trx, 'repo_day', rows.map(toRecord));
}

/** Sums (counts) and merged-weighted means (minutes) over the rows of a query. */
function totalsSelect(db: Knex) {
  const weight = FIGURE_COLUMNS.reviewMerged;
  return [
    db.raw('count(distinct day) as active_days'),
    ...COUNT_KEYS.map(key =>
      db.raw(`sum(??) as ??`, [FIGURE_COLUMNS[key], FIGURE_COLUMNS[key]]),
    ),
    ...MINUTE_KEYS.map(key =>
      db.raw(
        `sum(case when ?? is not null and ?? > 0 then ?? * ?? end) / nullif(sum(case when ?? is not null and ?? > 0 then ?? end), 0) as ??`,
        [
          FIGURE_COLUMNS[key],
          weight,
          FIGURE_COLUMNS[key],
          weight,
          FIGURE_COLUMNS[key],
          weight,
          weight,
          FIGURE_COLUMNS[key],
        ],
      ),
    ),
  ];
}

function totalsOf(record: DbRecord): RepositoryTotals {
  const figures = figuresOf(record);
  for (const key of MINUTE_KEYS) {
    const value = figures[key];
    figures[key] = value === null ? null : Math.round(value * 10) / 10;
  }
  return { activeDays: Number(record.active_days ?? 0), ...figures };
}

/** The repository reads of the routes. */
export function repoQueries(db: Knex): RepoQueries {
  return {
    async getRepoDays(scope, slug, from, to) {
      const records = await db('repo_day')
        .where({ scope, repo_slug: slug.toLowerCase() })
        .whereBetween('day', [from, to])
        .orderBy(['day', 'repo_id']);
      return records.map(fromRecord);
    },

    async getRepoTotals(scope, from, to, slugs) {
      const query = db('repo_day')
        .select(
          'repo_slug',
          db.raw('max(repo_owner) as repo_owner'),
          db.raw('max(repo_name) as repo_name'),
          ...totalsSelect(db),
        )
        .where({ scope })
        .whereBetween('day', [from, to])
        .groupBy('repo_slug')
        .orderBy('repo_slug');
      if (slugs) {
        if (slugs.length === 0) return [];
        query.whereIn(
          'repo_slug',
          slugs.map(s => s.toLowerCase()),
        );
      }
      const records: DbRecord[] = await query;
      return records.map((record): RepoTotalsRow => ({
        repoOwner: record.repo_owner,
        repoName: record.repo_name,
        repoSlug: record.repo_slug,
        totals: totalsOf(record),
      }));
    },

    async getRepoLines(scope, day) {
      return db('repo_day')
        .where({ scope, day })
        .orderBy('repo_id')
        .pluck('raw');
    },
  };
}
