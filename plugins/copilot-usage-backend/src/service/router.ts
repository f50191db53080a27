import {
  AuditorService,
  AuthService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  ANNOTATION_GITHUB_USER_LOGIN,
  HealthResponse,
  MAX_RANGE_DAYS,
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
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { copilotUsageTeamPermissionResourceRef } from '@copilot-usage/backstage-plugin-copilot-usage-node';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { IMPORT_FORMATS } from '../import/detectFormat';
import { ImportService } from '../import/ImportService';
import { CopilotUsageConfig } from '../config';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import {
  comparisonToCsv,
  csvFileName,
  metricsToCsv,
  userMetricsToCsv,
} from './csv';
import { countDays } from '../lib/days';
import { formatIssues, isoDaySchema } from '../lib/zod';
import { DayRange, MetricsService } from './MetricsService';
import { TeamDirectory, teamResource } from './TeamDirectory';

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
  /** The clock; tests pin it. */
  now?: () => Date;
}

// Backstage entity names and namespaces: letters and digits, separated by [-_.].
const entityNamePart = z
  .string()
  .max(63, 'must be at most 63 characters')
  .regex(
    /^[a-zA-Z0-9](?:[a-zA-Z0-9._-]*[a-zA-Z0-9])?$/,
    'must be letters and digits separated by -, _ or .',
  );

// GitHub org logins: letters, digits and single hyphens, at most 39 characters.
const orgName = z
  .string()
  .max(39, 'must be at most 39 characters')
  .regex(
    /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/,
    'must be a GitHub organization name',
  );

const rangeQuery = z.object({
  from: isoDaySchema.optional(),
  to: isoDaySchema.optional(),
  format: z.enum(['json', 'csv']).optional(),
});

const teamParams = z.object({
  namespace: entityNamePart,
  name: entityNamePart,
});
const orgParams = z.object({ org: orgName });

/** History files can be large: a year of daily team entries of a big org. */
export const IMPORT_BODY_LIMIT = '50mb';
const importQuery = z.object({
  org: orgName.optional(),
  format: z.enum(IMPORT_FORMATS).optional(),
  file: z
    .string()
    .max(200, 'must be at most 200 characters')
    .regex(/^[\w.@+-]+$/, 'must be a file name (letters, digits, . _ - @ +)')
    .optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${formatIssues(result.error, { separator: ' ' })}`,
    );
  }
  return result.data;
}

/** Rejects a range the caller gave explicitly when it is inverted or too long. */
function checkRange(range: Partial<DayRange>): void {
  if (!range.from || !range.to) {
    return;
  }
  if (range.from > range.to) {
    throw new InputError(
      `Invalid range: from (${range.from}) is after to (${range.to})`,
    );
  }
  const days = countDays(range.from, range.to);
  if (days > MAX_RANGE_DAYS) {
    throw new InputError(
      `Invalid range: ${range.from} to ${range.to} spans ${days} days, at most ${MAX_RANGE_DAYS} are allowed`,
    );
  }
}

function sendCsv(res: Response, fileName: string, csv: string) {
  res.attachment(fileName);
  res.type('text/csv; charset=utf-8');
  res.send(csv);
}

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
  const { teamDirectory, config } = options;
  const metrics = new MetricsService({
    store: options.store,
    minTeamSize: config.minTeamSize,
    organizations: config.organizations,
    enterprise: config.enterprise,
    now: options.now,
  });
  const organizations = new Map(
    config.organizations.map(org => [org.toLocaleLowerCase('en-US'), org]),
  );

  // Conditional decisions are decided on the team resources with the rules' own `apply`.
  const isTeamAllowed = createConditionAuthorizer(
    permissionsRegistry.getPermissionRuleset(
      copilotUsageTeamPermissionResourceRef,
    ),
  );

  const credentialsOf = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function isAllowed(
    permission: BasicPermission,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    return decision.result === AuthorizeResult.ALLOW;
  }

  async function requireAdmin(credentials: BackstageCredentials) {
    if (!(await isAllowed(copilotUsageAdminPermission, credentials))) {
      throw new NotAllowedError('Only Copilot usage admins may do this');
    }
  }

  /**
   * Writes check their own permission (action create or update), never the
   * admin read: a token restricted to reads must not change anything.
   */
  async function requireWrite(
    permission: BasicPermission,
    credentials: BackstageCredentials,
    what: string,
  ) {
    if (!(await isAllowed(permission, credentials))) {
      throw new NotAllowedError(
        `You may not ${what} (permission ${permission.name})`,
      );
    }
  }

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

  function parseRangeQuery(query: unknown) {
    const parsed = parse(rangeQuery, query, 'query');
    checkRange(parsed);
    return parsed;
  }

  const router = Router();

  // Before the JSON parser below: the import reads its own body (large, any content
  // type) only once the caller is known to be allowed to import, and parses it itself to
  // report where a malformed file goes wrong.
  const readImportBody = express.text({
    type: () => true,
    limit: IMPORT_BODY_LIMIT,
  });
  router.post('/import', async (req, res) => {
    const credentials = await credentialsOf(req);
    const auditorEvent = await auditor?.createEvent({
      eventId: 'history-import',
      severityLevel: 'medium',
      request: req,
    });
    try {
      await requireWrite(
        copilotUsageHistoryImportPermission,
        credentials,
        'import Copilot usage history',
      );
      const query = parse(importQuery, req.query, 'query');
      const org = query.org
        ? configuredOrg(query.org)
        : config.organizations[0];
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
      });
      await auditorEvent?.success({ meta: { ...body } });
      res.json(body);
    } catch (error) {
      await auditorEvent?.fail({ error: error as Error });
      throw error;
    }
  });

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
    const eligibility = await metrics.teamEligibility();
    const body: TeamListResponse = {
      items: teams.map(team => ({
        entityRef: team.entityRef,
        org: team.org,
        slug: team.slug,
        title: team.title,
        eligible:
          eligibility.get(
            `${team.org}/${team.slug}`.toLocaleLowerCase('en-US'),
          ) ?? false,
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

    const range = await metrics.resolveRange(team.org, query);
    const document = await metrics.teamMetrics(
      {
        entityRef: team.entityRef,
        org: team.org,
        slug: team.slug,
        title: team.title,
      },
      range,
      { includeSuppressed: adminDecision.result === AuthorizeResult.ALLOW },
    );
    if (query.format === 'csv') {
      sendCsv(
        res,
        csvFileName('copilot-usage', team.org, team.slug, range.from, range.to),
        metricsToCsv(document),
      );
    } else {
      res.json(document);
    }
  });

  router.get('/orgs/:org/metrics', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(orgParams, req.params, 'organization');
    const query = parseRangeQuery(req.query);
    if (!(await isAllowed(copilotUsageOrgReadPermission, credentials))) {
      throw new NotAllowedError('You may not view the organization overview');
    }
    const org = configuredOrg(params.org);
    const range = await metrics.resolveRange(org, query);
    const document = await metrics.orgMetrics(org, range);
    if (query.format === 'csv') {
      sendCsv(
        res,
        csvFileName('copilot-usage', org, range.from, range.to),
        metricsToCsv(document),
      );
    } else {
      res.json(document);
    }
  });

  router.get('/orgs/:org/teams', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(orgParams, req.params, 'organization');
    const query = parseRangeQuery(req.query);
    await requireAdmin(credentials);
    const org = configuredOrg(params.org);
    const range = await metrics.resolveRange(org, query);
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
      from: range.from,
      to: range.to,
      minTeamSize: metrics.minTeamSize,
      items: await metrics.teamComparison(org, range, labels),
    };
    if (query.format === 'csv') {
      sendCsv(
        res,
        csvFileName('copilot-usage', org, 'teams', range.from, range.to),
        comparisonToCsv(body),
      );
    } else {
      res.json(body);
    }
  });

  router.get('/orgs/:org/seats', async (req, res) => {
    const credentials = await credentialsOf(req);
    const params = parse(orgParams, req.params, 'organization');
    await requireAdmin(credentials);
    res.json(await metrics.seatUtilisation(configuredOrg(params.org)));
  });

  router.get('/status', async (req, res) => {
    await requireAdmin(await credentialsOf(req));
    res.json(await metrics.syncStatus());
  });

  router.post('/sync', async (req, res) => {
    const credentials = await credentialsOf(req);
    const auditorEvent = await auditor?.createEvent({
      eventId: 'sync-trigger',
      severityLevel: 'medium',
      request: req,
    });
    try {
      await requireWrite(
        copilotUsageSyncCreatePermission,
        credentials,
        'start a Copilot usage sync',
      );
      const outcome = await options.triggerSync();
      if (outcome === 'already-running') {
        throw new ConflictError('A Copilot usage sync is already running');
      }
      await auditorEvent?.success();
      const body: SyncTriggerResponse = { status: 'started' };
      res.status(202).json(body);
    } catch (error) {
      await auditorEvent?.fail({ error: error as Error });
      throw error;
    }
  });

  router.post('/archive/restore', async (req, res) => {
    const credentials = await credentialsOf(req);
    const auditorEvent = await auditor?.createEvent({
      eventId: 'archive-restore',
      severityLevel: 'high',
      request: req,
    });
    try {
      await requireWrite(
        copilotUsageArchiveRestorePermission,
        credentials,
        'restore Copilot usage from the archive',
      );
      if (!options.restoreArchive) {
        throw new NotFoundError(
          'No archive is configured (copilotUsage.archive.s3): there is nothing to restore from',
        );
      }
      const body = await options.restoreArchive();
      await auditorEvent?.success();
      res.json(body);
    } catch (error) {
      await auditorEvent?.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/me/metrics', async (req, res) => {
    // Only a signed-in user has "own" data; a service has none.
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const query = parseRangeQuery(req.query);
    const { userEntityRef } = await userInfo.getUserInfo(credentials);
    const user = await catalog.getEntityByRef(userEntityRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    // Without a User entity, the signed-in identity's own name is the login:
    // GitHub sign-in names users after their GitHub login.
    const login =
      user?.metadata.annotations?.[ANNOTATION_GITHUB_USER_LOGIN] ??
      user?.metadata.name ??
      parseEntityRef(userEntityRef).name;
    const range = await metrics.resolveRange(config.organizations[0], query);
    const document = await metrics.userMetrics(
      { entityRef: userEntityRef, login },
      range,
    );
    if (query.format === 'csv') {
      sendCsv(
        res,
        csvFileName('copilot-usage', login, range.from, range.to),
        userMetricsToCsv(document),
      );
    } else {
      res.json(document);
    }
  });

  return router;
}
