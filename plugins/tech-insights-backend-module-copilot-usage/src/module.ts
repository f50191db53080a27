import { createBackendModule } from '@backstage/backend-plugin-api';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import {
  COPILOT_USAGE_FACT_RETRIEVER_ID,
  createCopilotUsageFactRetriever,
} from './retriever';

/**
 * Registers the Copilot usage fact retriever with Tech Insights. Its schedule
 * comes from `techInsights.factRetrievers.copilot-usage-team-facts` (e.g.
 * `cadence: '0 6 * * *'`), as for every fact retriever.
 *
 * @public
 */
export const techInsightsModuleCopilotUsage = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'copilot-usage',
  register(env) {
    env.registerInit({
      deps: { providers: techInsightsFactRetrieversExtensionPoint },
      async init({ providers }) {
        providers.addFactRetrievers({
          [COPILOT_USAGE_FACT_RETRIEVER_ID]: createCopilotUsageFactRetriever(),
        });
      },
    });
  },
});
