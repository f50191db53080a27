import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  CopilotUsagePolicyOptions,
  createCopilotUsagePolicyDecision,
  readCopilotUsagePolicyOptions,
} from '@copilot-usage/backstage-plugin-copilot-usage-node';

/**
 * A whole permission policy for backends without one of their own: Copilot
 * usage permissions as the `-node` helper decides them (admin Groups, team
 * membership; the writes `copilot-usage.sync.create`,
 * `copilot-usage.history.import`, `copilot-usage.archive.restore` and
 * `copilot-usage.user.delete` for admins only), everything else (catalog and so on) allowed.
 *
 * @public
 */
export class CopilotUsagePermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly options: CopilotUsagePolicyOptions,
  ) {}

  /** Decides one permission request for one user (or none). */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    // A request without a user comes from an unauthenticated caller, who owns nothing.
    const { ownershipEntityRefs } = user
      ? await this.userInfo.getUserInfo(user.credentials)
      : { ownershipEntityRefs: [] };
    return (
      createCopilotUsagePolicyDecision(
        request,
        { ownershipEntityRefs },
        this.options,
      ) ?? { result: AuthorizeResult.ALLOW }
    );
  }
}

/**
 * Installs {@link CopilotUsagePermissionPolicy}, configured from `copilotUsage.*`.
 *
 * @public
 */
export const permissionModuleCopilotUsagePolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'copilot-usage-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, config }) {
        policy.setPolicy(
          new CopilotUsagePermissionPolicy(
            userInfo,
            readCopilotUsagePolicyOptions(config),
          ),
        );
      },
    });
  },
});
