import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_GITHUB_USER_LOGIN } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { RefreshingCache } from '../lib/refreshingCache';

/** How long a User entity's login is reused: a changed login annotation shows this much later. */
export const LOGIN_CACHE_TTL_MS = 30_000;

/**
 * The GitHub login of each signed-in user, from the catalog, kept per catalog
 * service for {@link LOGIN_CACHE_TTL_MS} and keyed by the user's entity ref
 * (never by the token): `/me` otherwise reads the User entity on every request.
 */
const loginCaches = new WeakMap<CatalogService, RefreshingCache<string>>();

function loginCache(catalog: CatalogService): RefreshingCache<string> {
  let cache = loginCaches.get(catalog);
  if (!cache) {
    cache = new RefreshingCache({ ttlMs: LOGIN_CACHE_TTL_MS, maxSize: 10_000 });
    loginCaches.set(catalog, cache);
  }
  return cache;
}

/** The signed-in user's entity ref and GitHub login, found in the catalog. */
export async function signedInUser(
  credentials: BackstageCredentials,
  services: {
    auth: AuthService;
    userInfo: UserInfoService;
    catalog: CatalogService;
  },
): Promise<{ entityRef: string; login: string }> {
  const { auth, userInfo, catalog } = services;
  const { userEntityRef } = await userInfo.getUserInfo(credentials);
  const login = await loginCache(catalog).get(
    userEntityRef.toLocaleLowerCase('en-US'),
    async () => {
      const user = await catalog.getEntityByRef(userEntityRef, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      // Without a User entity, the signed-in identity's own name is the login:
      // GitHub sign-in names users after their GitHub login.
      return (
        user?.metadata.annotations?.[ANNOTATION_GITHUB_USER_LOGIN] ??
        user?.metadata.name ??
        parseEntityRef(userEntityRef).name
      );
    },
  );
  return { entityRef: userEntityRef, login };
}
