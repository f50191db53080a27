export * from './CopilotUsageApi';
export { CopilotUsageClient } from './CopilotUsageClient';
export { csvPath, metricsPath, teamComparisonPath } from './paths';
export type { MetricsTarget } from './paths';
