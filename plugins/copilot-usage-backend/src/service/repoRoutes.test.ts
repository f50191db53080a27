import { RepositoryClaims } from './RepositoryClaims';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PermissionRuleset } from '@backstage/plugin-permission-node';
import {
  RepositoryMetricsResponse,
  RepositoryTableResponse,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  copilotUsagePermissionRules,
  createCopilotUsagePolicyDecision,
} from '@copilot-usage/backstage-plugin-copilot-usage-node';
import express from 'express';
import request from 'supertest';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { RepoDayRow } from '../store/repoTypes';
import { createRouter } from './router';
import { TeamDirectory } from './TeamDirectory';
import { group } from './testFixtures';

jest.setTimeout(60_000);

const ADMINS = 'group:default/platform-admins';
const OWNERSHIP: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/team-a'],
  'user:default/bob': ['user:default/bob', 'group:default/team-b'],
  'user:default/root': ['user:default/root', ADMINS],
};
/** Components the catalog's own permission policy hides from a user. */
const HIDDEN: Record<string, string[]> = {
  'user:default/bob': ['component:default/secret'],
};

/** A Component read from its own repository's catalog-info.yaml, unless `origin` says otherwise. */
function component(
  name: string,
  owner: string,
  slug?: string,
  title?: string,
  origin = `url:https://github.com/${slug}/blob/main/catalog-info.yaml`,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(title && { title }),
      annotations: slug
        ? {
            'github.com/project-slug': slug,
            'backstage.io/managed-by-origin-location': origin,
          }
        : {},
    },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
  };
}

const entities: Entity[] = [
  group('team-a', { teamSlug: 'acme/team-a' }),
  group('team-b', { teamSlug: 'acme/team-b' }),
  component('web', 'team-a', 'acme/web-storefront', 'Web storefront'),
  component('payments', 'team-b', 'Acme/Payments-API'),
  component('secret', 'team-b', 'acme/secret-repo'),
  component('docs', 'team-a'),
  component('labs', 'team-a', 'acme-labs/eval-harness'),
  // Anyone may register a location: a Component from elsewhere naming a repository.
  component(
    'impostor',
    'team-a',
    'acme/payroll',
    'Payroll',
    'url:https://github.com/someone/else/blob/main/catalog-info.yaml',
  ),
  component(
    'dotted',
    'team-a',
    'acme/payroll',
    'Payroll',
    'url:https://github.com/acme/payroll/../../someone/else/catalog-info.yaml',
  ),
];

/** The catalog as the caller sees it: the mock, minus what HIDDEN hides from them. */
function catalogAsCaller(): CatalogService {
  const base = catalogServiceMock({ entities });
  const hidden = (credentials: BackstageCredentials) =>
    HIDDEN[
      (credentials.principal as { userEntityRef?: string }).userEntityRef ?? ''
    ] ?? [];
  return Object.assign(Object.create(base), {
    getEntities: async (
      req: any,
      options: { credentials: BackstageCredentials },
    ) => {
      const { items } = await base.getEntities(req, options);
      return {
        items: items.filter(
          e => !hidden(options.credentials).includes(stringifyEntityRef(e)),
        ),
      };
    },
    getEntityByRef: async (
      ref: string,
      options: { credentials: BackstageCredentials },
    ) => {
      const entity = await base.getEntityByRef(ref, options);
      return entity &&
        !hidden(options.credentials).includes(stringifyEntityRef(entity))
        ? entity
        : undefined;
    },
  });
}

const ruleset: PermissionRuleset<any, any> = {
  getRuleByName: name =>
    Object.values(copilotUsagePermissionRules).find(
      rule => rule.name === name,
    )!,
};

function repoRow(
  day: string,
  id: number,
  owner: string,
  name: string,
  figures: Partial<RepoDayRow>,
): RepoDayRow {
  return {
    scope: 'org:acme',
    day,
    repoId: id,
    repoOwner: owner,
    repoName: name,
    repoSlug: `${owner}/${name}`.toLowerCase(),
    visibility: 'private',
    prsCreated: 0,
    prsMerged: 0,
    prsReviewed: 0,
    agentCreated: 0,
    agentMerged: 0,
    codeReviewReviewed: 0,
    suggestions: 0,
    appliedSuggestions: 0,
    reviewMerged: null,
    medianReadyToFirstReview: null,
    p90ReadyToFirstReview: null,
    medianFirstToFinalReview: null,
    p90FirstToFinalReview: null,
    medianFinalReviewToMerge: null,
    p90FinalReviewToMerge: null,
    raw: '{}',
    ...figures,
  };
}

const DAYS: Record<string, RepoDayRow[]> = {
  '2026-11-16': [
    repoRow('2026-11-16', 1, 'acme', 'web-storefront', {
      prsCreated: 4,
      agentCreated: 2,
      agentMerged: 1,
      codeReviewReviewed: 3,
      suggestions: 5,
      appliedSuggestions: 2,
      reviewMerged: 2,
      medianReadyToFirstReview: 30,
      p90ReadyToFirstReview: 90,
    }),
    repoRow('2026-11-16', 2, 'acme', 'Payments-API', { prsCreated: 1 }),
    repoRow('2026-11-16', 3, 'acme', 'secret-repo', { prsCreated: 9 }),
    repoRow('2026-11-16', 4, 'acme', 'no-component', { prsCreated: 7 }),
    repoRow('2026-11-16', 5, 'acme', 'payroll', { prsCreated: 4 }),
  ],
  // A quiet day for every repository but one: a report with a single row.
  '2026-11-17': [
    repoRow('2026-11-17', 2, 'acme', 'Payments-API', { prsCreated: 2 }),
  ],
  '2026-11-18': [
    repoRow('2026-11-18', 1, 'acme', 'web-storefront', {
      prsCreated: 6,
      agentCreated: 1,
      agentMerged: 3,
      codeReviewReviewed: 1,
      suggestions: 1,
      appliedSuggestions: 1,
      reviewMerged: 6,
      medianReadyToFirstReview: 10,
      p90ReadyToFirstReview: 50,
    }),
  ],
};

describe('repository routes', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  async function createApp(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const store = await DatabaseCopilotUsageStore.create({
      database: mockServices.database({ knex }),
    });
    for (const [day, rows] of Object.entries(DAYS)) {
      await store.writeDay('org:acme', day, async writer => {
        await writer.replaceRepoDays!(rows);
        await writer.logIngestion({
          report: 'repos',
          status: 'complete',
          rows: rows.length,
          source: 'github',
        });
      });
    }
    const catalog = catalogAsCaller();
    const auth = mockServices.auth();
    const userInfo: UserInfoService = {
      getUserInfo: async credentials => {
        const ref = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        return {
          userEntityRef: ref,
          ownershipEntityRefs: OWNERSHIP[ref] ?? [ref],
        };
      },
    };
    // Users get this repo's policy decision (admins: platform-admins).
    const permissions: PermissionsService = {
      authorize: (async (requests: any[], { credentials }: any) =>
        Promise.all(
          requests.map(async r => {
            const { ownershipEntityRefs } =
              await userInfo.getUserInfo(credentials);
            const decision = createCopilotUsagePolicyDecision(
              { permission: r.permission },
              { ownershipEntityRefs },
              { adminGroups: [ADMINS], orgOverview: 'admins' },
            );
            return decision?.result === AuthorizeResult.ALLOW
              ? decision
              : { result: AuthorizeResult.DENY };
          }),
        )) as any,
      authorizeConditional: (async () => {
        throw new Error('not used');
      }) as any,
    };
    const teamDirectory = new TeamDirectory({
      catalog,
      auth,
      membership: store,
      organizations: ['acme'],
      trustedGroupOrigins: [],
    });
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      userInfo,
      auth,
      permissions,
      permissionsRegistry: mockServices.permissionsRegistry.mock({
        getPermissionRuleset: () => ruleset as any,
      }),
      catalog,
      store,
      teamDirectory,
      config: { organizations: ['acme'], minTeamSize: 5 },
      triggerSync: async () => 'started',
      now: () => new Date('2026-11-21T09:00:00Z'),
    });
    return express().use(router).use(mockErrorHandler());
  }

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let app: express.Express;
    beforeAll(async () => {
      app = await createApp(databaseId);
    });
    const as = (user: string, path: string) =>
      request(app)
        .get(path)
        .set(
          'Authorization',
          mockCredentials.user.header(`user:default/${user}`),
        );
    const RANGE = 'from=2026-11-15&to=2026-11-18';

    it('gives a reader of the Component its daily trend (quiet report days as zeros) and totals', async () => {
      const res = await as(
        'bob',
        `/repositories/acme/web-storefront/metrics?${RANGE}`,
      );
      expect(res.status).toBe(200);
      const body: RepositoryMetricsResponse = res.body;
      expect(body.entityRef).toBe('component:default/web');
      expect(body.scope).toBe('org:acme');
      expect(body.coverage).toEqual({
        daysInRange: 4,
        daysWithData: 3,
        lastDay: '2026-11-18',
      });
      expect(body.days.map(d => [d.day, d.prsCreated])).toEqual([
        ['2026-11-16', 4],
        ['2026-11-17', 0],
        ['2026-11-18', 6],
      ]);
      expect(body.days[1].medianReadyToFirstReview).toBeNull();
      expect(body.totals).toMatchObject({
        activeDays: 2,
        prsCreated: 10,
        agentCreated: 3,
        agentMerged: 4,
        codeReviewReviewed: 4,
        suggestions: 6,
        appliedSuggestions: 3,
        reviewMerged: 8,
        // (30 * 2 + 10 * 6) / 8
        medianReadyToFirstReview: 15,
        p90ReadyToFirstReview: 60,
        medianFirstToFinalReview: null,
      });
    });

    it('matches the slug in any case', async () => {
      const res = await as(
        'alice',
        `/repositories/ACME/payments-api/metrics?${RANGE}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.entityRef).toBe('component:default/payments');
      expect(res.body.repository).toEqual({
        owner: 'acme',
        name: 'Payments-API',
        slug: 'acme/payments-api',
      });
      expect(res.body.totals.prsCreated).toBe(3);
    });

    it('answers 404 to a caller the catalog hides the Component from, and for a repository without a Component; admins see both', async () => {
      const hidden = await as(
        'bob',
        `/repositories/acme/secret-repo/metrics?${RANGE}`,
      );
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.message).toMatch(
        /No Component you may read carries github.com\/project-slug: acme\/secret-repo/,
      );
      expect(JSON.stringify(hidden.body)).not.toContain('"prsCreated"');
      expect(
        (await as('alice', `/repositories/acme/secret-repo/metrics?${RANGE}`))
          .body.totals.prsCreated,
      ).toBe(9);
      expect(
        (await as('bob', `/repositories/acme/no-component/metrics?${RANGE}`))
          .status,
      ).toBe(404);
      const admin = await as(
        'root',
        `/repositories/acme/no-component/metrics?${RANGE}`,
      );
      expect(admin.status).toBe(200);
      expect(admin.body.entityRef).toBeNull();
      expect(admin.body.totals.prsCreated).toBe(7);
    });

    it('believes a Component only from its own repository (or a trusted origin)', async () => {
      // alice may read both Components naming acme/payroll: neither comes from it.
      const claimed = await as(
        'alice',
        `/repositories/acme/payroll/metrics?${RANGE}`,
      );
      expect(claimed.status).toBe(404);
      expect(JSON.stringify(claimed.body)).not.toContain('"prsCreated"');
      const admin = await as(
        'root',
        `/repositories/acme/payroll/metrics?${RANGE}`,
      );
      expect(admin.status).toBe(200);
      expect(admin.body.entityRef).toBeNull();
      expect(admin.body.totals.prsCreated).toBe(4);
      const table = await as(
        'alice',
        `/groups/default/team-a/repositories?${RANGE}`,
      );
      expect(table.status).toBe(200);
      expect(JSON.stringify(table.body)).not.toContain('payroll');
      expect(
        new RepositoryClaims({
          githubHost: 'github.com',
          trustedComponentOrigins: ['url:https://github.com/someone/else/*'],
        }).slugOf(entities.find(e => e.metadata.name === 'impostor')!),
      ).toBe('acme/payroll');
      expect(
        new RepositoryClaims({
          githubHost: 'github.com',
          trustedComponentOrigins: ['url:https://github.com/acme/payroll/*'],
        }).slugOf(entities.find(e => e.metadata.name === 'dotted')!),
      ).toBeUndefined();
    });

    it('answers 401 without credentials and 400 with a message for bad input', async () => {
      expect(
        (await request(app).get(`/repositories/acme/web-storefront/metrics`))
          .status,
      ).toBe(401);
      for (const [path, message] of [
        ['/repositories/acme/web%20store/metrics', /Invalid repository: repo/],
        ['/repositories/-acme/web/metrics', /Invalid repository: owner/],
        [
          '/repositories/acme/web/metrics?from=2026-13-01',
          /Invalid query: from/,
        ],
        [
          '/repositories/acme/web/metrics?from=2026-11-18&to=2026-11-01',
          /from \(2026-11-18\) is after to/,
        ],
        ['/orgs/acme/repositories?to=yesterday', /Invalid query: to/],
        ['/groups/default/team%20a/repositories', /Invalid group: name/],
      ] as const) {
        const res = await as('root', path);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(message);
      }
    });

    it('gives admins the org-wide table with the Components the catalog knows, and refuses others', async () => {
      expect(
        (await as('alice', `/orgs/acme/repositories?${RANGE}`)).status,
      ).toBe(403);
      const res = await as('root', `/orgs/acme/repositories?${RANGE}`);
      expect(res.status).toBe(200);
      const body: RepositoryTableResponse = res.body;
      expect(body.org).toBe('acme');
      expect(
        body.repositories.map(r => [
          r.repository.slug,
          r.entityRef,
          r.totals.prsCreated,
          r.totals.activeDays,
        ]),
      ).toEqual([
        ['acme/no-component', null, 7, 1],
        ['acme/payments-api', 'component:default/payments', 3, 2],
        // Named only by a Component from elsewhere: no Component shown.
        ['acme/payroll', null, 4, 1],
        ['acme/secret-repo', 'component:default/secret', 9, 1],
        ['acme/web-storefront', 'component:default/web', 10, 2],
      ]);
      expect((await as('root', `/orgs/other/repositories`)).status).toBe(404);
    });

    it("lists a Group's annotated Components with their figures, only those the caller may read", async () => {
      const teamA = await as(
        'alice',
        `/groups/default/team-a/repositories?${RANGE}`,
      );
      expect(teamA.status).toBe(200);
      expect(
        (teamA.body as RepositoryTableResponse).repositories.map(r => [
          r.entityRef,
          r.title,
          r.totals.prsCreated,
        ]),
      ).toEqual([
        // acme-labs is no configured org and no enterprise is configured: no figures.
        ['component:default/labs', 'labs', null],
        ['component:default/web', 'Web storefront', 10],
      ]);
      const teamB = await as(
        'bob',
        `/groups/default/team-b/repositories?${RANGE}`,
      );
      expect(
        (teamB.body as RepositoryTableResponse).repositories.map(
          r => r.entityRef,
        ),
      ).toEqual(['component:default/payments']);
      const asAlice = await as(
        'alice',
        `/groups/default/team-b/repositories?${RANGE}`,
      );
      expect(
        (asAlice.body as RepositoryTableResponse).repositories.map(
          r => r.entityRef,
        ),
      ).toEqual(['component:default/payments', 'component:default/secret']);
      expect(
        (await as('alice', '/groups/default/nobody/repositories')).status,
      ).toBe(404);
    });
  });
});
