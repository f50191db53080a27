import {
  AuditorService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  HealthResponse,
  RestoreResponse,
  SyncTriggerResponse,
  copilotUsageArchiveRestorePermission,
  copilotUsageHistoryImportPermission,
  copilotUsageSyncCreatePermission,
  copilotUsageUserDeletePermission,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { ImportService } from '../import/ImportService';
import { comparisonToCsv, metricsToCsv, userMetricsToCsv } from './csv';
import { departmentRoutes } from './departmentRoutes';
import { factRoutes } from './factRoutes';
import { repoRoutes } from './repoRoutes';
import { RepositoryClaims } from './RepositoryClaims';
import { auditedRoutes, sendDocument } from './http';
import { orgScope } from './metrics/documentParts';
import { UserMetrics } from './metrics/UserMetrics';
import { SeatUtilisationReport } from './SeatUtilisation';
import { seatRoutes } from './seatRoutes';
import { UsageReads, UsageReadsOptions } from './UsageReads';
import { signedInUser } from './UserLogins';
import type { UserErasure } from './UserErasure';
import {
  OWNER_ROUTES,
  importQuery,
  parse,
  parseMetricsQuery,
  parseRangeQuery,
  teamParams,
  userParams,
} from './validation';

/** What `createRouter` needs; plugin.ts passes the core services through. */
export interface RouterOptions extends Omit<
  UsageReadsOptions,
  'archiveConfigured'
> {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  /**
   * Which Components' `github.com/project-slug` are believed; by default those
   * from a file in the repository itself on github.com.
   */
  repositoryClaims?: RepositoryClaims;
  /** Records "sync now" requests; optional so tests may leave it out. */
  auditor?: AuditorService;
  /**
   * Starts a sync in the background and resolves at once: `'already-running'`
   * when one is under way (on any replica), in which case nothing new starts.
   */
  triggerSync(): Promise<'started' | 'already-running'>;
  /** Imports history files of other tools into an org (all or nothing). */
  imports?: Pick<ImportService, 'importFile'>;
  /** Rebuilds the database from the S3 archive; undefined when no archive is configured. */
  restoreArchive?(): Promise<RestoreResponse>;
  /** Erases one person's rows and archive lines (`DELETE /users/:login`). */
  userErasure?: Pick<UserErasure, 'erase'>;
}

/** History files can be large: a year of daily team entries of a big org. */
export const IMPORT_BODY_LIMIT = '50mb';

/**
 * The HTTP API of the plugin (mounted at `/api/copilot-usage`). Each route
 * checks, in this order: credentials (401), input syntax (400), permission
 * (403), existence (404). Existence comes after permission so that callers who
 * may not see a team cannot probe which Groups exist.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, userInfo, auth, catalog, auditor } = options;
  const { config, store } = options;
  const { organizations: orgs } = config;
  const reads = new UsageReads({
    ...options,
    archiveConfigured: Boolean(options.restoreArchive),
  });
  const { ranges, access } = reads;
  const userMetrics = new UserMetrics({ store, organizations: orgs });
  const seats = new SeatUtilisationReport({ store });

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const withAudit = auditedRoutes(auditor, credentialsOf);

  const router = Router();

  // Before the JSON parser below: the import reads its own body (large, any content
  // type) only once the caller is known to be allowed to import, and parses it itself to
  // report where a malformed file goes wrong.
  const readImportBody = express.text({
    type: () => true,
    limit: IMPORT_BODY_LIMIT,
  });
  router.post(
    '/import',
    withAudit('history-import', 'medium', async (req, res, credentials) => {
      await access.require(
        copilotUsageHistoryImportPermission,
        credentials,
        'import Copilot usage history',
      );
      const query = parse(importQuery, req.query, 'query');
      const org = query.org ? reads.configuredOrg(query.org) : orgs[0];
      if (!org) {
        throw new InputError('No organization is configured to import into');
      }
      if (!options.imports) {
        throw new NotFoundError('History import is not available');
      }
      await new Promise<void>((resolve, reject) =>
        readImportBody(req, res, error => (error ? reject(error) : resolve())),
      );
      const text = typeof req.body === 'string' ? req.body : '';
      const body = await options.imports.importFile(text, {
        file: query.file ?? 'the uploaded file',
        org,
        format: query.format,
        unknownTeams: query.unknownTeams,
      });
      res.json(body);
      return { ...body };
    }),
  );

  router.use(express.json());

  router.get('/health', (_req, res) => {
    const body: HealthResponse = { status: 'ok' };
    res.json(body);
  });

  router.get('/teams', async (req, res) => {
    res.json(await reads.listTeams(await credentialsOf(req)));
  });

  router.get('/teams/:namespace/:name/metrics', async (req, res) => {
    const credentials = await credentialsOf(req);
    const team = parse(teamParams, req.params, 'team');
    const query = parseMetricsQuery(req.query);
    const document = await reads.teamDocument(credentials, team, query, {
      view: query.view,
    });
    sendDocument(res, query.format, document, metricsToCsv);
  });

  for (const { path, ownerIn } of OWNER_ROUTES) {
    router.get(`${path}/metrics`, async (req, res) => {
      const credentials = await credentialsOf(req);
      const owner = ownerIn(req.params);
      const query = parseMetricsQuery(req.query);
      const document = await reads.ownerDocument(credentials, owner, query, {
        view: query.view,
      });
      sendDocument(res, query.format, document, metricsToCsv);
    });

    router.get(`${path}/teams`, async (req, res) => {
      const credentials = await credentialsOf(req);
      const owner = ownerIn(req.params);
      const query = parseRangeQuery(req.query);
      const body = await reads.teamComparison(credentials, owner, query);
      sendDocument(res, query.format, body, comparisonToCsv);
    });
  }

  router.use(
    seatRoutes({
      seats,
      access,
      credentialsOf,
      configuredOwner: owner => reads.configuredOwner(owner),
    }),
  );
  router.use(
    factRoutes({
      reads,
      auth,
      credentialsOf,
      teamDirectory: options.teamDirectory,
    }),
  );

  router.use(
    departmentRoutes({
      ...options,
      ranges,
      credentialsOf,
      minTeamSize: config.minTeamSize,
    }),
  );

  router.use(
    repoRoutes({
      ...options,
      access,
      ranges,
      credentialsOf,
      configuredOrg: org => reads.configuredOrg(org),
      claims:
        options.repositoryClaims ??
        new RepositoryClaims({
          githubHost: 'github.com',
          trustedComponentOrigins: [],
        }),
    }),
  );

  router.get('/status', async (req, res) => {
    res.json(await reads.syncStatus(await credentialsOf(req)));
  });

  router.post(
    '/sync',
    withAudit('sync-trigger', 'medium', async (_req, res, credentials) => {
      await access.require(
        copilotUsageSyncCreatePermission,
        credentials,
        'start a Copilot usage sync',
      );
      const outcome = await options.triggerSync();
      if (outcome === 'already-running') {
        throw new ConflictError('A Copilot usage sync is already running');
      }
      const body: SyncTriggerResponse = { status: 'started' };
      res.status(202).json(body);
    }),
  );

  router.post(
    '/archive/restore',
    withAudit('archive-restore', 'high', async (_req, res, credentials) => {
      await access.require(
        copilotUsageArchiveRestorePermission,
        credentials,
        'restore Copilot usage from the archive',
      );
      if (!options.restoreArchive) {
        throw new NotFoundError(
          'No archive is configured (copilotUsage.archive.s3): there is nothing to restore from',
        );
      }
      res.json(await options.restoreArchive());
    }),
  );

  router.delete(
    '/users/:login',
    withAudit('user-erase', 'high', async (req, res, credentials) => {
      const { login } = parse(userParams, req.params, 'user');
      await access.require(
        copilotUsageUserDeletePermission,
        credentials,
        "erase a person's Copilot usage data",
      );
      if (!options.userErasure) {
        throw new NotFoundError('Erasing a person is not available');
      }
      const answer = await options.userErasure.erase(login);
      res.status(answer.archive.error ? 503 : 200).json(answer);
      return {
        login,
        complete: answer.complete,
        filesRewritten: answer.archive.filesRewritten.length,
      };
    }),
  );

  router.get('/me/metrics', async (req, res) => {
    // Only a signed-in user has "own" data; a service has none.
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const query = parseRangeQuery(req.query);
    const user = await signedInUser(credentials, { auth, userInfo, catalog });
    const range = await ranges.resolve(orgs[0] && orgScope(orgs[0]), query);
    const document = await userMetrics.document(user, range);
    sendDocument(res, query.format, document, userMetricsToCsv);
  });

  return router;
}
