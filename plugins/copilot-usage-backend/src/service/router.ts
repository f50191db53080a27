import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  HealthResponse,
  RestoreResponse,
  SyncTriggerResponse,
  TeamComparisonResponse,
  TeamListResponse,
  copilotUsageAdminPermission,
  copilotUsageArchiveRestorePermission,
  copilotUsageHistoryImportPermission,
  copilotUsageOrgReadPermission,
  copilotUsageSyncCreatePermission,
  copilotUsageTeamReadPermission,
  copilotUsageUserDeletePermission,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { copilotUsageTeamPermissionResourceRef } from '@copilot-usage/backstage-plugin-copilot-usage-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { ImportService } from '../import/ImportService';
import { CopilotUsageConfig } from '../config';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { comparisonToCsv, metricsToCsv, userMetricsToCsv } from './csv';
import { auditedRoutes, sendDocument } from './http';
import { OrgMetrics } from './metrics/OrgMetrics';
import { TeamMetrics } from './metrics/TeamMetrics';
import { UserMetrics } from './metrics/UserMetrics';
import { RangeResolver } from './RangeResolver';
import { SeatUtilisationReport } from './SeatUtilisation';
import { SyncStatusReport } from './SyncStatusReport';
import { PermissionChecks } from './permissions';
import { TeamDirectory, teamResource } from './TeamDirectory';
import { signedInUser } from './UserLogins';
import type { UserErasure } from './UserErasure';
import {
  importQuery,
  orgParams,
  parse,
  parseRangeQuery,
  teamParams,
  userParams,
} from './validation';

/** What `createRouter` needs; plugin.ts passes the core services through. */
export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  auth: AuthService;
  permissions: PermissionsService;
  /** Gives the team rules to turn conditional decisions into a team filter. */
  permissionsRegistry: PermissionsRegistryService;
  catalog: CatalogService;
  /** Records "sync now" requests; optional so tests may leave it out. */
  auditor?: AuditorService;
  store: CopilotUsageStore;
  /** The same instance whose `getResources` was given to {@link registerPermissions}. */
  teamDirectory: TeamDirectory;
  config: Pick<
    CopilotUsageConfig,
    'organizations' | 'enterprise' | 'minTeamSize'
  >;
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
  /** The clock; tests pin it. */
  now?: () => Date;
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
  const {
    httpAuth,
    userInfo,
    auth,
    permissions,
    permissionsRegistry,
    catalog,
    auditor,
  } = options;
  const { teamDirectory, config, store, now } = options;
  const { organizations: orgs, minTeamSize } = config;
  const ranges = new RangeResolver({ store, now });
  const teamMetrics = new TeamMetrics({
    store,
    minTeamSize,
    organizations: orgs,
  });
  const orgMetrics = new OrgMetrics({ store, minTeamSize, now });
  const userMetrics = new UserMetrics({ store, organizations: orgs });
  const seats = new SeatUtilisationReport({ store });
  const syncStatus = new SyncStatusReport({
    ...config,
    store,
    now,
    archiveConfigured: Boolean(options.restoreArchive),
  });
  const access = new PermissionChecks(permissions);
  const organizations = new Map(
    orgs.map(org => [org.toLocaleLowerCase('en-US'), org]),
  );

  // Conditional decisions are decided on the team resources with the rules' own `apply`.
  const isTeamAllowed = createConditionAuthorizer(
    permissionsRegistry.getPermissionRuleset(
      copilotUsageTeamPermissionResourceRef,
    ),
  );

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const withAudit = auditedRoutes(auditor, credentialsOf);

  /** The org as configured, or a 404. */
  function configuredOrg(org: string): string {
    const configured = organizations.get(org.toLocaleLowerCase('en-US'));
    if (!configured) {
      throw new NotFoundError(
        `Organization '${org}' is not configured for Copilot usage`,
      );
    }
    return configured;
  }

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
      const org = query.org ? configuredOrg(query.org) : orgs[0];
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
    const credentials = await credentialsOf(req);
    const [decision] = await permissions.authorizeConditional(
      [{ permission: copilotUsageTeamReadPermission }],
      { credentials },
    );
    // The caller's own Groups exist even if the catalog read we cached missed them.
    const expectedRefs = auth.isPrincipal(credentials, 'user')
      ? (await userInfo.getUserInfo(credentials)).ownershipEntityRefs
      : [];
    const teams = (await teamDirectory.listTeams(expectedRefs)).filter(team =>
      isTeamAllowed(decision, teamResource(team)),
    );
    const eligibility = await teamMetrics.eligibility();
    const body: TeamListResponse = {
      items: teams.map(({ entityRef, org, slug, title }) => ({
        entityRef,
        org,
        slug,
        title,
        eligible:
          eligibility.get(`${org}/${slug}`.toLocaleLowerCase('en-US')) ?? false,
      })),
    };
    res.json(body);
  });

  router.get('/teams/:namespace/:name/metrics', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { namespace, name } = parse(teamParams, req.params, 'team');
    const query = parseRangeQuery(req.query);
    const entityRef = `group:${namespace}/${name}`.toLocaleLowerCase('en-US');

    const [teamDecision, adminDecision] = await permissions.authorize(
      [
        { permission: copilotUsageTeamReadPermission, resourceRef: entityRef },
        { permission: copilotUsageAdminPermission },
      ],
      { credentials },
    );
    if (teamDecision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not view the Copilot usage of ${entityRef}`,
      );
    }
    const team = await teamDirectory.getTeam(entityRef);
    if (!team) {
      throw new NotFoundError(
        `${entityRef} is not a Group mapped to a GitHub team of a configured organization (annotation github.com/team-slug)`,
      );
    }
    const document = await teamMetrics.document(
      {
        entityRef: team.entityRef,
        org: team.org,
        slug: team.slug,
        title: team.title,
      },
      await ranges.resolve(team.org, query),
      { includeSuppressed: adminDecision.result === AuthorizeResult.ALLOW },
    );
    sendDocument(res, query.format, document, metricsToCsv);
  });

  router.get('/orgs/:org/metrics', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(orgParams, req.params, 'organization');
    const query = parseRangeQuery(req.query);
    await access.require(
      copilotUsageOrgReadPermission,
      credentials,
      'view the organization overview',
    );
    const org = configuredOrg(params.org);
    const range = await ranges.resolve(org, query);
    const document = await orgMetrics.document(org, range);
    sendDocument(res, query.format, document, metricsToCsv);
  });

  router.get('/orgs/:org/teams', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(orgParams, req.params, 'organization');
    const query = parseRangeQuery(req.query);
    await access.requireAdmin(credentials);
    const org = configuredOrg(params.org);
    const range = await ranges.resolve(org, query);
    const labels = new Map(
      (await teamDirectory.listTeams())
        // Trusted Groups last, so that they name the team over any claim.
        .filter(team => team.org === org)
        .sort(
          (a, b) => Number(a.membershipTrusted) - Number(b.membershipTrusted),
        )
        .map(team => [
          team.slug,
          { entityRef: team.entityRef, title: team.title },
        ]),
    );
    const body: TeamComparisonResponse = {
      org,
      ...range,
      minTeamSize,
      items: await teamMetrics.comparison(org, range, labels),
    };
    sendDocument(res, query.format, body, comparisonToCsv);
  });

  router.get('/orgs/:org/seats', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(orgParams, req.params, 'organization');
    await access.requireAdmin(credentials);
    res.json(await seats.forOrg(configuredOrg(params.org)));
  });

  router.get('/status', async (req, res) => {
    await access.requireAdmin(await credentialsOf(req));
    res.json(await syncStatus.get());
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
    const range = await ranges.resolve(orgs[0], query);
    const document = await userMetrics.document(user, range);
    sendDocument(res, query.format, document, userMetricsToCsv);
  });

  return router;
}
