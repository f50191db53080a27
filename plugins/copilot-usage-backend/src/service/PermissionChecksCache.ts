import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizePermissionRequest,
  AuthorizePermissionResponse,
  QueryPermissionRequest,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import { RefreshingCache } from '../lib/refreshingCache';

export interface PermissionChecksCacheOptions {
  /** How long a user's decision is reused; default 5 s. */
  ttlMs?: number;
  /** Decisions kept at most; a full cache starts over. Default 10,000. */
  maxSize?: number;
  now?: () => number;
}

/**
 * The permission service with a signed-in user's decisions reused for a few
 * seconds: every metrics request otherwise asks the permission backend over
 * HTTP (which verifies the token again, looks the user's Groups up and, for a
 * team, calls back for the team resource). Keyed by the user's entity ref and
 * the exact requests, never by the token.
 *
 * Staleness: a change of the user's Groups, of the catalog's Groups or of the
 * policy is seen at most `ttlMs` plus one round trip later (an expired decision
 * is given once more while it is asked again; on top of Backstage's own 5 s cache of
 * the user's ownership). Only user principals are cached: a service's
 * decisions depend on its token's access restrictions, which the entity ref
 * alone does not name.
 */
export class PermissionChecksCache implements PermissionsService {
  readonly #cache: RefreshingCache<unknown>;

  constructor(
    private readonly permissions: PermissionsService,
    options: PermissionChecksCacheOptions = {},
  ) {
    this.#cache = new RefreshingCache({
      ttlMs: options.ttlMs ?? 5_000,
      maxSize: options.maxSize ?? 10_000,
      now: options.now,
    });
  }

  authorize(
    requests: AuthorizePermissionRequest[],
    options: { credentials: BackstageCredentials },
  ): Promise<AuthorizePermissionResponse[]> {
    return this.#decide('authorize', requests, options.credentials, () =>
      this.permissions.authorize(requests, options),
    );
  }

  authorizeConditional(
    requests: QueryPermissionRequest[],
    options: { credentials: BackstageCredentials },
  ): Promise<QueryPermissionResponse[]> {
    return this.#decide('conditional', requests, options.credentials, () =>
      this.permissions.authorizeConditional(requests, options),
    );
  }

  #decide<T>(
    kind: string,
    requests: unknown[],
    credentials: BackstageCredentials,
    load: () => Promise<T>,
  ): Promise<T> {
    const user = userEntityRef(credentials);
    if (!user) {
      return load();
    }
    const key = `${kind}\u0000${user}\u0000${JSON.stringify(requests)}`;
    // A failed decision (the permission backend unreachable) is asked again next time.
    return this.#cache.get(key, load) as Promise<T>;
  }
}

function userEntityRef(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as
    Partial<BackstageUserPrincipal> | undefined;
  return principal?.type === 'user' && principal.userEntityRef
    ? principal.userEntityRef.toLocaleLowerCase('en-US')
    : undefined;
}
