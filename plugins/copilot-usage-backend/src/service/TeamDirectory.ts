import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_GITHUB_ENTERPRISE_TEAM_SLUG,
  ANNOTATION_GITHUB_TEAM_SLUG,
  ANNOTATION_GITHUB_USER_LOGIN,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageTeamResource } from '@copilot-usage/backstage-plugin-copilot-usage-node';
import { Scope, scopeKey } from '../lib/scope';
import { TeamMembershipReader } from '../store/CopilotUsageStore';
import { departmentResource, resolveDepartment } from './Departments';
import {
  GroupInfo,
  GroupTrust,
  TeamSlug,
  parentRefs,
  trustedAncestors,
} from './GroupTrust';

/** A Backstage Group mapped to a GitHub team of a configured org or of the configured enterprise. */
export interface DirectoryTeam {
  /** The Group's entity ref, lowercase (the catalog compares refs case-insensitively). */
  entityRef: string;
  /** The org (or, for an enterprise team, the enterprise) as spelled in config. */
  owner: Scope;
  /** As in GitHub's user-teams report: an enterprise team's with its `ent:` prefix. */
  slug: string;
  title: string;
  /**
   * Whether the Group's catalog membership counts: it comes from a trusted
   * origin and no other trusted Group claims the same team.
   */
  membershipTrusted: boolean;
  /** Refs of the Group's trusted parent Groups, nearest first, lowercase. */
  ancestorRefs: string[];
  /** For an untrusted Group: the Users GitHub's membership report puts in the team. */
  githubMemberRefs: string[];
}

export interface TeamDirectoryOptions {
  catalog: CatalogService;
  auth: AuthService;
  /** GitHub's own team membership, for untrusted Groups. */
  membership: Pick<TeamMembershipReader, 'getLatestTeamMemberLogins'>;
  /** Only teams of these orgs are listed (compared case-insensitively). */
  organizations: string[];
  /** The configured enterprise, whose enterprise teams are listed too. */
  enterprise?: string;
  /** The GitHub host whose org provider's Groups are trusted; default github.com. */
  githubHost?: string;
  /**
   * Further `backstage.io/managed-by-origin-location` values whose Groups are
   * trusted; `*` matches any text (`url:https://github.com/acme/catalog/blob/main/*`).
   */
  trustedGroupOrigins?: string[];
  logger?: LoggerService;
  /**
   * How long one read of the catalog is reused; default 60 s. After it, the
   * read answers while the next one runs, for at most as long again.
   */
  cacheTtlMs?: number;
  /**
   * The least time between two reads caused by a miss (an empty catalog, or a
   * Group the last read did not hold); default 2 s, against stampedes.
   */
  missRefreshMs?: number;
  now?: () => number;
}

interface Snapshot {
  teams: DirectoryTeam[];
  byRef: Map<string, DirectoryTeam>;
  /** Every Group ref the read saw, mapped or not, lowercase. */
  groupRefs: Set<string>;
  /** Every Group the read saw, with its parents and whether its origin is trusted. */
  groups: ReadonlyMap<string, GroupInfo>;
}

interface CachedSnapshot {
  loadedAt: number;
  expiresAt: number;
  snapshot: Promise<Snapshot>;
  /** Set once the read has finished. */
  value?: Snapshot;
}

const DEFAULT_CACHE_TTL_MS = 60_000;
const DEFAULT_MISS_REFRESH_MS = 2_000;

const GROUP_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.parent',
  'spec.profile.displayName',
  'relations',
];

const normalize = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Maps Backstage Group entities to GitHub teams through the
 * `github.com/team-slug: <org>/<slug>` annotation (an org team) or the
 * `github.com/enterprise-team-slug: <enterprise>/<slug>` annotation (an
 * enterprise team), and gives the permission framework the team resources.
 *
 * Anyone who may register a catalog location can add a Group claiming any
 * team, so a claim alone proves nothing. A Group's catalog membership (and
 * its parents) count only when the Group is trusted: it comes from the GitHub
 * org provider (origin `url:https://<host>/orgs/<org>/teams/<its slug>`) or
 * from an origin in `trustedGroupOrigins`, and it is the only trusted Group
 * claiming its team. For any other Group, only the people GitHub's own
 * user-teams report puts in the team are members.
 *
 * Reads every Group once per cache period: parents without the annotation
 * (departments, say) still count as ancestors for nested-team access.
 */
export class TeamDirectory {
  readonly #organizations: Map<string, string>;
  readonly #trust: GroupTrust;
  #cached?: CachedSnapshot;

  constructor(private readonly options: TeamDirectoryOptions) {
    this.#organizations = new Map(
      options.organizations.map(org => [normalize(org), org]),
    );
    this.#trust = new GroupTrust({
      githubHost: options.githubHost ?? 'github.com',
      organizations: this.#organizations,
      trustedGroupOrigins: options.trustedGroupOrigins ?? [],
      logger: options.logger,
    });
  }

  /**
   * Every mapped team, trusted or not: org teams by org then title, then the
   * enterprise's teams by title. `expectedRefs`
   * (e.g. the caller's ownership refs) are Groups the caller knows exist: when
   * the last read lacks one of them, the catalog is read again (at most every
   * few seconds).
   */
  async listTeams(expectedRefs: string[] = []): Promise<DirectoryTeam[]> {
    const groups = expectedRefs.filter(ref => /^group:/i.test(ref));
    return (await this.#snapshot(groups)).teams;
  }

  /** The team of a Group ref, or undefined when the Group is unknown or not mapped. */
  async getTeam(entityRef: string): Promise<DirectoryTeam | undefined> {
    return (await this.#snapshot([entityRef])).byRef.get(normalize(entityRef));
  }

  /** Every Group of the last read by lowercase ref (department rollups walk it). */
  async getGroups(
    expectedRefs: string[] = [],
  ): Promise<ReadonlyMap<string, GroupInfo>> {
    return (await this.#snapshot(expectedRefs)).groups;
  }

  /**
   * For the permission framework: the resources of the given refs, in order. A
   * department (a trusted Group above teams) is a resource too, decided by the same
   * rule: its members and members of its trusted ancestors.
   */
  async getResources(
    entityRefs: string[],
  ): Promise<Array<CopilotUsageTeamResource | undefined>> {
    const { byRef, teams, groups } = await this.#snapshot(entityRefs);
    return entityRefs.map(ref => {
      const team = byRef.get(normalize(ref));
      if (team) {
        return teamResource(team);
      }
      const department = resolveDepartment(ref, groups, teams);
      return department && departmentResource(department);
    });
  }

  get #missRefreshMs(): number {
    return this.options.missRefreshMs ?? DEFAULT_MISS_REFRESH_MS;
  }

  #snapshot(expectedRefs: string[] = []): Promise<Snapshot> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.#cached;
    if (
      !cached ||
      (cached.value &&
        now - cached.loadedAt >= this.#missRefreshMs &&
        expectedRefs.some(ref => !cached.value!.groupRefs.has(normalize(ref))))
    ) {
      return this.#reload(now);
    }
    if (cached.expiresAt > now) {
      return cached.snapshot;
    }
    // Expired: a full read is answered once more while the next one runs, so that
    // requests do not wait for the catalog every period; not past twice the period
    // (a catalog that keeps failing), nor for an empty or unfinished read.
    const ttl = this.options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    if (
      cached.value &&
      cached.value.groupRefs.size > 0 &&
      now - cached.loadedAt < 2 * ttl
    ) {
      this.#refreshInBackground(cached, now);
      return cached.snapshot;
    }
    return this.#reload(now);
  }

  #refreshing?: CachedSnapshot;

  #refreshInBackground(stale: CachedSnapshot, now: number) {
    if (this.#refreshing) return;
    const entry: CachedSnapshot = {
      loadedAt: now,
      expiresAt: now + (this.options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS),
      snapshot: this.#load(),
    };
    this.#refreshing = entry;
    entry.snapshot.then(
      value => {
        entry.value = value;
        if (value.groupRefs.size === 0) {
          entry.expiresAt = entry.loadedAt + this.#missRefreshMs;
        }
        // Unless a read caused by a miss replaced the stale one meanwhile.
        if (this.#cached === stale) this.#cached = entry;
        this.#refreshing = undefined;
      },
      // The stale read stays (at most twice the period); the next request tries again.
      () => {
        this.#refreshing = undefined;
      },
    );
  }

  #reload(now: number): Promise<Snapshot> {
    const entry: CachedSnapshot = {
      loadedAt: now,
      expiresAt: now + (this.options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS),
      snapshot: this.#load(),
    };
    this.#cached = entry;
    entry.snapshot.then(
      value => {
        entry.value = value;
        // A catalog that has not finished its first pass answers with no Groups:
        // not worth keeping for a whole period.
        if (value.groupRefs.size === 0) {
          entry.expiresAt = entry.loadedAt + this.#missRefreshMs;
        }
      },
      // A failed read must not be served for a whole cache period.
      () => {
        if (this.#cached === entry) {
          this.#cached = undefined;
        }
      },
    );
    return entry.snapshot;
  }

  async #load(): Promise<Snapshot> {
    const { auth, catalog } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      { filter: { kind: 'Group' }, fields: GROUP_FIELDS },
      { credentials },
    );
    const groups = new Map<string, GroupInfo>();
    for (const group of items) {
      const entityRef = normalize(stringifyEntityRef(group));
      const mapping = this.#parseTeamSlug(group);
      groups.set(entityRef, {
        entity: group,
        mapping,
        trustedOrigin: this.#trust.isTrustedOrigin(group, mapping),
        parents: parentRefs(group),
      });
    }
    this.#trust.distrustDuplicateClaims(groups);

    const teams: DirectoryTeam[] = [];
    for (const [entityRef, info] of groups) {
      if (!info.mapping) {
        continue;
      }
      const { entity } = info;
      teams.push({
        entityRef,
        ...info.mapping,
        title:
          entity.metadata.title ?? displayName(entity) ?? entity.metadata.name,
        membershipTrusted: info.trustedOrigin,
        ancestorRefs: info.trustedOrigin
          ? trustedAncestors(entityRef, groups)
          : [],
        githubMemberRefs: [],
      });
    }
    await this.#proveGithubMembers(
      teams.filter(team => !team.membershipTrusted),
      credentials,
    );
    teams.sort(
      (a, b) =>
        ownerOrder(a.owner) - ownerOrder(b.owner) ||
        a.owner.name.localeCompare(b.owner.name) ||
        a.title.localeCompare(b.title),
    );
    return {
      teams,
      byRef: new Map(teams.map(team => [team.entityRef, team])),
      groupRefs: new Set(groups.keys()),
      groups,
    };
  }

  /**
   * The team a Group's annotation names, if its org (or enterprise) is
   * configured. A Group with both annotations names no team: which one it
   * speaks for would be a guess.
   */
  #parseTeamSlug(group: Entity): TeamSlug | undefined {
    const annotations = group.metadata.annotations ?? {};
    const orgTeam = splitOwnerSlug(annotations[ANNOTATION_GITHUB_TEAM_SLUG]);
    const enterpriseTeam = splitOwnerSlug(
      annotations[ANNOTATION_GITHUB_ENTERPRISE_TEAM_SLUG],
    );
    if (orgTeam && enterpriseTeam) {
      return undefined;
    }
    if (orgTeam) {
      const org = this.#organizations.get(normalize(orgTeam.owner));
      return org
        ? { owner: { kind: 'org', name: org }, slug: orgTeam.slug }
        : undefined;
    }
    const enterprise = this.options.enterprise;
    if (
      !enterpriseTeam ||
      !enterprise ||
      normalize(enterpriseTeam.owner) !== normalize(enterprise)
    ) {
      return undefined;
    }
    return {
      owner: { kind: 'enterprise', name: enterprise },
      slug: enterpriseTeamSlug(enterpriseTeam.slug),
    };
  }

  /** Fills `githubMemberRefs`: catalog Users whose GitHub login is in the team's latest user-teams rows. */
  async #proveGithubMembers(
    teams: DirectoryTeam[],
    credentials: BackstageCredentials,
  ) {
    const loginsByTeam = new Map<DirectoryTeam, string[]>();
    for (const team of teams) {
      loginsByTeam.set(
        team,
        await this.options.membership.getLatestTeamMemberLogins(
          scopeKey(team.owner),
          team.slug,
        ),
      );
    }
    const logins = [...new Set([...loginsByTeam.values()].flat())];
    if (logins.length === 0) {
      return;
    }
    const { items: users } = await this.options.catalog.getEntities(
      {
        filter: {
          kind: 'User',
          [`metadata.annotations.${ANNOTATION_GITHUB_USER_LOGIN}`]: logins,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials },
    );
    const refsByLogin = new Map<string, string[]>();
    for (const user of users) {
      const login = user.metadata.annotations?.[ANNOTATION_GITHUB_USER_LOGIN];
      if (login) {
        const key = normalize(login);
        refsByLogin.set(key, [
          ...(refsByLogin.get(key) ?? []),
          normalize(stringifyEntityRef(user)),
        ]);
      }
    }
    for (const [team, teamLogins] of loginsByTeam) {
      team.githubMemberRefs = teamLogins.flatMap(
        login => refsByLogin.get(normalize(login)) ?? [],
      );
    }
  }
}

/** The permission framework's view of a team. */
export function teamResource(team: DirectoryTeam): CopilotUsageTeamResource {
  return {
    groupRef: team.entityRef,
    membershipTrusted: team.membershipTrusted,
    ancestorRefs: team.ancestorRefs,
    githubMemberRefs: team.githubMemberRefs,
  };
}

/** `ent:<name>`: GitHub's slug of an enterprise team, whether or not `slug` has the prefix. */
export function enterpriseTeamSlug(slug: string): string {
  return /^ent:/i.test(slug) ? `ent:${slug.slice(4)}` : `ent:${slug}`;
}

// An annotation value `<owner>/<slug>`; no spaces, one slash.
function splitOwnerSlug(
  value: string | undefined,
): { owner: string; slug: string } | undefined {
  const match = value?.trim().match(/^([^/\s]+)\/([^/\s]+)$/);
  return match ? { owner: match[1], slug: match[2] } : undefined;
}

// Org teams first (as before the enterprise had teams), then the enterprise's.
function ownerOrder(owner: Scope): number {
  return owner.kind === 'org' ? 0 : 1;
}

function displayName(group: Entity): string | undefined {
  const profile = (
    group.spec as { profile?: { displayName?: unknown } } | undefined
  )?.profile;
  return typeof profile?.displayName === 'string'
    ? profile.displayName
    : undefined;
}
