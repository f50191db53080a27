import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { copilotUsageTeamPermissionResourceRef } from './resourceRef';

// Entity refs are case-insensitive, like the catalog treats them.
const normalize = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Allows a team to people who belong to it. A claim (usually one of the
 * caller's ownership entity refs) matches when
 * - the Group is trusted and the claim is the Group's ref, or, unless
 *   `includeParents` is false, one of its trusted parent Groups; or
 * - the claim is a User that GitHub's own membership report puts in the team.
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
    if (resource.githubMemberRefs.some(ref => claimed.has(normalize(ref)))) {
      return true;
    }
    if (!resource.membershipTrusted) {
      return false;
    }
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
