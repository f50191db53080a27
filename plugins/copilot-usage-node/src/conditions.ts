import { createConditionExports } from '@backstage/plugin-permission-node';
import { copilotUsageTeamPermissionResourceRef } from './resourceRef';
import { copilotUsagePermissionRules } from './rules';

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: copilotUsageTeamPermissionResourceRef,
  rules: copilotUsagePermissionRules,
});

/**
 * Conditions for a policy's conditional decisions on
 * `copilot-usage.team.read`, one per rule, e.g.
 * `copilotUsageConditions.isTeamMember({ claims })`.
 *
 * @public
 */
export const copilotUsageConditions = conditions;

/**
 * Builds a conditional decision on `copilot-usage.team.read` from
 * {@link copilotUsageConditions}.
 *
 * @example
 * ```ts
 * return createCopilotUsageConditionalDecision(
 *   request.permission,
 *   copilotUsageConditions.isTeamMember({ claims: ownershipEntityRefs }),
 * );
 * ```
 *
 * @public
 */
export const createCopilotUsageConditionalDecision = createConditionalDecision;
