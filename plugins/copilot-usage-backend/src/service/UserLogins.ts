import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_GITHUB_USER_LOGIN } from '@copilot-usage/backstage-plugin-copilot-usage-common';

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
  const user = await catalog.getEntityByRef(userEntityRef, {
    credentials: await auth.getOwnServiceCredentials(),
  });
  // Without a User entity, the signed-in identity's own name is the login:
  // GitHub sign-in names users after their GitHub login.
  const login =
    user?.metadata.annotations?.[ANNOTATION_GITHUB_USER_LOGIN] ??
    user?.metadata.name ??
    parseEntityRef(userEntityRef).name;
  return { entityRef: userEntityRef, login };
}
