import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_GITHUB_ENTERPRISE_TEAM_SLUG,
  ANNOTATION_GITHUB_TEAM_SLUG,
  REPOSITORY_SLUG_ANNOTATION,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { copilotUsageApiRef } from './api/CopilotUsageApi';
import { CopilotUsageClient } from './api/CopilotUsageClient';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The Copilot usage plugin for the legacy frontend system.
 *
 * @public
 */
export const copilotUsagePlugin = createPlugin({
  id: 'copilot-usage',
  apis: [
    createApiFactory({
      api: copilotUsageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CopilotUsageClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
  },
});

/**
 * Whether a catalog entity gets the Copilot tab: a Group mapped to a GitHub
 * team by the `github.com/team-slug` annotation (an org team) or the
 * `github.com/enterprise-team-slug` annotation (an enterprise team).
 *
 * @public
 */
export function isCopilotUsageAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'group' &&
    [ANNOTATION_GITHUB_TEAM_SLUG, ANNOTATION_GITHUB_ENTERPRISE_TEAM_SLUG].some(
      annotation => Boolean(entity.metadata.annotations?.[annotation]),
    )
  );
}

/**
 * The Copilot tab of a Group page, for
 * `<EntityLayout.Route path="/copilot-usage" title="Copilot" if={isCopilotUsageAvailable}>`.
 *
 * @public
 */
export const EntityCopilotUsageContent: () => JSX.Element =
  copilotUsagePlugin.provide(
    createRoutableExtension({
      name: 'EntityCopilotUsageContent',
      component: () =>
        import('./components/EntityCopilotUsageContent').then(
          m => m.EntityCopilotUsageContent,
        ),
      mountPoint: entityContentRouteRef,
    }),
  );

/**
 * Whether a catalog entity gets the repository's Copilot tab: a Component with
 * the `github.com/project-slug` annotation (`owner/repo`).
 *
 * @public
 */
export function isCopilotRepositoryAvailable(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    Boolean(entity.metadata.annotations?.[REPOSITORY_SLUG_ANNOTATION])
  );
}

/**
 * The Copilot tab of a Component page (its repository's pull requests of the
 * Copilot cloud agent and code review), for
 * `<EntityLayout.Route path="/copilot-usage" title="Copilot" if={isCopilotRepositoryAvailable}>`.
 *
 * @public
 */
export const EntityCopilotRepositoryContent: () => JSX.Element =
  copilotUsagePlugin.provide(
    createComponentExtension({
      name: 'EntityCopilotRepositoryContent',
      component: {
        lazy: () =>
          import('./components/repositories').then(
            m => m.EntityCopilotRepositoryContent,
          ),
      },
    }),
  );

/**
 * The org overview page, with its own header, for
 * `<Route path="/copilot-usage" element={<CopilotUsagePage />} />`.
 *
 * @public
 */
export const CopilotUsagePage: () => JSX.Element = copilotUsagePlugin.provide(
  createRoutableExtension({
    name: 'CopilotUsagePage',
    component: () =>
      import('./components/CopilotUsagePage').then(m => m.CopilotUsagePage),
    mountPoint: rootRouteRef,
  }),
);
