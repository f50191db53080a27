import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  RELATION_CHILD_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_GITHUB_TEAM_SLUG,
  ANNOTATION_GITHUB_USER_LOGIN,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { CopilotUsageTeamResource } from '@copilot-usage/backstage-plugin-copilot-usage-node';
import { ScopeKey } from '../store/types';

/** A Backstage Group mapped to a GitHub team of a configured org. */
export interface DirectoryTeam {
  /** The Group's entity ref, lowercase (the catalog compares refs case-insensitively). */
  entityRef: string;
  /** The org as spelled in config. */
  org: string;
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

/** What the directory needs of the store: GitHub's own team membership. */
export interface TeamMembershipReader {
  getLatestTeamMemberLogins(
    scope: ScopeKey,
    teamSlug: string,
  ): Promise<string[]>;
}

export interface TeamDirectoryOptions {
  catalog: CatalogService;
  auth: AuthService;
  membership: TeamMembershipReader;
  /** Only teams of these orgs are listed (compared case-insensitively). */
  organizations: string[];
  /** The GitHub host whose org provider's Groups are trusted; default github.com. */
  githubHost?: string;
  /**
   * Further `backstage.io/managed-by-origin-location` values whose Groups are
   * trusted; `*` matches any text (`url:https://github.com/acme/catalog/blob/main/*`).
   */
  trustedGroupOrigins?: string[];
  logger?: LoggerService;
  /** How long one read of the catalog is reused; default 60 s. */
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
// A parent chain longer than this is a cycle or a mistake; stop walking.
const MAX_ANCESTORS = 32;

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
 * `github.com/team-slug: <org>/<slug>` annotation, and gives the permission
 * framework the team resources.
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
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #membership: TeamMembershipReader;
  readonly #organizations: Map<string, string>;
  readonly #isProviderOrigin: (origin: string, mapping?: TeamSlug) => boolean;
  readonly #trustedPatterns: RegExp[];
  readonly #logger?: LoggerService;
  readonly #cacheTtlMs: number;
  readonly #missRefreshMs: number;
  readonly #now: () => number;
  #cached?: CachedSnapshot;
  #reportedConflicts = '';

  constructor(options: TeamDirectoryOptions) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#membership = options.membership;
    this.#organizations = new Map(
      options.organizations.map(org => [normalize(org), org]),
    );
    this.#isProviderOrigin = providerOriginMatcher(
      options.githubHost ?? 'github.com',
      this.#organizations,
    );
    this.#trustedPatterns = (options.trustedGroupOrigins ?? []).map(
      globToRegExp,
    );
    this.#logger = options.logger;
    this.#cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.#missRefreshMs = options.missRefreshMs ?? DEFAULT_MISS_REFRESH_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Every mapped team, trusted or not, sorted by org then title. `expectedRefs`
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

  /** For the permission framework: the resources of the given refs, in order. */
  async getResources(
    entityRefs: string[],
  ): Promise<Array<CopilotUsageTeamResource | undefined>> {
    const { byRef } = await this.#snapshot(entityRefs);
    return entityRefs.map(ref => {
      const team = byRef.get(normalize(ref));
      return team && teamResource(team);
    });
  }

  #snapshot(expectedRefs: string[] = []): Promise<Snapshot> {
    const now = this.#now();
    const cached = this.#cached;
    if (
      !cached ||
      cached.expiresAt <= now ||
      (cached.value &&
        now - cached.loadedAt >= this.#missRefreshMs &&
        expectedRefs.some(ref => !cached.value!.groupRefs.has(normalize(ref))))
    ) {
      return this.#reload(now);
    }
    return cached.snapshot;
  }

  #reload(now: number): Promise<Snapshot> {
    const entry: CachedSnapshot = {
      loadedAt: now,
      expiresAt: now + this.#cacheTtlMs,
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
    const credentials = await this.#auth.getOwnServiceCredentials();
    const { items } = await this.#catalog.getEntities(
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
        trustedOrigin: this.#isTrustedOrigin(group, mapping),
        parents: parentRefs(group),
      });
    }
    this.#distrustDuplicateClaims(groups);

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
      (a, b) => a.org.localeCompare(b.org) || a.title.localeCompare(b.title),
    );
    return {
      teams,
      byRef: new Map(teams.map(team => [team.entityRef, team])),
      groupRefs: new Set(groups.keys()),
    };
  }

  #parseTeamSlug(group: Entity): TeamSlug | undefined {
    const value = group.metadata.annotations?.[ANNOTATION_GITHUB_TEAM_SLUG];
    const match = value?.trim().match(/^([^/\s]+)\/([^/\s]+)$/);
    if (!match) {
      return undefined;
    }
    const org = this.#organizations.get(normalize(match[1]));
    return org ? { org, slug: match[2] } : undefined;
  }

  #isTrustedOrigin(group: Entity, mapping: TeamSlug | undefined): boolean {
    const origin = group.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
    if (!origin || hasDotSegment(origin)) {
      return false;
    }
    return (
      this.#isProviderOrigin(origin, mapping) ||
      this.#trustedPatterns.some(pattern => pattern.test(origin))
    );
  }

  /** Two trusted Groups claiming one team: neither is believed. */
  #distrustDuplicateClaims(groups: Map<string, GroupInfo>) {
    const claims = new Map<string, string[]>();
    for (const [ref, info] of groups) {
      if (info.mapping && info.trustedOrigin) {
        const team = normalize(`${info.mapping.org}/${info.mapping.slug}`);
        claims.set(team, [...(claims.get(team) ?? []), ref]);
      }
    }
    const conflicts: string[] = [];
    for (const [team, refs] of claims) {
      if (refs.length > 1) {
        refs.forEach(ref => (groups.get(ref)!.trustedOrigin = false));
        conflicts.push(`${team} (${refs.join(', ')})`);
      }
    }
    const report = conflicts.sort().join('; ');
    if (report && report !== this.#reportedConflicts) {
      this.#logger?.warn(
        `Copilot usage: several trusted Groups claim the same GitHub team, none of them is trusted: ${report}`,
      );
    }
    this.#reportedConflicts = report;
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
        await this.#membership.getLatestTeamMemberLogins(
          `org:${team.org}`,
          team.slug,
        ),
      );
    }
    const logins = [...new Set([...loginsByTeam.values()].flat())];
    if (logins.length === 0) {
      return;
    }
    const { items: users } = await this.#catalog.getEntities(
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

interface TeamSlug {
  org: string;
  slug: string;
}

interface GroupInfo {
  entity: Entity;
  mapping?: TeamSlug;
  trustedOrigin: boolean;
  parents: string[];
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

/**
 * The GitHub org provider writes `url:https://<host>/orgs/<org>/teams/<slug>`
 * as a Group's origin. No catalog location can produce that origin with
 * entities in it (the URL is a GitHub page, not a file), so it proves where
 * the Group came from. An annotated Group must carry its own team's slug.
 */
function providerOriginMatcher(
  githubHost: string,
  organizations: Map<string, string>,
): (origin: string, mapping?: TeamSlug) => boolean {
  const pattern = new RegExp(
    `^url:https://${escapeRegExp(githubHost)}/orgs/([A-Za-z0-9-]+)/teams/([A-Za-z0-9._-]+)$`,
    'i',
  );
  return (origin, mapping) => {
    const match = pattern.exec(origin);
    if (!match || !organizations.has(normalize(match[1]))) {
      return false;
    }
    return (
      !mapping ||
      (normalize(match[1]) === normalize(mapping.org) &&
        normalize(match[2]) === normalize(mapping.slug))
    );
  };
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// `a/../b` reads a file outside the place a pattern names.
function hasDotSegment(origin: string): boolean {
  return /(^|[/\\])\.\.?([/\\?#]|$)|%2e/i.test(origin);
}

function displayName(group: Entity): string | undefined {
  const profile = (
    group.spec as { profile?: { displayName?: unknown } } | undefined
  )?.profile;
  return typeof profile?.displayName === 'string'
    ? profile.displayName
    : undefined;
}

/**
 * A Group's parent candidates: its own `spec.parent` and every `childOf`
 * relation (another Group's `spec.children` makes one, which is why parents
 * must be trusted Groups themselves to count).
 */
function parentRefs(group: Entity): string[] {
  const refs = new Set<string>();
  const parent = group.spec?.parent;
  if (typeof parent === 'string' && parent) {
    try {
      refs.add(
        normalize(
          stringifyEntityRef(
            parseEntityRef(parent, {
              defaultKind: 'group',
              defaultNamespace: group.metadata.namespace ?? 'default',
            }),
          ),
        ),
      );
    } catch {
      // not a ref: no parent
    }
  }
  for (const relation of group.relations ?? []) {
    if (relation.type === RELATION_CHILD_OF) {
      refs.add(normalize(relation.targetRef));
    }
  }
  return [...refs];
}

/** Trusted ancestors, nearest first; the walk stops at a Group that is not trusted. */
function trustedAncestors(
  entityRef: string,
  groups: Map<string, GroupInfo>,
): string[] {
  const ancestors: string[] = [];
  let level = groups.get(entityRef)?.parents ?? [];
  while (level.length > 0 && ancestors.length < MAX_ANCESTORS) {
    const next: string[] = [];
    for (const ref of level) {
      const info = groups.get(ref);
      if (
        ref === entityRef ||
        ancestors.includes(ref) ||
        !info?.trustedOrigin
      ) {
        continue;
      }
      ancestors.push(ref);
      next.push(...info.parents);
    }
    level = next;
  }
  return ancestors.slice(0, MAX_ANCESTORS);
}
