/**
 * Permission resource ref, rules, conditions and a policy helper for the
 * Copilot usage plugin.
 *
 * @packageDocumentation
 */
export {
  copilotUsageTeamPermissionResourceRef,
  type CopilotUsageTeamFilter,
  type CopilotUsageTeamResource,
} from './resourceRef';
export { isTeamMember, copilotUsagePermissionRules } from './rules';
export {
  copilotUsageConditions,
  createCopilotUsageConditionalDecision,
} from './conditions';
export {
  createCopilotUsagePolicyDecision,
  readCopilotUsagePolicyOptions,
  type CopilotUsagePolicyOptions,
} from './policy';
