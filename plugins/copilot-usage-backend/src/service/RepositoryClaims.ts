import { ANNOTATION_ORIGIN_LOCATION, Entity } from '@backstage/catalog-model';
import { REPOSITORY_SLUG_ANNOTATION } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { globToRegExp, hasDotSegment } from './GroupTrust';

/** `owner/repo`, lowercase: how repositories are keyed. */
export const repositorySlug = (owner: string, name: string) =>
  `${owner}/${name}`.toLowerCase();

/**
 * Decides which Components may be believed about the repository they name in
 * `github.com/project-slug`. Anyone who may register a catalog location can add a
 * Component naming any repository, so the claim counts only when the Component comes
 * from that very repository (its origin location is a file in it: only the repository's
 * writers can put one there) or from an origin the adopter trusts
 * (`trustedComponentOrigins`).
 */
export class RepositoryClaims {
  readonly #host: string;
  readonly #trustedPatterns: RegExp[];

  constructor(options: {
    githubHost: string;
    trustedComponentOrigins: string[];
  }) {
    this.#host = options.githubHost.toLowerCase();
    this.#trustedPatterns = options.trustedComponentOrigins.map(globToRegExp);
  }

  /** The repository the Component names and may be believed about, or undefined. */
  slugOf(entity: Entity): string | undefined {
    const value = entity.metadata.annotations?.[REPOSITORY_SLUG_ANNOTATION];
    const match = value?.trim().match(/^([^/\s]+)\/([^/\s]+)$/);
    if (!match) return undefined;
    const slug = repositorySlug(match[1], match[2]);
    const origin = entity.metadata.annotations?.[ANNOTATION_ORIGIN_LOCATION];
    if (!origin || hasDotSegment(origin)) return undefined;
    const inRepository = origin
      .toLowerCase()
      .startsWith(`url:https://${this.#host}/${slug}/`);
    return inRepository ||
      this.#trustedPatterns.some(pattern => pattern.test(origin))
      ? slug
      : undefined;
  }
}
