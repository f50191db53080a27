import {
  FactRetriever,
  FactRetrieverContext,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { TeamFactsResponse } from '@copilot-usage/backstage-plugin-copilot-usage-common';

/**
 * The id under which Tech Insights stores the facts (and its config key).
 *
 * @public
 */
export const COPILOT_USAGE_FACT_RETRIEVER_ID = 'copilot-usage-team-facts';

/**
 * Creates the fact retriever: for each Group the copilot-usage backend knows,
 * over the 28 days ending at its org's last complete day,
 *
 * - `copilotAdoption`: distinct active members / distinct members (0 to 1),
 * - `copilotAgentAdoption`: the average daily share of members using agent mode,
 * - `copilotCompletionAcceptanceRate`: accepted / suggested code completions,
 * - `copilotDaysOfData`: days that count (stored, at or above `minTeamSize`).
 *
 * A rate the backend cannot compute (no members, no completions, or a team below
 * the privacy floor) is left out of the entity's facts rather than stored as 0.
 *
 * @public
 */
export function createCopilotUsageFactRetriever(
  options: {
    /** The fetch to call the backend with; the global one by default. */
    fetch?: typeof fetch;
  } = {},
): FactRetriever {
  const fetchFn = options.fetch ?? globalThis.fetch;
  return {
    id: COPILOT_USAGE_FACT_RETRIEVER_ID,
    version: '0.1.0',
    title: 'Copilot usage',
    description:
      'GitHub Copilot adoption of a team over the last 28 days of data, from the copilot-usage backend',
    entityFilter: [{ kind: 'group' }],
    schema: {
      copilotAdoption: {
        type: 'float',
        description:
          'Share of the team members active with Copilot over the last 28 days (0 to 1)',
      },
      copilotAgentAdoption: {
        type: 'float',
        description:
          'Average daily share of the team members who used Copilot agent mode (0 to 1)',
      },
      copilotCompletionAcceptanceRate: {
        type: 'float',
        description: 'Share of code-completion suggestions accepted (0 to 1)',
      },
      copilotDaysOfData: {
        type: 'integer',
        description:
          'Days of the last 28 with Copilot data for the team (at or above the privacy floor)',
      },
    },
    async handler(ctx: FactRetrieverContext): Promise<TechInsightFact[]> {
      const { token } = await ctx.auth.getPluginRequestToken({
        onBehalfOf: await ctx.auth.getOwnServiceCredentials(),
        targetPluginId: 'copilot-usage',
      });
      const baseUrl = await ctx.discovery.getBaseUrl('copilot-usage');
      const response = await fetchFn(`${baseUrl}/facts/teams`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      const body = (await response.json()) as TeamFactsResponse;
      const facts: TechInsightFact[] = [];
      for (const item of body.items) {
        const ref = parseEntityRef(item.entityRef);
        if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
          continue;
        }
        const values: TechInsightFact['facts'] = {
          copilotDaysOfData: item.daysOfData,
        };
        if (item.adoption !== null) values.copilotAdoption = item.adoption;
        if (item.agentAdoption !== null) {
          values.copilotAgentAdoption = item.agentAdoption;
        }
        if (item.completionAcceptanceRate !== null) {
          values.copilotCompletionAcceptanceRate =
            item.completionAcceptanceRate;
        }
        facts.push({
          entity: { kind: ref.kind, namespace: ref.namespace, name: ref.name },
          facts: values,
        });
      }
      ctx.logger.info(
        `Copilot usage facts for ${facts.length} Groups retrieved`,
      );
      return facts;
    },
  };
}
