import {
  createExtensionTester,
  mockApis,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  ApiBlueprint,
  coreExtensionData,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import copilotUsagePlugin, {
  copilotUsageApi,
  copilotUsageEntityContent,
  copilotUsagePage,
} from './alpha';
import { copilotUsageApiRef } from './api/CopilotUsageApi';
import { lastDaysRange } from './lib/days';
import { rootRouteRef } from './routes';
import { makeMetricsDocument, teamEntity } from './__testUtils__/fixtures';
import { mockCopilotUsageApi, responseError } from './__testUtils__/mockApi';

describe('new frontend system plugin', () => {
  it('is the copilot-usage plugin with its three extensions', () => {
    expect(copilotUsagePlugin.pluginId).toBe('copilot-usage');
    expect(copilotUsagePlugin.routes.root).toBe(rootRouteRef);
  });

  it('provides the API client', () => {
    const factory = createExtensionTester(copilotUsageApi).get(
      ApiBlueprint.dataRefs.factory,
    );
    expect(factory.api).toBe(copilotUsageApiRef);
  });

  it('mounts the page at /copilot-usage with a title', async () => {
    const tester = createExtensionTester(copilotUsagePage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/copilot-usage');
    expect(tester.get(coreExtensionData.routeRef)).toBe(rootRouteRef);
    expect(tester.get(coreExtensionData.title)).toBe('Copilot usage');

    const api = mockCopilotUsageApi({
      listTeams: jest.fn().mockResolvedValue({ items: [] }),
      getMyMetrics: jest.fn().mockRejectedValue(await responseError(401, 'x')),
    });
    renderInTestApp(tester.reactElement(), {
      apis: [
        [copilotUsageApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.DENY }),
      ],
    });
    expect(
      await screen.findByText(/You are not a member of any team/),
    ).toBeInTheDocument();
  });

  it('adds the Copilot tab to Groups with the team annotation only', () => {
    const tester = createExtensionTester(copilotUsageEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('/copilot-usage');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Copilot');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter).toBeDefined();
    expect(filter!(teamEntity)).toBe(true);
    expect(filter!({ ...teamEntity, metadata: { name: 'plain' } })).toBe(false);
    expect(filter!({ ...teamEntity, kind: 'Component' })).toBe(false);
  });

  it('renders the tab content on a Group page', async () => {
    const range = lastDaysRange(28);
    const document = makeMetricsDocument({ ...range, activeUsers: 23 });
    const api = mockCopilotUsageApi({
      getTeamMetrics: jest.fn().mockResolvedValue(document),
    });
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: teamEntity }),
        copilotUsageEntityContent,
      ],
      apis: [[copilotUsageApiRef, api]],
    });
    expect(
      await screen.findByTestId('headline-activeUsers-value'),
    ).toHaveTextContent('23');
    expect(api.getTeamMetrics).toHaveBeenCalledWith(
      'group:default/team-a',
      range,
      { view: 'full' },
    );
  });
});
