import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  copilotUsageApiRef,
  copilotUsagePlugin,
  CopilotUsageClient,
  CopilotUsagePage,
  EntityCopilotUsageContent,
  isCopilotUsageAvailable,
} from './index';
import { Route, Routes } from 'react-router-dom';
import { lastDaysRange } from './lib/days';
import { makeMetricsDocument, teamEntity } from './__testUtils__/fixtures';
import { mockCopilotUsageApi, responseError } from './__testUtils__/mockApi';

describe('legacy plugin', () => {
  it('has the plugin id and provides the HTTP client', () => {
    expect(copilotUsagePlugin.getId()).toBe('copilot-usage');
    const [factory] = [...copilotUsagePlugin.getApis()];
    expect(factory.api).toBe(copilotUsageApiRef);
    const client = factory.factory({
      discoveryApi: { getBaseUrl: jest.fn() },
      fetchApi: { fetch: jest.fn() },
    });
    expect(client).toBeInstanceOf(CopilotUsageClient);
  });

  it('offers the tab only on Groups mapped to a GitHub team', () => {
    expect(isCopilotUsageAvailable(teamEntity)).toBe(true);
    expect(
      isCopilotUsageAvailable({
        ...teamEntity,
        metadata: { name: 'no-annotation' },
      }),
    ).toBe(false);
    expect(isCopilotUsageAvailable({ ...teamEntity, kind: 'Component' })).toBe(
      false,
    );
  });

  it('renders the entity content extension', async () => {
    const range = lastDaysRange(28);
    const document = makeMetricsDocument({ ...range, activeUsers: 9 });
    const api = mockCopilotUsageApi({
      getTeamMetrics: jest.fn().mockResolvedValue(document),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
        <EntityProvider entity={teamEntity}>
          <Routes>
            <Route
              path="/copilot-usage"
              element={<EntityCopilotUsageContent />}
            />
          </Routes>
        </EntityProvider>
      </TestApiProvider>,
      { routeEntries: ['/copilot-usage'] },
    );
    expect(
      await screen.findByTestId('headline-activeUsers-value'),
    ).toHaveTextContent('9');
  });

  it('renders the page with its header', async () => {
    const api = mockCopilotUsageApi({
      listTeams: jest.fn().mockResolvedValue({ items: [] }),
      getMyMetrics: jest.fn().mockRejectedValue(await responseError(401, 'x')),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [copilotUsageApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: AuthorizeResult.DENY }),
          ],
        ]}
      >
        <Routes>
          <Route path="/copilot-usage" element={<CopilotUsagePage />} />
        </Routes>
      </TestApiProvider>,
      { routeEntries: ['/copilot-usage'] },
    );
    expect(
      await screen.findByRole('heading', { name: 'Copilot usage', level: 1 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('tab', { name: 'My usage' }),
    ).toBeInTheDocument();
  });
});
