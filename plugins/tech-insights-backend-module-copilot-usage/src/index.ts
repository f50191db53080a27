/**
 * A Tech Insights backend module: Copilot usage facts per Group (adoption,
 * agent adoption, completion acceptance rate, days of data) for scorecards.
 *
 * @packageDocumentation
 */
export { techInsightsModuleCopilotUsage as default } from './module';
export {
  COPILOT_USAGE_FACT_RETRIEVER_ID,
  createCopilotUsageFactRetriever,
} from './retriever';
