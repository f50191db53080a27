import type { DiscoveryApi } from '@backstage/frontend-plugin-api';

/** The backend's dev sign-in provider (packages/backend/src/modules/devSignIn.ts). */
export const DEV_SIGN_IN_PROVIDER_ID = 'copilot-usage-dev';
/** The request header naming the user the dev sign-in signs in as. */
export const DEV_SIGN_IN_USER_HEADER = 'x-copilot-usage-dev-user';
export const GITHUB_PROVIDER_ID = 'github';

export type AvailableProviders = { github: boolean; dev: boolean };

/**
 * Asks the auth backend which sign-in providers it runs, so the page never offers
 * one that is not there and needs no config of its own that could disagree.
 *
 * The auth backend answers 404 for a provider it does not run. A provider that
 * runs refuses this bare request instead (401: no `X-Requested-With` header for
 * OAuth providers, no user named for the dev sign-in), with no side effects.
 */
export async function findAvailableProviders(
  discoveryApi: DiscoveryApi,
  fetchFn: typeof fetch = fetch,
): Promise<AvailableProviders> {
  const authBaseUrl = await discoveryApi.getBaseUrl('auth');
  const isRunning = async (providerId: string) => {
    const response = await fetchFn(`${authBaseUrl}/${providerId}/refresh`, {
      credentials: 'omit',
    });
    return response.status !== 404;
  };
  const [github, dev] = await Promise.all([
    isRunning(GITHUB_PROVIDER_ID),
    isRunning(DEV_SIGN_IN_PROVIDER_ID),
  ]);
  return { github, dev };
}
