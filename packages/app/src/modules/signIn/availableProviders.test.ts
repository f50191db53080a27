import { findAvailableProviders } from './availableProviders';

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
};

/** A fetch that answers each auth provider's refresh with the given status. */
function authBackendAnswering(statusByProvider: Record<string, number>) {
  const requested: string[] = [];
  const fetchFn = (async (url: string, init?: RequestInit) => {
    requested.push(url);
    expect(init?.credentials).toBe('omit');
    const provider = /\/api\/auth\/([^/]+)\/refresh$/.exec(url)?.[1] ?? '';
    return new Response(null, { status: statusByProvider[provider] ?? 404 });
  }) as typeof fetch;
  return { fetchFn, requested };
}

describe('findAvailableProviders', () => {
  it('offers the providers the auth backend runs (a refusal) and not those it does not know (404)', async () => {
    const { fetchFn, requested } = authBackendAnswering({
      github: 401,
      'copilot-usage-dev': 404,
    });
    await expect(
      findAvailableProviders(discoveryApi, fetchFn),
    ).resolves.toEqual({ github: true, dev: false });
    expect(requested.sort()).toEqual([
      'http://backend/api/auth/copilot-usage-dev/refresh',
      'http://backend/api/auth/github/refresh',
    ]);
  });

  it('counts a dev sign-in that signs in a default user as running', async () => {
    const { fetchFn } = authBackendAnswering({ 'copilot-usage-dev': 200 });
    await expect(
      findAvailableProviders(discoveryApi, fetchFn),
    ).resolves.toEqual({ github: false, dev: true });
  });

  it('fails when the backend cannot be reached', async () => {
    const fetchFn = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(findAvailableProviders(discoveryApi, fetchFn)).rejects.toThrow(
      'Failed to fetch',
    );
  });
});
