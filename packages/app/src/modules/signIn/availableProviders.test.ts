import { mockApis } from '@backstage/frontend-test-utils';
import { findAvailableProviders } from './availableProviders';

describe('findAvailableProviders', () => {
  it('offers the providers the auth config lists', () => {
    expect(
      findAvailableProviders(
        mockApis.config({
          data: {
            auth: { providers: { github: { development: {} } } },
          },
        }),
      ),
    ).toEqual({ github: true, dev: false });
  });

  it('offers the dev sign-in only when it is configured and enabled', () => {
    const providers = { 'copilot-usage-dev': {} };
    expect(
      findAvailableProviders(
        mockApis.config({
          data: {
            auth: { providers },
            copilotUsage: { devSignIn: { enabled: true } },
          },
        }),
      ),
    ).toEqual({ github: false, dev: true });
    expect(
      findAvailableProviders(
        mockApis.config({
          data: {
            auth: { providers },
            copilotUsage: { devSignIn: { enabled: false } },
          },
        }),
      ),
    ).toEqual({ github: false, dev: false });
    expect(
      findAvailableProviders(
        mockApis.config({
          data: { copilotUsage: { devSignIn: { enabled: true } } },
        }),
      ),
    ).toEqual({ github: false, dev: false });
  });

  it('offers nothing without auth config', () => {
    expect(findAvailableProviders(mockApis.config({ data: {} }))).toEqual({
      github: false,
      dev: false,
    });
  });
});
