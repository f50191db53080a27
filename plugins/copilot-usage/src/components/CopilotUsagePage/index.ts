export { CopilotUsagePage } from './CopilotUsagePage';
