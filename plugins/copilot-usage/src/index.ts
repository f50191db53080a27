/**
 * Copilot usage on Backstage Group pages and an org overview page (legacy
 * frontend system; the new frontend system's plugin is at `./alpha`).
 *
 * @packageDocumentation
 */
export {
  copilotUsagePlugin,
  EntityCopilotUsageContent,
  CopilotUsagePage,
  isCopilotUsageAvailable,
  EntityCopilotRepositoryContent,
  isCopilotRepositoryAvailable,
} from './plugin';
export { copilotUsageApiRef, CopilotUsageClient, csvPath } from './api';
export type {
  CopilotUsageApi,
  DayRange,
  MetricsTarget,
  SyncTriggerOutcome,
} from './api';
export { rootRouteRef } from './routes';
export { CopilotUsageOverview } from './components/CopilotUsageOverview';
