import {
  BackstageCredentials,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  DepartmentChildRow,
  DepartmentDocument,
  MetricsDay,
  NotEligibleReason,
  copilotUsageAdminPermission,
  copilotUsageTeamReadPermission,
  dailyAdoption,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  CopilotUsageTeamResource,
  copilotUsageTeamPermissionResourceRef,
} from '@copilot-usage/backstage-plugin-copilot-usage-node';
import { Scope, scopeKey } from '../lib/scope';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import {
  DepartmentDayFigures,
  DepartmentTeamInput,
} from '../store/operations/departments';
import { GroupInfo, trustedAncestors } from './GroupTrust';
import {
  coverageOf,
  creditsOf,
  pickCounters,
  round2,
  totalsOf,
} from './metrics/documentParts';
import { DayRange, RangeResolver } from './RangeResolver';
import type { DirectoryTeam, TeamDirectory } from './TeamDirectory';

const normalize = (ref: string) => ref.toLocaleLowerCase('en-US');

/** A department as the catalog draws it: its subtree's teams and its direct children. */
export interface DepartmentTree {
  entityRef: string;
  title: string;
  /** Trusted teams of the subtree (the Group's own team too, when it is one). */
  teams: DirectoryTeam[];
  /** The department's trusted ancestors, nearest first (for the permission rule). */
  ancestorRefs: string[];
  children: Array<{
    entityRef: string;
    title: string;
    kind: 'department' | 'team';
    teams: DirectoryTeam[];
  }>;
}

/**
 * The department of a Group ref, or undefined when the Group is unknown, is not
 * trusted, or has no trusted team below it. A team counts when its own trusted
 * ancestor chain (as the permission rule walks it) reaches the Group, so the
 * same Groups are believed for access and for figures.
 */
export function resolveDepartment(
  entityRef: string,
  groups: ReadonlyMap<string, GroupInfo>,
  teams: DirectoryTeam[],
): DepartmentTree | undefined {
  const ref = normalize(entityRef);
  const info = groups.get(ref);
  if (!info?.trustedOrigin) {
    return undefined;
  }
  const below = (groupRef: string) =>
    teams.filter(
      team =>
        team.membershipTrusted &&
        (team.entityRef === groupRef || team.ancestorRefs.includes(groupRef)),
    );
  const subtree = below(ref);
  if (!subtree.some(team => team.entityRef !== ref)) {
    return undefined;
  }
  const children: DepartmentTree['children'] = [];
  for (const [childRef, child] of groups) {
    if (
      childRef === ref ||
      !child.trustedOrigin ||
      !child.parents.includes(ref)
    ) {
      continue;
    }
    const childTeams = below(childRef);
    if (childTeams.length === 0) {
      continue;
    }
    children.push({
      entityRef: childRef,
      title: titleOf(child.entity),
      kind: childTeams.some(team => team.entityRef !== childRef)
        ? 'department'
        : 'team',
      teams: childTeams,
    });
  }
  children.sort((a, b) => a.title.localeCompare(b.title));
  return {
    entityRef: ref,
    title: titleOf(info.entity),
    teams: subtree,
    ancestorRefs: trustedAncestors(ref, new Map(groups)),
    children,
  };
}

/** The permission framework's view of a department: a trusted Group with its ancestors. */
export function departmentResource(
  tree: Pick<DepartmentTree, 'entityRef' | 'ancestorRefs'>,
): CopilotUsageTeamResource {
  return {
    groupRef: tree.entityRef,
    membershipTrusted: true,
    ancestorRefs: tree.ancestorRefs,
    githubMemberRefs: [],
  };
}

export interface DepartmentReadsOptions {
  store: CopilotUsageStore;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  teamDirectory: Pick<TeamDirectory, 'getGroups' | 'listTeams'>;
  ranges: RangeResolver;
  minTeamSize: number;
}

/**
 * Department documents: who may read one (the team rule on the department
 * Group: its members, members of an ancestor, admins) and its figures from one
 * store statement over the subtree's teams.
 */
export class DepartmentReads {
  readonly #isAllowed: (
    decision: PolicyDecision,
    resource: CopilotUsageTeamResource | undefined,
  ) => boolean;

  constructor(private readonly options: DepartmentReadsOptions) {
    this.#isAllowed = createConditionAuthorizer(
      options.permissionsRegistry.getPermissionRuleset(
        copilotUsageTeamPermissionResourceRef,
      ),
    );
  }

  /** 403 unless the caller may read the department, then 404 unless it is one. */
  async document(
    credentials: BackstageCredentials,
    group: { namespace: string; name: string },
    requested: Partial<DayRange>,
  ): Promise<DepartmentDocument> {
    const { permissions, teamDirectory } = this.options;
    const entityRef = normalize(`group:${group.namespace}/${group.name}`);
    const [[teamDecision], [adminDecision], groups, teams] = await Promise.all([
      permissions.authorizeConditional(
        [{ permission: copilotUsageTeamReadPermission }],
        { credentials },
      ),
      permissions.authorize([{ permission: copilotUsageAdminPermission }], {
        credentials,
      }),
      teamDirectory.getGroups([entityRef]),
      teamDirectory.listTeams([entityRef]),
    ]);
    const tree = resolveDepartment(entityRef, groups, teams);
    const allowed = tree
      ? this.#isAllowed(teamDecision, departmentResource(tree))
      : teamDecision.result === AuthorizeResult.ALLOW;
    if (!allowed) {
      throw new NotAllowedError(
        `You may not view the Copilot usage of ${entityRef}`,
      );
    }
    if (!tree) {
      throw new NotFoundError(
        `${entityRef} is not a department: no trusted Group below it is mapped to a GitHub team (annotation github.com/team-slug or github.com/enterprise-team-slug)`,
      );
    }
    return this.build(tree, requested, {
      includeSuppressed: adminDecision.result === AuthorizeResult.ALLOW,
    });
  }

  /** The document of a resolved department (no permission check). */
  async build(
    tree: DepartmentTree,
    requested: Partial<DayRange>,
    options: { includeSuppressed: boolean },
  ): Promise<DepartmentDocument> {
    const { store, ranges, minTeamSize } = this.options;
    const owners = uniqueOwners(tree.teams);
    const scope = scopeKey(owners[0]);
    const range = await ranges.resolve(scope, requested);
    const buckets = [tree.teams, ...tree.children.map(child => child.teams)];
    const input: DepartmentTeamInput[] = buckets.flatMap((teams, bucket) =>
      teams.map(team => ({
        bucket,
        scope: scopeKey(team.owner),
        teamSlug: team.slug,
      })),
    );
    const [figures, coverage] = await Promise.all([
      store.getDepartmentFigures({
        teams: input,
        ...range,
        minMembers: options.includeSuppressed ? 0 : minTeamSize,
      }),
      coverageOf(store, scope, range),
    ]);
    const summaries = buckets.map((_teams, bucket) =>
      this.#summarise(
        figures.days.filter(day => day.bucket === bucket),
        figures.totals.find(total => total.bucket === bucket),
        options,
      ),
    );
    const [own] = summaries;
    const children = tree.children.map((child, index): DepartmentChildRow => {
      const summary = summaries[index + 1];
      const shown = summary.visibleRows.length > 0;
      return {
        entityRef: child.entityRef,
        title: child.title,
        kind: child.kind,
        teamCount: child.teams.length,
        eligible: summary.eligible,
        ...(summary.notEligibleReason && {
          notEligibleReason: summary.notEligibleReason,
        }),
        memberCount: shown
          ? summary.visibleRows[summary.visibleRows.length - 1].memberCount
          : null,
        totals: shown ? summary.totals : null,
        adoption: shown ? dailyAdoption(summary.visibleRows) : null,
      };
    });
    return {
      scope: {
        type: 'department',
        entityRef: tree.entityRef,
        title: tree.title,
        teamCount: tree.teams.length,
        owners,
      },
      ...range,
      coverage,
      eligible: own.eligible,
      ...(own.notEligibleReason && {
        notEligibleReason: own.notEligibleReason,
      }),
      minTeamSize,
      suppressedDays: own.suppressedDays,
      days: own.visibleRows.map(row => ({
        ...metricsDay(row),
        ...(options.includeSuppressed && {
          belowMinTeamSize: row.memberCount < minTeamSize,
        }),
      })),
      totals: own.totals,
      children,
    };
  }

  #summarise(
    rows: DepartmentDayFigures[],
    total: { activeUsers: number; members: number } | undefined,
    options: { includeSuppressed: boolean },
  ) {
    const { minTeamSize } = this.options;
    const eligibleRows = rows.filter(row => row.memberCount >= minTeamSize);
    const visibleRows = options.includeSuppressed ? rows : eligibleRows;
    let notEligibleReason: NotEligibleReason | undefined;
    if (!rows.length) {
      notEligibleReason = 'no-data';
    } else if (!eligibleRows.length) {
      notEligibleReason = 'below-min-team-size';
    }
    return {
      eligible: eligibleRows.length > 0,
      notEligibleReason,
      suppressedDays: rows.length - eligibleRows.length,
      visibleRows,
      totals: {
        ...totalsOf(
          visibleRows,
          visibleRows.length ? (total?.activeUsers ?? 0) : 0,
          visibleRows.length,
        ),
        members: visibleRows.length ? (total?.members ?? 0) : null,
        ...creditsOf(
          visibleRows,
          visibleRows.length ? (total?.activeUsers ?? 0) : 0,
        ),
      },
    };
  }
}

function metricsDay(row: DepartmentDayFigures): MetricsDay {
  return {
    day: row.day,
    memberCount: row.memberCount,
    activeUsers: row.activeUsers,
    weeklyActiveUsers: row.weeklyActiveUsers,
    monthlyActiveUsers: row.monthlyActiveUsers,
    chatUsers: row.chatUsers,
    agentUsers: row.agentUsers,
    cliUsers: row.cliUsers,
    cloudAgentUsers: row.cloudAgentUsers,
    copilotAppUsers: row.copilotAppUsers,
    aiCredits: row.aiCredits === null ? null : round2(row.aiCredits),
    monthlyActiveChatUsers: null,
    monthlyActiveAgentUsers: null,
    ...pickCounters(row),
    source: 'report',
  };
}

function uniqueOwners(teams: DirectoryTeam[]): Scope[] {
  const owners = new Map<string, Scope>();
  for (const team of teams) {
    owners.set(scopeKey(team.owner), { ...team.owner });
  }
  return [...owners.values()];
}

function titleOf(entity: Entity): string {
  const profile = (
    entity.spec as { profile?: { displayName?: unknown } } | undefined
  )?.profile;
  return (
    entity.metadata.title ??
    (typeof profile?.displayName === 'string'
      ? profile.displayName
      : undefined) ??
    entity.metadata.name
  );
}
