import { PermissionsService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PermissionChecksCache } from './PermissionChecksCache';

const read = createPermission({
  name: 'copilot-usage.team.read',
  attributes: { action: 'read' },
  resourceType: 'copilot-usage-team',
});

/** Allows alice, denies everyone else; counts the round trips. */
function fakePermissions() {
  const calls: string[] = [];
  const decide = (credentials: any) => {
    const ref = credentials.principal.userEntityRef ?? 'service';
    calls.push(ref);
    return ref === 'user:default/alice'
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;
  };
  const permissions: PermissionsService = {
    authorize: async (requests, { credentials }) =>
      requests.map(() => ({ result: decide(credentials) })) as any,
    authorizeConditional: async (requests, { credentials }) =>
      requests.map(() => ({ result: decide(credentials) })) as any,
  };
  return { permissions, calls };
}

describe('PermissionChecksCache', () => {
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');
  const request = [{ permission: read, resourceRef: 'group:default/a' }];

  it('reuses a user’s decision for the same requests within the TTL', async () => {
    const { permissions, calls } = fakePermissions();
    let now = 0;
    const cache = new PermissionChecksCache(permissions, {
      ttlMs: 5000,
      now: () => now,
    });
    await cache.authorize(request, { credentials: alice });
    now = 4999;
    await cache.authorize(request, { credentials: alice });
    expect(calls).toEqual(['user:default/alice']);
    now = 5000;
    // Expired: answered once more while it is asked again.
    await cache.authorize(request, { credentials: alice });
    expect(calls).toHaveLength(2);
    await cache.authorize(request, { credentials: alice });
    expect(calls).toHaveLength(2);
  });

  it('never gives one user another user’s decision', async () => {
    const { permissions } = fakePermissions();
    const cache = new PermissionChecksCache(permissions);
    const [allowed] = await cache.authorize(request, { credentials: alice });
    const [denied] = await cache.authorize(request, { credentials: bob });
    expect(allowed.result).toBe(AuthorizeResult.ALLOW);
    expect(denied.result).toBe(AuthorizeResult.DENY);
  });

  it('asks again for other requests and keeps conditional decisions apart', async () => {
    const { permissions, calls } = fakePermissions();
    const cache = new PermissionChecksCache(permissions);
    await cache.authorize(request, { credentials: alice });
    await cache.authorize(
      [{ permission: read, resourceRef: 'group:default/b' }],
      { credentials: alice },
    );
    await cache.authorizeConditional([{ permission: read }] as any, {
      credentials: alice,
    });
    expect(calls).toHaveLength(3);
  });

  it('does not cache services (their token’s restrictions decide)', async () => {
    const { permissions, calls } = fakePermissions();
    const cache = new PermissionChecksCache(permissions);
    const service = mockCredentials.service('plugin:catalog');
    await cache.authorize(request, { credentials: service });
    await cache.authorize(request, { credentials: service });
    expect(calls).toEqual(['service', 'service']);
  });

  it('asks again after a failed round trip', async () => {
    let fail = true;
    const permissions: PermissionsService = {
      authorize: async () => {
        if (fail) throw new Error('permission backend unreachable');
        return [{ result: AuthorizeResult.ALLOW }];
      },
      authorizeConditional: async () => [],
    };
    const cache = new PermissionChecksCache(permissions);
    await expect(
      cache.authorize(request, { credentials: alice }),
    ).rejects.toThrow('unreachable');
    fail = false;
    await expect(
      cache.authorize(request, { credentials: alice }),
    ).resolves.toEqual([{ result: AuthorizeResult.ALLOW }]);
  });
});
