import { mockServices } from '@backstage/backend-test-utils';
import { FactRetrieverContext } from '@backstage-community/plugin-tech-insights-node';
import {
  TeamFactsItem,
  TeamFactsResponse,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { createCopilotUsageFactRetriever } from './retriever';

function item(
  entityRef: string,
  fields: Partial<TeamFactsItem> = {},
): TeamFactsItem {
  return {
    entityRef,
    owner: { kind: 'org', name: 'acme' },
    slug: entityRef.split('/')[1],
    from: '2026-10-22',
    to: '2026-11-18',
    eligible: true,
    members: 10,
    activeUsers: 7,
    adoption: 0.7,
    agentAdoption: 0.125,
    completionAcceptanceRate: 0.3,
    daysOfData: 20,
    ...fields,
  };
}

function setup(answer: { status?: number; body: unknown }) {
  const calls: Array<{ url: string; authorization?: string }> = [];
  const fakeFetch = (async (url: string, init?: RequestInit) => {
    calls.push({
      url,
      authorization: (init?.headers as Record<string, string>)?.Authorization,
    });
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'Content-Type': 'application/json' },
    });
  }) as typeof fetch;
  const discovery = mockServices.discovery.mock({
    getBaseUrl: async (pluginId: string) =>
      `http://backend.test/api/${pluginId}`,
  });
  const auth = mockServices.auth.mock({
    getOwnServiceCredentials: async () =>
      ({
        principal: { type: 'service', subject: 'plugin:tech-insights' },
      }) as any,
    getPluginRequestToken: async ({ targetPluginId }) => ({
      token: `service-token-for-${targetPluginId}`,
    }),
  });
  const ctx = {
    config: mockServices.rootConfig(),
    discovery,
    auth,
    logger: mockServices.logger.mock(),
    urlReader: mockServices.urlReader.mock(),
  } as unknown as FactRetrieverContext;
  return {
    retriever: createCopilotUsageFactRetriever({ fetch: fakeFetch }),
    ctx,
    calls,
    auth,
  };
}

describe('createCopilotUsageFactRetriever', () => {
  it('applies to Groups and declares the four facts', () => {
    const { retriever } = setup({ body: { items: [] } });
    expect(retriever.entityFilter).toEqual([{ kind: 'group' }]);
    expect(Object.keys(retriever.schema).sort()).toEqual([
      'copilotAdoption',
      'copilotAgentAdoption',
      'copilotCompletionAcceptanceRate',
      'copilotDaysOfData',
    ]);
  });

  it('calls GET /facts/teams with a service token for copilot-usage and maps each Group', async () => {
    const body: TeamFactsResponse = {
      items: [
        item('group:default/team-a'),
        item('group:platform/team-b', {
          adoption: 0.25,
          agentAdoption: 0,
          completionAcceptanceRate: 0.5,
          daysOfData: 3,
        }),
      ],
    };
    const { retriever, ctx, calls, auth } = setup({ body });
    const facts = await retriever.handler(ctx);
    expect(calls).toEqual([
      {
        url: 'http://backend.test/api/copilot-usage/facts/teams',
        authorization: 'Bearer service-token-for-copilot-usage',
      },
    ]);
    expect(auth.getPluginRequestToken).toHaveBeenCalledWith(
      expect.objectContaining({ targetPluginId: 'copilot-usage' }),
    );
    expect(facts).toEqual([
      {
        entity: { kind: 'group', namespace: 'default', name: 'team-a' },
        facts: {
          copilotAdoption: 0.7,
          copilotAgentAdoption: 0.125,
          copilotCompletionAcceptanceRate: 0.3,
          copilotDaysOfData: 20,
        },
      },
      {
        entity: { kind: 'group', namespace: 'platform', name: 'team-b' },
        facts: {
          copilotAdoption: 0.25,
          copilotAgentAdoption: 0,
          copilotCompletionAcceptanceRate: 0.5,
          copilotDaysOfData: 3,
        },
      },
    ]);
  });

  it('leaves out rates the backend could not compute', async () => {
    const { retriever, ctx } = setup({
      body: {
        items: [
          item('group:default/tiny', {
            eligible: false,
            members: null,
            activeUsers: 0,
            adoption: null,
            agentAdoption: null,
            completionAcceptanceRate: null,
            daysOfData: 0,
          }),
        ],
      },
    });
    const facts = await retriever.handler(ctx);
    expect(facts).toEqual([
      {
        entity: { kind: 'group', namespace: 'default', name: 'tiny' },
        facts: { copilotDaysOfData: 0 },
      },
    ]);
  });

  it('fails with the backend error when the backend refuses', async () => {
    const { retriever, ctx } = setup({
      status: 403,
      body: { error: { name: 'NotAllowedError', message: 'not for users' } },
    });
    await expect(retriever.handler(ctx)).rejects.toThrow(/403/);
  });
});
