import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { AuthenticationError, isError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The auth provider id: `/api/auth/copilot-usage-dev/refresh`. */
export const DEV_SIGN_IN_PROVIDER_ID = 'copilot-usage-dev';
/** The request header naming the user to sign in as (`?user=` works too). */
export const DEV_SIGN_IN_USER_HEADER = 'x-copilot-usage-dev-user';

type DevSignInResult = { userEntityRef: string };

// The part of the express request the authenticator reads.
type DevSignInRequest = {
  get(header: string): string | undefined;
  query: Record<string, unknown>;
};

function requestedUser(req: DevSignInRequest): string | undefined {
  const fromHeader = req.get(DEV_SIGN_IN_USER_HEADER);
  const fromQuery =
    typeof req.query.user === 'string' ? req.query.user : undefined;
  return (fromHeader || fromQuery)?.trim() || undefined;
}

/** Reads a user name (`alice`) or User ref (`user:acme/alice`); anything else is refused. */
function toUserEntityRef(user: string): string {
  let ref;
  try {
    ref = parseEntityRef(user, {
      defaultKind: 'user',
      defaultNamespace: 'default',
    });
  } catch {
    throw new AuthenticationError(`Invalid user '${user}'`);
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new AuthenticationError(`'${user}' is not a User`);
  }
  return stringifyEntityRef(ref);
}

function createDevSignInAuthenticator(defaultUser: string | undefined) {
  return createProxyAuthenticator<unknown, DevSignInResult, undefined>({
    defaultProfileTransform: async ({ userEntityRef }) => ({
      profile: { displayName: parseEntityRef(userEntityRef).name },
    }),
    initialize: () => undefined,
    async authenticate({ req }) {
      const user = requestedUser(req) ?? defaultUser;
      if (!user) {
        throw new AuthenticationError(
          `Name the user to sign in as with ?user=<name> or the ${DEV_SIGN_IN_USER_HEADER} header`,
        );
      }
      return { result: { userEntityRef: toUserEntityRef(user) } };
    },
  });
}

/**
 * A sign-in for local development without a GitHub OAuth app: anyone who can
 * reach the backend signs in as any User in the catalog, with that User's real
 * Group memberships. Off unless `copilotUsage.devSignIn.enabled` is true, and
 * refused when NODE_ENV is production.
 *
 * Also needs `auth.providers.copilot-usage-dev: {}`, the auth backend's switch
 * for every provider.
 */
export const authModuleCopilotUsageDevSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'copilot-usage-dev-sign-in',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const devSignIn = config.getOptionalConfig('copilotUsage.devSignIn');
        if (!devSignIn?.getOptionalBoolean('enabled')) {
          return;
        }
        if (
          process.env.NODE_ENV === 'production' &&
          !devSignIn.getOptionalBoolean('dangerouslyAllowInProduction')
        ) {
          logger.warn(
            'Dev sign-in is not available with NODE_ENV=production; set copilotUsage.devSignIn.enabled to false',
          );
          return;
        }
        logger.warn(
          `Dev sign-in is enabled (auth provider '${DEV_SIGN_IN_PROVIDER_ID}'): anyone who can reach the backend can sign in as any catalog User. Never enable it in production.`,
        );

        providers.registerProvider({
          providerId: DEV_SIGN_IN_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: createDevSignInAuthenticator(
              devSignIn.getOptionalString('defaultUser'),
            ),
            async signInResolver({ result }, ctx) {
              try {
                return await ctx.signInWithCatalogUser({
                  entityRef: result.userEntityRef,
                });
              } catch (error) {
                if (isError(error) && error.name === 'NotFoundError') {
                  throw new AuthenticationError(
                    `No User '${result.userEntityRef}' in the catalog`,
                  );
                }
                throw error;
              }
            },
          }),
        });
      },
    });
  },
});
