import {
  AuthService,
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  MetricsDocument,
  MetricsView,
  SyncStatus,
  TeamComparisonResponse,
  TeamListItem,
  TeamListResponse,
  copilotUsageAdminPermission,
  copilotUsageOrgReadPermission,
  copilotUsageTeamReadPermission,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  CopilotUsageTeamResource,
  copilotUsageTeamPermissionResourceRef,
} from '@copilot-usage/backstage-plugin-copilot-usage-node';
import { CopilotUsageConfig } from '../config';
import { Scope, scopeKey } from '../lib/scope';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { ownerFields } from './metrics/documentParts';
import { OrgMetrics } from './metrics/OrgMetrics';
import { TeamLabel, TeamMetrics, teamKey } from './metrics/TeamMetrics';
import { PermissionChecks } from './permissions';
import { DayRange, RangeResolver } from './RangeResolver';
import { SyncStatusReport } from './SyncStatusReport';
import { DirectoryTeam, TeamDirectory, teamResource } from './TeamDirectory';

/** What {@link UsageReads} needs; the router's options are a superset. */
export interface UsageReadsOptions {
  auth: AuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** Gives the team rules to turn conditional decisions into a team filter. */
  permissionsRegistry: PermissionsRegistryService;
  store: CopilotUsageStore;
  /** The same instance whose `getResources` was given to registerPermissions. */
  teamDirectory: TeamDirectory;
  config: Pick<
    CopilotUsageConfig,
    'organizations' | 'enterprise' | 'minTeamSize'
  >;
  /** Whether an S3 archive is configured (the status then reports its backlog). */
  archiveConfigured: boolean;
  /** The clock; tests pin it. */
  now?: () => Date;
}

/**
 * The permission-checked reads that both the HTTP routes and the MCP actions
 * serve, as the calling user: the same decision, the same 403/404 order
 * (permission before existence, so a caller who may not see a team cannot probe
 * which Groups exist), the same documents.
 */
export class UsageReads {
  readonly ranges: RangeResolver;
  readonly teamMetrics: TeamMetrics;
  readonly access: PermissionChecks;
  readonly #orgMetrics: OrgMetrics;
  readonly #syncStatus: SyncStatusReport;
  readonly #organizations: Map<string, string>;
  readonly #isTeamAllowed: (
    decision: PolicyDecision,
    resource: CopilotUsageTeamResource | undefined,
  ) => boolean;

  constructor(private readonly options: UsageReadsOptions) {
    const { store, config, now } = options;
    const { organizations, minTeamSize } = config;
    this.ranges = new RangeResolver({ store, now });
    this.teamMetrics = new TeamMetrics({
      store,
      minTeamSize,
      organizations,
      enterprise: config.enterprise,
    });
    this.access = new PermissionChecks(options.permissions);
    this.#orgMetrics = new OrgMetrics({ store, minTeamSize, now });
    this.#syncStatus = new SyncStatusReport({
      ...config,
      store,
      now,
      archiveConfigured: options.archiveConfigured,
    });
    this.#organizations = new Map(
      organizations.map(org => [org.toLocaleLowerCase('en-US'), org]),
    );
    // Conditional decisions are decided on the team resources with the rules' own `apply`.
    this.#isTeamAllowed = createConditionAuthorizer(
      options.permissionsRegistry.getPermissionRuleset(
        copilotUsageTeamPermissionResourceRef,
      ),
    );
  }

  /** The org as configured, or a 404. */
  configuredOrg(org: string): string {
    return this.configuredOwner({ kind: 'org', name: org }).name;
  }

  /** The org or enterprise as spelled in config, or a 404. */
  configuredOwner(owner: Scope): Scope {
    const lower = (name: string) => name.toLocaleLowerCase('en-US');
    const { enterprise } = this.options.config;
    const name =
      owner.kind === 'org'
        ? this.#organizations.get(lower(owner.name))
        : enterprise && lower(enterprise) === lower(owner.name) && enterprise;
    if (!name) {
      throw new NotFoundError(
        `${owner.kind === 'org' ? 'Organization' : 'Enterprise'} '${owner.name}' is not configured for Copilot usage`,
      );
    }
    return { kind: owner.kind, name };
  }

  /** The teams the caller may view; a caller denied team reads gets none. */
  async listTeams(
    credentials: BackstageCredentials,
  ): Promise<TeamListResponse> {
    const { permissions, auth, userInfo, teamDirectory } = this.options;
    const [decision] = await permissions.authorizeConditional(
      [{ permission: copilotUsageTeamReadPermission }],
      { credentials },
    );
    // The caller's own Groups exist even if the catalog read we cached missed them.
    const expectedRefs = auth.isPrincipal(credentials, 'user')
      ? (await userInfo.getUserInfo(credentials)).ownershipEntityRefs
      : [];
    const teams = (await teamDirectory.listTeams(expectedRefs)).filter(team =>
      this.#isTeamAllowed(decision, teamResource(team)),
    );
    const eligibility = await this.teamMetrics.eligibility();
    return {
      items: teams.map((team): TeamListItem => ({
        entityRef: team.entityRef,
        ...ownerFields(team.owner),
        slug: team.slug,
        title: team.title,
        eligible: eligibility.get(teamKey(team.owner, team.slug)) ?? false,
      })),
    };
  }

  /** One team's metrics document: 403 unless the caller may read it, then 404 if unmapped. */
  async teamDocument(
    credentials: BackstageCredentials,
    team: { namespace: string; name: string },
    requested: Partial<DayRange>,
    options: { view?: MetricsView } = {},
  ): Promise<MetricsDocument> {
    const entityRef = `group:${team.namespace}/${team.name}`.toLocaleLowerCase(
      'en-US',
    );
    const [teamDecision, adminDecision] =
      await this.options.permissions.authorize(
        [
          {
            permission: copilotUsageTeamReadPermission,
            resourceRef: entityRef,
          },
          { permission: copilotUsageAdminPermission },
        ],
        { credentials },
      );
    if (teamDecision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not view the Copilot usage of ${entityRef}`,
      );
    }
    const found = await this.options.teamDirectory.getTeam(entityRef);
    if (!found) {
      throw new NotFoundError(
        `${entityRef} is not a Group mapped to a GitHub team of a configured organization or enterprise (annotation github.com/team-slug or github.com/enterprise-team-slug)`,
      );
    }
    return this.teamMetrics.document(
      found,
      await this.ranges.resolve(scopeKey(found.owner), requested),
      {
        includeSuppressed: adminDecision.result === AuthorizeResult.ALLOW,
        headline: options.view === 'headline',
      },
    );
  }

  /**
   * One summary row per team of an org or of the enterprise, for admins (the
   * permission before the 404, as for a team document).
   */
  async teamComparison(
    credentials: BackstageCredentials,
    requestedOwner: Scope,
    requested: Partial<DayRange>,
  ): Promise<TeamComparisonResponse> {
    await this.access.requireAdmin(credentials);
    const owner = this.configuredOwner(requestedOwner);
    const range = await this.ranges.resolve(scopeKey(owner), requested);
    const teams = (await this.options.teamDirectory.listTeams()).filter(
      team => team.owner.kind === owner.kind && team.owner.name === owner.name,
    );
    return {
      ...ownerFields(owner),
      ...range,
      minTeamSize: this.options.config.minTeamSize,
      items: await this.teamMetrics.comparison(owner, range, labels(teams)),
    };
  }

  /**
   * The org's or the enterprise's own aggregate (for the enterprise GitHub's
   * deduplicated figures, never a sum of its orgs), for callers allowed the
   * overview; 404 unless it is configured.
   */
  async ownerDocument(
    credentials: BackstageCredentials,
    requestedOwner: Scope,
    requested: Partial<DayRange>,
    options: { view?: MetricsView } = {},
  ): Promise<MetricsDocument> {
    await this.access.require(
      copilotUsageOrgReadPermission,
      credentials,
      `view the ${requestedOwner.kind === 'org' ? 'organization' : 'enterprise'} overview`,
    );
    const owner = this.configuredOwner(requestedOwner);
    const range = await this.ranges.resolve(scopeKey(owner), requested);
    // Admins also get the logins on client versions that undercount (others: counts).
    const [admin] = await this.options.permissions.authorize(
      [{ permission: copilotUsageAdminPermission }],
      { credentials },
    );
    return this.#orgMetrics.document(owner, range, {
      includeLogins: admin.result === AuthorizeResult.ALLOW,
      headline: options.view === 'headline',
    });
  }

  /** Per scope: last run, last complete day, coverage, errors (admins). */
  async syncStatus(credentials: BackstageCredentials): Promise<SyncStatus> {
    await this.access.requireAdmin(credentials);
    return this.#syncStatus.get();
  }
}

/** The comparison's names of a team by slug; trusted Groups last, so that they name the team over any claim. */
function labels(teams: DirectoryTeam[]): Map<string, TeamLabel> {
  return new Map(
    [...teams]
      .sort((a, b) => Number(a.membershipTrusted) - Number(b.membershipTrusted))
      .map(team => [
        team.slug,
        { entityRef: team.entityRef, title: team.title },
      ]),
  );
}
