import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  RELATION_CHILD_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Scope } from '../lib/scope';

// A parent chain longer than this is a cycle or a mistake; stop walking.
const MAX_ANCESTORS = 32;

const normalize = (ref: string) => ref.toLocaleLowerCase('en-US');

/** A GitHub team: an org's, or an enterprise team (slug with its `ent:` prefix). */
export interface TeamSlug {
  owner: Scope;
  slug: string;
}

/** What the directory knows of one Group while it reads the catalog. */
export interface GroupInfo {
  entity: Entity;
  mapping?: TeamSlug;
  trustedOrigin: boolean;
  parents: string[];
}

/**
 * Decides which Groups may be believed about who is in a GitHub team: those
 * from the GitHub org provider or from an origin the adopter trusts
 * (`trustedGroupOrigins`), one per team. Anyone who may register a catalog
 * location can add a Group claiming any team, so a claim alone proves nothing.
 */
export class GroupTrust {
  readonly #isProviderOrigin: (origin: string, mapping?: TeamSlug) => boolean;
  readonly #trustedPatterns: RegExp[];
  readonly #logger?: LoggerService;
  #reportedConflicts = '';

  constructor(options: {
    githubHost: string;
    /** Configured orgs by lowercase name. */
    organizations: Map<string, string>;
    trustedGroupOrigins: string[];
    logger?: LoggerService;
  }) {
    this.#isProviderOrigin = providerOriginMatcher(
      options.githubHost,
      options.organizations,
    );
    this.#trustedPatterns = options.trustedGroupOrigins.map(globToRegExp);
    this.#logger = options.logger;
  }

  isTrustedOrigin(group: Entity, mapping: TeamSlug | undefined): boolean {
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
  distrustDuplicateClaims(groups: Map<string, GroupInfo>) {
    const claims = new Map<string, string[]>();
    for (const [ref, info] of groups) {
      if (info.mapping && info.trustedOrigin) {
        const { owner, slug } = info.mapping;
        const team = normalize(`${owner.kind}:${owner.name}/${slug}`);
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
}

/**
 * The GitHub org provider writes `url:https://<host>/orgs/<org>/teams/<slug>`
 * as a Group's origin. No catalog location can produce that origin with
 * entities in it (the URL is a GitHub page, not a file), so it proves where
 * the Group came from. An annotated Group must carry its own team's slug. The
 * provider never writes an enterprise team's annotation, so its origin never
 * vouches for one.
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
      (mapping.owner.kind === 'org' &&
        normalize(match[1]) === normalize(mapping.owner.name) &&
        normalize(match[2]) === normalize(mapping.slug))
    );
  };
}

export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(escapeRegExp).join('.*')}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// `a/../b` reads a file outside the place a pattern names.
export function hasDotSegment(origin: string): boolean {
  return /(^|[/\\])\.\.?([/\\?#]|$)|%2e/i.test(origin);
}

/**
 * A Group's parent candidates: its own `spec.parent` and every `childOf`
 * relation (another Group's `spec.children` makes one, which is why parents
 * must be trusted Groups themselves to count).
 */
export function parentRefs(group: Entity): string[] {
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
export function trustedAncestors(
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
