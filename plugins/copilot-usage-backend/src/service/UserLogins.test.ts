import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { UserInfoService } from '@backstage/backend-plugin-api';
import { signedInUser } from './UserLogins';
import { user } from './testFixtures';

const userInfo: UserInfoService = {
  getUserInfo: async credentials => {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return { userEntityRef: ref, ownershipEntityRefs: [ref] };
  },
};

describe('signedInUser', () => {
  it('reads each user’s login once, and never gives one user another’s', async () => {
    const catalog = catalogServiceMock({
      entities: [user('alice', 'alice-gh'), user('bob', 'bob-gh')],
    });
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    const services = { auth: mockServices.auth(), userInfo, catalog };
    const alice = mockCredentials.user('user:default/alice');
    const bob = mockCredentials.user('user:default/bob');
    expect(await signedInUser(alice, services)).toEqual({
      entityRef: 'user:default/alice',
      login: 'alice-gh',
    });
    expect(await signedInUser(bob, services)).toEqual({
      entityRef: 'user:default/bob',
      login: 'bob-gh',
    });
    expect(await signedInUser(alice, services)).toMatchObject({
      login: 'alice-gh',
    });
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
  });

  it('falls back to the entity name without a User entity', async () => {
    const services = {
      auth: mockServices.auth(),
      userInfo,
      catalog: catalogServiceMock({ entities: [] }),
    };
    expect(
      await signedInUser(mockCredentials.user('user:default/zed'), services),
    ).toEqual({ entityRef: 'user:default/zed', login: 'zed' });
  });
});
