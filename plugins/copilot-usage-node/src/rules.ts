import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { copilotUsageTeamPermissionResourceRef } from './resourceRef';

// Entity refs are case-insensitive, like the catalog treats them.
const normalize = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Allows a team to people who belong to it: the team's Group ref is one of
 * the claims (usually the caller's ownership entity refs), or, unless
 * `includeParents` is false, one of the team's parent Groups is.
 *
 * @public
 */
export const isTeamMember = createPermissionRule({
  name: 'IS_TEAM_MEMBER',
  description:
    'Allow teams whose Group (or, optionally, a parent Group) is one of the given claims',
  resourceRef: copilotUsageTeamPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs to match against the team Group, e.g. the user ownership entity refs',
      ),
    includeParents: z
      .boolean()
      .optional()
      .describe(
        'Whether a claim on a parent Group grants access to its child teams (default true)',
      ),
  }),
  apply: (resource, { claims, includeParents }) => {
    const claimed = new Set(claims.map(normalize));
    if (claimed.has(normalize(resource.groupRef))) {
      return true;
    }
    return (
      includeParents !== false &&
      resource.ancestorRefs.some(ref => claimed.has(normalize(ref)))
    );
  },
  toQuery: ({ claims, includeParents }) => ({
    groupRefs: claims.map(normalize),
    includeDescendants: includeParents !== false,
  }),
});

/**
 * The permission rules of the Copilot usage plugin, by name.
 *
 * @public
 */
export const copilotUsagePermissionRules = { isTeamMember };
