import { readHttpServerOptions } from '@backstage/backend-defaults/rootHttpRouter';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
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

const LOOPBACK_NAMES = new Set(['localhost', '::1']);

/** Whether a listen host only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLocaleLowerCase('en-US');
  const ipv4 = name.replace(/^::ffff:/, '');
  return (
    LOOPBACK_NAMES.has(name) ||
    /^127(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(ipv4)
  );
}

/** Whether a URL points at this machine (its host is a loopback name or address). */
function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) {
    return false;
  }
  try {
    return isLoopbackHost(new URL(url).hostname.replace(/^\[(.*)\]$/, '$1'));
  } catch {
    return false;
  }
}

/**
 * Why the dev sign-in may not run with this config and environment, or an
 * empty list when it may. It runs only when everything says "local
 * development": `auth.environment: development` (set, not defaulted), a
 * backend that listens on loopback only (`backend.listen.host`; Backstage's
 * default is every interface), a `backend.baseUrl` on loopback (not published
 * through a proxy), and no NODE_ENV other than `development` or `test`.
 */
export function devSignInRefusals(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const refusals: string[] = [];

  const environment = config.getOptionalString('auth.environment');
  if (environment !== 'development') {
    refusals.push(
      environment === undefined
        ? "auth.environment is not set (it must be 'development')"
        : `auth.environment is '${environment}', not 'development'`,
    );
  }

  let host: string | undefined;
  try {
    const backend = config.getOptionalConfig('backend');
    host = readHttpServerOptions(backend).listen.host;
  } catch (error) {
    refusals.push(`backend.listen cannot be read: ${(error as Error).message}`);
  }
  if (host !== undefined && !isLoopbackHost(host)) {
    refusals.push(
      host === ''
        ? 'the backend listens on every network interface (set backend.listen.host: 127.0.0.1)'
        : `the backend listens on '${host}', not on loopback (backend.listen.host: 127.0.0.1)`,
    );
  }

  const baseUrl = config.getOptionalString('backend.baseUrl');
  if (!isLoopbackUrl(baseUrl)) {
    refusals.push(
      `backend.baseUrl ${baseUrl ? `'${baseUrl}'` : '(not set)'} is not a loopback URL`,
    );
  }

  const nodeEnv = env.NODE_ENV;
  if (
    nodeEnv !== undefined &&
    nodeEnv !== 'development' &&
    nodeEnv !== 'test'
  ) {
    refusals.push(
      `NODE_ENV is '${nodeEnv}' (only unset, 'development' or 'test' allow it)`,
    );
  }
  return refusals;
}

/**
 * A sign-in for local development without a GitHub OAuth app: anyone who can
 * reach the backend signs in as any User in the catalog, with that User's real
 * Group memberships. Off unless `copilotUsage.devSignIn.enabled` is true, and
 * even then refused (with a warning naming why) unless the backend is a local
 * development one: see {@link devSignInRefusals}.
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
        if (devSignIn.has('dangerouslyAllowInProduction')) {
          logger.warn(
            'copilotUsage.devSignIn.dangerouslyAllowInProduction is no longer supported and is ignored',
          );
        }
        const refusals = devSignInRefusals(config);
        if (refusals.length > 0) {
          logger.warn(
            `Dev sign-in is off although copilotUsage.devSignIn.enabled is true: ${refusals.join(
              '; ',
            )}. It only runs on a local development backend; set copilotUsage.devSignIn.enabled to false to silence this.`,
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
