import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ANNOTATION_GITHUB_USER_LOGIN } from '@copilot-usage/backstage-plugin-copilot-usage-common';

/** Finds the GitHub login of a signed-in user in the catalog. */
export class UserLogins {
  constructor(
    private readonly options: {
      auth: AuthService;
      userInfo: UserInfoService;
      catalog: CatalogService;
    },
  ) {}

  async of(
    credentials: BackstageCredentials,
  ): Promise<{ entityRef: string; login: string }> {
    const { auth, userInfo, catalog } = this.options;
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
}
