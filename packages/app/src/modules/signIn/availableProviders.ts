import type { ConfigApi } from '@backstage/frontend-plugin-api';

/** The backend's dev sign-in provider (packages/backend/src/modules/devSignIn.ts). */
export const DEV_SIGN_IN_PROVIDER_ID = 'copilot-usage-dev';
/** The request header naming the user the dev sign-in signs in as. */
export const DEV_SIGN_IN_USER_HEADER = 'x-copilot-usage-dev-user';
export const GITHUB_PROVIDER_ID = 'github';

export type AvailableProviders = { github: boolean; dev: boolean };

/**
 * Which sign-in providers to offer, from the same `auth.providers` config the
 * auth backend reads (the app's config schema lets only the providers' names
 * reach the browser, never their keys).
 *
 * The page used to ask the auth backend by requesting each provider's
 * `/refresh`; the answers (404 for a provider it does not run, 401 for one
 * that refuses a bare request) are errors the browser logs in red on every
 * page load. Reading the config needs no request at all. The dev sign-in also
 * needs `copilotUsage.devSignIn.enabled`; if the backend still refuses it
 * (it runs only on a loopback development backend), signing in says why.
 */
export function findAvailableProviders(config: ConfigApi): AvailableProviders {
  const providers = config.getOptionalConfig('auth.providers');
  const configured = (id: string) => providers?.has(id) ?? false;
  return {
    github: configured(GITHUB_PROVIDER_ID),
    dev:
      configured(DEV_SIGN_IN_PROVIDER_ID) &&
      config.getOptionalBoolean('copilotUsage.devSignIn.enabled') === true,
  };
}
