import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_CHILD_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { ANNOTATION_GITHUB_TEAM_SLUG } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  CopilotUsageTeamFilter,
  CopilotUsageTeamResource,
} from '@copilot-usage/backstage-plugin-copilot-usage-node';

/** A Backstage Group mapped to a GitHub team of a configured org. */
export interface DirectoryTeam {
  /** The Group's entity ref, lowercase (the catalog compares refs case-insensitively). */
  entityRef: string;
  /** The org as spelled in config. */
  org: string;
  slug: string;
  title: string;
  /** Refs of the Group's parent Groups, nearest first, lowercase. */
  ancestorRefs: string[];
}

export interface TeamDirectoryOptions {
  catalog: CatalogService;
  auth: AuthService;
  /** Only teams of these orgs are listed (compared case-insensitively). */
  organizations: string[];
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
 * `github.com/team-slug: <org>/<slug>` annotation, and answers the permission
 * framework's questions about them (the team resource and the team filter).
 *
 * Reads every Group once per cache period: parents without the annotation
 * (departments, say) still count as ancestors for nested-team access.
 */
export class TeamDirectory {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #organizations: Map<string, string>;
  readonly #cacheTtlMs: number;
  readonly #missRefreshMs: number;
  readonly #now: () => number;
  #cached?: CachedSnapshot;

  constructor(options: TeamDirectoryOptions) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#organizations = new Map(
      options.organizations.map(org => [normalize(org), org]),
    );
    this.#cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
    this.#missRefreshMs = options.missRefreshMs ?? DEFAULT_MISS_REFRESH_MS;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Every mapped team, sorted by org then title. `expectedRefs` (e.g. the
   * caller's ownership refs) are Groups the caller knows exist: when the last
   * read lacks one of them, the catalog is read again (at most every few seconds).
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
      return (
        team && { groupRef: team.entityRef, ancestorRefs: team.ancestorRefs }
      );
    });
  }

  /** The teams a conditional decision's criteria let through. */
  async filterTeams(
    criteria: PermissionCriteria<CopilotUsageTeamFilter>,
    expectedRefs: string[] = [],
  ): Promise<DirectoryTeam[]> {
    return (await this.listTeams(expectedRefs)).filter(team =>
      matchesCriteria(team, criteria),
    );
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
    const { items } = await this.#catalog.getEntities(
      { filter: { kind: 'Group' }, fields: GROUP_FIELDS },
      { credentials: await this.#auth.getOwnServiceCredentials() },
    );
    const parents = new Map<string, string>();
    const groupRefs = new Set<string>();
    for (const group of items) {
      groupRefs.add(normalize(stringifyEntityRef(group)));
      const parent = parentRef(group);
      if (parent) {
        parents.set(normalize(stringifyEntityRef(group)), parent);
      }
    }

    const teams: DirectoryTeam[] = [];
    for (const group of items) {
      const mapping = this.#parseTeamSlug(group);
      if (!mapping) {
        continue;
      }
      const entityRef = normalize(stringifyEntityRef(group));
      teams.push({
        entityRef,
        ...mapping,
        title:
          group.metadata.title ?? displayName(group) ?? group.metadata.name,
        ancestorRefs: ancestorsOf(entityRef, parents),
      });
    }
    teams.sort(
      (a, b) => a.org.localeCompare(b.org) || a.title.localeCompare(b.title),
    );
    return {
      teams,
      byRef: new Map(teams.map(team => [team.entityRef, team])),
      groupRefs,
    };
  }

  #parseTeamSlug(group: Entity): { org: string; slug: string } | undefined {
    const value = group.metadata.annotations?.[ANNOTATION_GITHUB_TEAM_SLUG];
    const match = value?.trim().match(/^([^/\s]+)\/([^/\s]+)$/);
    if (!match) {
      return undefined;
    }
    const org = this.#organizations.get(normalize(match[1]));
    return org ? { org, slug: match[2] } : undefined;
  }
}

function displayName(group: Entity): string | undefined {
  const profile = (
    group.spec as { profile?: { displayName?: unknown } } | undefined
  )?.profile;
  return typeof profile?.displayName === 'string'
    ? profile.displayName
    : undefined;
}

/** The parent Group's ref: the catalog's `childOf` relation, else `spec.parent`. */
function parentRef(group: Entity): string | undefined {
  const relation = group.relations?.find(r => r.type === RELATION_CHILD_OF);
  if (relation) {
    return normalize(relation.targetRef);
  }
  const parent = group.spec?.parent;
  if (typeof parent !== 'string' || !parent) {
    return undefined;
  }
  try {
    return normalize(
      stringifyEntityRef(
        parseEntityRef(parent, {
          defaultKind: 'group',
          defaultNamespace: group.metadata.namespace ?? 'default',
        }),
      ),
    );
  } catch {
    return undefined;
  }
}

function ancestorsOf(
  entityRef: string,
  parents: Map<string, string>,
): string[] {
  const ancestors: string[] = [];
  let current = parents.get(entityRef);
  while (current && current !== entityRef && !ancestors.includes(current)) {
    ancestors.push(current);
    if (ancestors.length >= MAX_ANCESTORS) {
      break;
    }
    current = parents.get(current);
  }
  return ancestors;
}

function matchesFilter(
  team: DirectoryTeam,
  filter: CopilotUsageTeamFilter,
): boolean {
  const refs = new Set(filter.groupRefs.map(normalize));
  return (
    refs.has(team.entityRef) ||
    (filter.includeDescendants && team.ancestorRefs.some(ref => refs.has(ref)))
  );
}

/** Evaluates `{ allOf } | { anyOf } | { not } | filter` criteria for one team. */
export function matchesCriteria(
  team: DirectoryTeam,
  criteria: PermissionCriteria<CopilotUsageTeamFilter>,
): boolean {
  if ('allOf' in criteria) {
    return criteria.allOf.every(c => matchesCriteria(team, c));
  }
  if ('anyOf' in criteria) {
    return criteria.anyOf.some(c => matchesCriteria(team, c));
  }
  if ('not' in criteria) {
    return !matchesCriteria(team, criteria.not);
  }
  return matchesFilter(team, criteria);
}
