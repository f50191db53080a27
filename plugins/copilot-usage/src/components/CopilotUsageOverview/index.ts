export { CopilotUsageOverview } from './CopilotUsageOverview';
