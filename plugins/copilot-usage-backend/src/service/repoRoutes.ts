/*
 * The repository routes (GitHub's repos-1-day report):
 * - GET /repositories/:owner/:repo/metrics: one repository's daily trend and
 *   totals, for whoever may read the catalog Component that carries
 *   `github.com/project-slug: owner/repo` (looked up with the caller's own
 *   credentials), and for admins.
 * - GET /orgs/:org/repositories: every repository of the org, admins only.
 * - GET /groups/:namespace/:name/repositories: the Components the Group owns
 *   (relation ownedBy) that carry the annotation, with their figures; only the
 *   Components the caller may read.
 * Order of checks: credentials (401), input (400), permission (403), existence
 * (404); a repository whose Component the caller cannot read is a 404, so the
 * route does not tell which repositories exist.
 */
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  REPOSITORY_SLUG_ANNOTATION,
  RepositoryDay,
  RepositoryFigures,
  RepositoryMetricsResponse,
  RepositoryTableResponse,
  RepositoryTableRow,
  RepositoryTotals,
  copilotUsageAdminPermission,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { CopilotUsageConfig } from '../config';
import { countDays } from '../lib/days';
import { ScopeKey, scopeKey } from '../lib/scope';
import { isoDaySchema } from '../lib/zod';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { RepoDayRow } from '../store/repoTypes';
import { PermissionChecks } from './permissions';
import { RepositoryClaims, repositorySlug } from './RepositoryClaims';
import { DayRange, RangeResolver, checkRange } from './RangeResolver';
import { orgParams, parse, teamParams } from './validation';

// GitHub owner logins and repository names.
const repoParams = z.object({
  owner: orgParams.shape.org,
  repo: z
    .string()
    .max(100, 'must be at most 100 characters')
    .regex(
      /^[A-Za-z0-9._-]+$/,
      'must be a GitHub repository name (letters, digits, ., _ and -)',
    )
    .refine(name => name !== '.' && name !== '..', 'must be a repository name'),
});

const rangeQuery = z.object({
  from: isoDaySchema.optional(),
  to: isoDaySchema.optional(),
});

const FIGURE_KEYS: Array<keyof RepositoryFigures> = [
  'prsCreated',
  'prsMerged',
  'prsReviewed',
  'agentCreated',
  'agentMerged',
  'codeReviewReviewed',
  'suggestions',
  'appliedSuggestions',
  'reviewMerged',
  'medianReadyToFirstReview',
  'p90ReadyToFirstReview',
  'medianFirstToFinalReview',
  'p90FirstToFinalReview',
  'medianFinalReviewToMerge',
  'p90FinalReviewToMerge',
];
const MINUTE_KEYS = FIGURE_KEYS.filter(
  key => key.startsWith('median') || key.startsWith('p90'),
);

/** A day or range without a row: no activity (counts 0, no times), or nothing known (all null). */
function emptyFigures(known: boolean): RepositoryFigures {
  return Object.fromEntries(
    FIGURE_KEYS.map(key => [
      key,
      known && !MINUTE_KEYS.includes(key) && key !== 'reviewMerged' ? 0 : null,
    ]),
  ) as unknown as RepositoryFigures;
}

function figuresOfRow(row: RepoDayRow): RepositoryFigures {
  return Object.fromEntries(
    FIGURE_KEYS.map(key => [key, row[key]]),
  ) as unknown as RepositoryFigures;
}

/** The Component fields the routes read. */
const COMPONENT_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
];

export interface RepoRoutesOptions {
  store: CopilotUsageStore;
  catalog: CatalogService;
  permissions: PermissionsService;
  access: PermissionChecks;
  ranges: RangeResolver;
  config: Pick<CopilotUsageConfig, 'organizations' | 'enterprise'>;
  /** Which Components' `github.com/project-slug` are believed. */
  claims: RepositoryClaims;
  credentialsOf: (req: Request) => Promise<BackstageCredentials>;
  /** The org as configured, or a 404. */
  configuredOrg: (org: string) => string;
}

export function repoRoutes(options: RepoRoutesOptions) {
  const { store, catalog, permissions, access, ranges, config, claims } =
    options;
  const componentSlug = (entity: Entity) => claims.slugOf(entity);
  const router = Router();

  const isAdmin = async (credentials: BackstageCredentials) => {
    const [decision] = await permissions.authorize(
      [{ permission: copilotUsageAdminPermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  };

  /** Where a repository's rows are: its org when configured, else the enterprise's report. */
  const scopeOfOwner = (owner: string): ScopeKey | undefined => {
    const org = config.organizations.find(
      o => o.toLowerCase() === owner.toLowerCase(),
    );
    if (org) return scopeKey({ kind: 'org', name: org });
    return config.enterprise
      ? scopeKey({ kind: 'enterprise', name: config.enterprise })
      : undefined;
  };

  const parseRange = (query: unknown): Partial<DayRange> => {
    const range = parse(rangeQuery, query, 'query');
    checkRange(range);
    return range;
  };

  /** Days of the range whose repos-1-day report the sync stored with a file (status complete). */
  const reportDays = async (scope: ScopeKey, range: DayRange) =>
    (await store.getIngestionLog(scope, range.from, range.to))
      .filter(entry => entry.report === 'repos' && entry.status === 'complete')
      .map(entry => entry.day)
      .sort();

  const components = async (
    filter: Record<string, string>,
    credentials: BackstageCredentials,
  ) => {
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'component', ...filter },
        fields: COMPONENT_FIELDS,
      },
      { credentials },
    );
    return items;
  };

  const componentRow = (entity: Entity | undefined) =>
    entity
      ? {
          entityRef: stringifyEntityRef(entity),
          title: entity.metadata.title ?? entity.metadata.name,
        }
      : { entityRef: null, title: null };

  router.get('/repositories/:owner/:repo/metrics', async (req, res) => {
    const credentials = await options.credentialsOf(req);
    const { owner, repo } = parse(repoParams, req.params, 'repository');
    const requested = parseRange(req.query);
    const slug = repositorySlug(owner, repo);
    // The catalog decides with the caller's credentials: no Component, no figures.
    const [component] = (
      await components(
        {
          [`metadata.annotations.${REPOSITORY_SLUG_ANNOTATION}`]: `${owner}/${repo}`,
        },
        credentials,
      )
    ).filter(entity => componentSlug(entity) === slug);
    if (!component && !(await isAdmin(credentials))) {
      throw new NotFoundError(
        `No Component you may read carries ${REPOSITORY_SLUG_ANNOTATION}: ${owner}/${repo}`,
      );
    }
    const scope = scopeOfOwner(owner);
    if (!scope) {
      throw new NotFoundError(
        `${owner} is not a configured organization, and no enterprise is configured`,
      );
    }
    const range = await ranges.resolve(scope, requested);
    const [rows, totals, withReport] = await Promise.all([
      store.getRepoDays(scope, slug, range.from, range.to),
      store.getRepoTotals(scope, range.from, range.to, [slug]),
      reportDays(scope, range),
    ]);
    const byDay = new Map(rows.map(row => [row.day, row]));
    // Days with a report but no row had no pull request activity: zeros, not gaps.
    const days: RepositoryDay[] = [...new Set([...withReport, ...byDay.keys()])]
      .sort()
      .map(day => {
        const row = byDay.get(day);
        return { day, ...(row ? figuresOfRow(row) : emptyFigures(true)) };
      });
    const known = withReport.length > 0 || rows.length > 0;
    const first = rows[0];
    const body: RepositoryMetricsResponse = {
      repository: {
        owner: first?.repoOwner ?? owner,
        name: first?.repoName ?? repo,
        slug,
      },
      entityRef: component ? stringifyEntityRef(component) : null,
      scope,
      from: range.from,
      to: range.to,
      coverage: {
        daysInRange: countDays(range.from, range.to),
        daysWithData: withReport.length,
        lastDay: withReport[withReport.length - 1] ?? null,
      },
      days,
      totals: totals[0]?.totals ?? { activeDays: 0, ...emptyFigures(known) },
    };
    res.json(body);
  });

  router.get('/orgs/:org/repositories', async (req, res) => {
    const credentials = await options.credentialsOf(req);
    const { org: requestedOrg } = parse(orgParams, req.params, 'organization');
    const requested = parseRange(req.query);
    await access.requireAdmin(credentials);
    const org = options.configuredOrg(requestedOrg);
    const scope = scopeKey({ kind: 'org', name: org });
    const range = await ranges.resolve(scope, requested);
    const [totals, annotated] = await Promise.all([
      store.getRepoTotals(scope, range.from, range.to),
      // Every Component the admin may read (the plugin has no catalog-client for an
      // "annotation exists" filter); only the annotated ones are kept.
      components({}, credentials),
    ]);
    const bySlug = new Map<string, Entity>();
    for (const entity of annotated) {
      const slug = componentSlug(entity);
      if (slug && !bySlug.has(slug)) bySlug.set(slug, entity);
    }
    const body: RepositoryTableResponse = {
      from: range.from,
      to: range.to,
      org,
      repositories: totals.map(total => ({
        repository: {
          owner: total.repoOwner,
          name: total.repoName,
          slug: total.repoSlug,
        },
        ...componentRow(bySlug.get(total.repoSlug)),
        totals: total.totals,
      })),
    };
    res.json(body);
  });

  router.get('/groups/:namespace/:name/repositories', async (req, res) => {
    const credentials = await options.credentialsOf(req);
    const { namespace, name } = parse(teamParams, req.params, 'group');
    const requested = parseRange(req.query);
    const groupRef = stringifyEntityRef({ kind: 'group', namespace, name });
    const group = await catalog.getEntityByRef(groupRef, { credentials });
    if (!group || group.kind.toLowerCase() !== 'group') {
      throw new NotFoundError(`No Group ${groupRef} you may read`);
    }
    // Only the Components the caller may read come back from the catalog.
    const owned = (
      await components({ 'relations.ownedBy': groupRef }, credentials)
    )
      .map(entity => ({ entity, slug: componentSlug(entity) }))
      .filter((c): c is { entity: Entity; slug: string } => Boolean(c.slug))
      .sort((a, b) =>
        componentRow(a.entity).title!.localeCompare(
          componentRow(b.entity).title!,
        ),
      );
    const scopes = new Map<ScopeKey, string[]>();
    for (const { slug } of owned) {
      const scope = scopeOfOwner(slug.split('/')[0]);
      if (scope) scopes.set(scope, [...(scopes.get(scope) ?? []), slug]);
    }
    const range = await ranges.resolve(
      [...scopes.keys()][0] ?? scopeOfOwner(config.organizations[0] ?? ''),
      requested,
    );
    const totals = new Map<string, RepositoryTotals>();
    const reported = new Set<ScopeKey>();
    for (const [scope, slugs] of scopes) {
      const [rows, withReport] = await Promise.all([
        store.getRepoTotals(scope, range.from, range.to, slugs),
        reportDays(scope, range),
      ]);
      rows.forEach(row => totals.set(`${scope} ${row.repoSlug}`, row.totals));
      if (withReport.length > 0) reported.add(scope);
    }
    const repositories: RepositoryTableRow[] = owned.map(({ entity, slug }) => {
      const [owner, repoName] = slug.split('/');
      const annotation = entity.metadata
        .annotations![REPOSITORY_SLUG_ANNOTATION].trim()
        .split('/');
      const scope = scopeOfOwner(owner);
      return {
        repository: {
          owner: annotation[0] ?? owner,
          name: annotation[1] ?? repoName,
          slug,
        },
        ...componentRow(entity),
        totals: (scope ? totals.get(`${scope} ${slug}`) : undefined) ?? {
          activeDays: 0,
          ...emptyFigures(Boolean(scope && reported.has(scope))),
        },
      };
    });
    const body: RepositoryTableResponse = {
      from: range.from,
      to: range.to,
      group: groupRef,
      repositories,
    };
    res.json(body);
  });

  return router;
}
