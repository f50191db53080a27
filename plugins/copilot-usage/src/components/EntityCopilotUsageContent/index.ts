export { EntityCopilotUsageContent } from './EntityCopilotUsageContent';
