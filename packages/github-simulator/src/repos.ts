/*
 * GitHub's repos-1-day report: one row per repository with pull request activity
 * that day (generally available 2026-07-17). Each row carries what the Copilot cloud
 * agent created and merged, what Copilot code review reviewed and suggested (by
 * comment type), and from 2026-09-21 the review-stage times of the pull requests
 * merged that day (an empty array on a day without merges).
 *
 * The row shape beyond `repo_id`, `repo_owner_name`, `repo_name` and
 * `repo_visibility` is not confirmed by GitHub's docs: the field names follow
 * GitHub's aggregate `pull_requests` object and the review-times changelog.
 */
import express, { NextFunction, Request, Response } from 'express';
import { isWeekend, parseDay, toDayNumber } from './days';
import type { SyntheticEnterprise } from './enterprise';
import { FaultList } from './faults';
import { hashInts, randomFor, randomInt, Random } from './random';
import { ReportScope, SyntheticOrg } from './types';

export const REPOS_REPORT = 'repos-1-day';
/** The first day GitHub has a repos-1-day report for; earlier days answer 204. */
export const REPOS_FIRST_DAY = '2026-07-17';
/** Review-stage times cover pull requests ready for review from this day on. */
export const REVIEW_TIMES_FIRST_DAY = '2026-09-21';

const SALT_REPO_ID = 71;
const SALT_REPO_DAY = 72;

/** The demo's repositories per org; the demo catalog's Components name them. */
const REPOSITORIES: Record<string, readonly string[]> = {
  acme: [
    'web-storefront',
    'payments-api',
    'search-service',
    'mobile-app',
    'platform-infra',
    'design-system',
  ],
  'acme-labs': ['eval-harness', 'prototypes'],
  'acme-cloud': ['cloud-console'],
};

/** Code review comment types the suggestions are counted by. */
export const COMMENT_TYPES = [
  'bug',
  'security',
  'performance',
  'maintainability',
  'documentation',
] as const;

export interface Repository {
  id: number;
  owner: string;
  name: string;
  visibility: 'private' | 'internal' | 'public';
}

export interface ReviewTimes {
  authored_by: 'human';
  reviewed_by: 'human';
  total_merged: number;
  median_minutes_ready_to_first_review: number;
  p90_minutes_ready_to_first_review: number;
  median_minutes_first_to_final_review: number;
  p90_minutes_first_to_final_review: number;
  median_minutes_final_review_to_merge: number;
  p90_minutes_final_review_to_merge: number;
}

export interface RepoDayRecord {
  day: string;
  organization_id?: string;
  enterprise_id: string;
  repo_id: number;
  repo_owner_name: string;
  repo_name: string;
  repo_visibility: Repository['visibility'];
  pull_requests: {
    total_created: number;
    total_merged: number;
    total_reviewed: number;
    total_created_by_copilot: number;
    total_merged_created_by_copilot: number;
    total_reviewed_by_copilot: number;
    total_copilot_suggestions: number;
    total_copilot_applied_suggestions: number;
    copilot_suggestions_by_comment_type: Array<{
      comment_type: (typeof COMMENT_TYPES)[number];
      total_suggestions: number;
      total_applied_suggestions: number;
    }>;
  };
  pull_request_review_times: ReviewTimes[];
}

/** The org's repositories: the demo's names for its orgs, two generic ones for any other. */
export function repositoriesOf(org: SyntheticOrg): Repository[] {
  const names = REPOSITORIES[org.org] ?? ['service', 'tools'];
  return names.map((name, index) => ({
    // Unique across the enterprise's orgs (which may share a seed).
    id:
      100_000_000 +
      (hashInts(org.seed, SALT_REPO_ID, Number(org.organizationId), index) %
        800_000_000),
    owner: org.org,
    name,
    visibility: index === names.length - 1 ? 'internal' : 'private',
  }));
}

/** Minutes with one decimal, as GitHub reports medians. */
function minutes(random: Random, min: number, max: number): number {
  return Math.round((min + random() * (max - min)) * 10) / 10;
}

function reviewTimes(random: Random, merged: number): ReviewTimes {
  const ready = minutes(random, 5, 240);
  // One review: the first review is the final one.
  const singleReview = random() < 0.3;
  const between = singleReview ? 0 : minutes(random, 2, 180);
  const toMerge = minutes(random, 1, 90);
  const p90 = (median: number) =>
    median === 0 ? 0 : Math.round(median * (1.5 + random() * 2) * 10) / 10;
  return {
    authored_by: 'human',
    reviewed_by: 'human',
    total_merged: merged,
    median_minutes_ready_to_first_review: ready,
    p90_minutes_ready_to_first_review: p90(ready),
    median_minutes_first_to_final_review: between,
    p90_minutes_first_to_final_review: p90(between),
    median_minutes_final_review_to_merge: toMerge,
    p90_minutes_final_review_to_merge: p90(toMerge),
  };
}

/**
 * One repository's row of the day, or undefined on a day without pull request
 * activity. A pure function of the org's seed, the repository, the day and how
 * often GitHub revised that day.
 */
export function repoDayRecord(
  org: SyntheticOrg,
  repo: Repository,
  day: string,
  scope: ReportScope,
): RepoDayRecord | undefined {
  const dayNumber = toDayNumber(day);
  const random = randomFor(
    org.seed,
    SALT_REPO_DAY,
    repo.id,
    dayNumber,
    org.revisionOf(day),
  );
  const busy = isWeekend(dayNumber) ? 2 : 8;
  const created = randomInt(random, 0, busy);
  const merged = randomInt(random, 0, busy);
  const reviewed = randomInt(random, 0, busy + 2);
  if (created + merged + reviewed === 0) return undefined;
  const createdByCopilot = randomInt(random, 0, Math.ceil(created / 2));
  const mergedByCopilot = Math.min(
    createdByCopilot,
    merged,
    randomInt(random, 0, createdByCopilot),
  );
  const reviewedByCopilot = randomInt(random, 0, reviewed);
  const byType = COMMENT_TYPES.map(type => {
    const suggestions =
      reviewedByCopilot === 0 ? 0 : randomInt(random, 0, reviewedByCopilot * 2);
    return {
      comment_type: type,
      total_suggestions: suggestions,
      total_applied_suggestions: randomInt(random, 0, suggestions),
    };
  }).filter(entry => entry.total_suggestions > 0);
  const humanMerged = merged - mergedByCopilot;
  return {
    day,
    ...(scope === 'organization'
      ? { organization_id: org.organizationId }
      : {}),
    enterprise_id: org.enterpriseId,
    repo_id: repo.id,
    repo_owner_name: repo.owner,
    repo_name: repo.name,
    repo_visibility: repo.visibility,
    pull_requests: {
      total_created: created,
      total_merged: merged,
      total_reviewed: reviewed,
      total_created_by_copilot: createdByCopilot,
      total_merged_created_by_copilot: mergedByCopilot,
      total_reviewed_by_copilot: reviewedByCopilot,
      total_copilot_suggestions: byType.reduce(
        (sum, e) => sum + e.total_suggestions,
        0,
      ),
      total_copilot_applied_suggestions: byType.reduce(
        (sum, e) => sum + e.total_applied_suggestions,
        0,
      ),
      copilot_suggestions_by_comment_type: byType,
    },
    // Attributed to the merge day, only human reviews are timed; a quiet day is [].
    pull_request_review_times:
      day >= REVIEW_TIMES_FIRST_DAY && humanMerged > 0
        ? [reviewTimes(random, humanMerged)]
        : [],
  };
}

/** The org's repos-1-day rows, or the enterprise's (every org's repositories). */
export function reposReport(
  orgs: readonly SyntheticOrg[],
  day: string,
  scope: ReportScope,
): RepoDayRecord[] {
  return orgs.flatMap(org =>
    repositoriesOf(org)
      .map(repo => repoDayRecord(org, repo, day, scope))
      .filter((row): row is RepoDayRecord => row !== undefined),
  );
}

/** What the report routes need from the simulator's server. */
export interface RepoRouteContext {
  enterprise: SyntheticEnterprise;
  faults: FaultList;
  /** Auth, rate-limit headers and API faults, shared by every API route. */
  apiRoute(
    route: string,
    target: 'api',
  ): (req: Request, res: Response, next: NextFunction) => void;
  /** Signs a download path; the same key as the other reports' links. */
  sign(path: string, expires: number): string;
  /** Base URL of download links (known once the server listens). */
  downloadBase(): string;
  linkTtlMs: number;
  /** False: this GitHub has no repos-1-day report yet (every call answers 404). */
  enabled: boolean;
  /** Counts a download (simulator stats). */
  countDownload(route: string, authorized: boolean): void;
}

const DOCS = 'https://docs.github.com/rest/copilot/copilot-usage-metrics';

function sendError(res: Response, status: number, message: string) {
  res.status(status).json({
    message,
    documentation_url: DOCS,
    status: String(status),
  });
}

/**
 * Mounts `GET /orgs/{org}/copilot/metrics/reports/repos-1-day?day=`, the enterprise
 * equivalent and their signed downloads. Mount before the generic report routes.
 */
export function mountRepoReports(
  app: express.Express,
  context: RepoRouteContext,
): void {
  const { enterprise, faults } = context;
  const owners: Array<{
    scope: ReportScope;
    prefix: string;
    route: string;
    orgsOf: (owner: string) => readonly SyntheticOrg[] | undefined;
  }> = [
    {
      scope: 'organization',
      prefix: '/orgs/:org',
      route: '/orgs/{org}',
      orgsOf: owner => {
        const org = enterprise.org(owner);
        return org ? [org] : undefined;
      },
    },
    {
      scope: 'enterprise',
      prefix: '/enterprises/:enterprise',
      route: '/enterprises/{enterprise}',
      orgsOf: owner =>
        owner === enterprise.enterprise ? enterprise.orgs : undefined,
    },
  ];
  const ownerOf = (req: Request) =>
    req.params.org ?? req.params.enterprise ?? '';

  for (const { scope, prefix, route, orgsOf } of owners) {
    app.get(
      `${prefix}/copilot/metrics/reports/${REPOS_REPORT}`,
      context.apiRoute(
        `GET ${route}/copilot/metrics/reports/${REPOS_REPORT}`,
        'api',
      ),
      (req, res) => {
        const owner = ownerOf(req);
        if (!context.enabled || !orgsOf(owner)) {
          sendError(res, 404, 'Not Found');
          return;
        }
        const day = req.query.day;
        if (typeof day !== 'string' || parseDay(day) === undefined) {
          sendError(
            res,
            422,
            typeof day !== 'string' || day === ''
              ? 'Invalid request.\n\n"day" wasn\'t supplied.'
              : `Invalid request.\n\nInvalid value for "day": '${day}' is not a date in YYYY-MM-DD format.`,
          );
          return;
        }
        if (
          day < REPOS_FIRST_DAY ||
          day < enterprise.firstDay ||
          day > enterprise.lastDay ||
          faults.take('noData', { report: REPOS_REPORT, day })
        ) {
          res.status(204).end();
          return;
        }
        const expired = faults.take('expiredLinks', {
          report: REPOS_REPORT,
          day,
        });
        const expires = expired
          ? Date.now() - 60_000
          : Date.now() + context.linkTtlMs;
        const path = `/downloads/${scope}/${owner}/${REPOS_REPORT}/${day}/0.ndjson`;
        res.json({
          download_links: [
            `${context.downloadBase()}${path}?expires=${expires}&sig=${context.sign(path, expires)}`,
          ],
          report_day: day,
        });
      },
    );
  }

  app.get(
    `/downloads/:scope/:owner/${REPOS_REPORT}/:day/0.ndjson`,
    (req, res) => {
      context.countDownload(
        `GET /downloads/${REPOS_REPORT}`,
        req.headers.authorization !== undefined,
      );
      const expires = Number(req.query.expires);
      if (
        !Number.isFinite(expires) ||
        req.query.sig !== context.sign(req.path, expires) ||
        Date.now() > expires
      ) {
        res
          .status(403)
          .type('application/xml')
          .send(
            '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Server failed to authenticate the request.</Message></Error>',
          );
        return;
      }
      const scope = req.params.scope as ReportScope;
      const owner = owners.find(o => o.scope === scope);
      const orgs = owner?.orgsOf(req.params.owner);
      const day = req.params.day;
      if (!orgs || parseDay(day) === undefined) {
        res
          .status(404)
          .type('text/plain')
          .send('The specified blob does not exist.');
        return;
      }
      const request = { report: REPOS_REPORT, day };
      const failure = faults.take(
        'status',
        request,
        fault => fault.target === 'download',
      );
      if (failure) {
        res
          .status(failure.status)
          .type('text/plain')
          .send('The server encountered an error.');
        return;
      }
      const malformed = faults.take('malformed', request);
      const lines = reposReport(orgs, day, scope).map(row =>
        JSON.stringify(row),
      );
      if (malformed) {
        lines[Math.min((malformed.line ?? 1) - 1, lines.length)] =
          '{"repo_id": 12, "repo_name": ';
      }
      res.setHeader('content-type', 'application/x-ndjson');
      res.end(lines.map(line => `${line}\n`).join(''));
    },
  );
}
