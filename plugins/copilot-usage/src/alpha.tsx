import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { Content } from '@backstage/core-components';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  ANNOTATION_GITHUB_ENTERPRISE_TEAM_SLUG,
  ANNOTATION_GITHUB_TEAM_SLUG,
  REPOSITORY_SLUG_ANNOTATION,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import InsertChartOutlined from '@material-ui/icons/InsertChartOutlined';
import { copilotUsageApiRef } from './api/CopilotUsageApi';
import { CopilotUsageClient } from './api/CopilotUsageClient';
import { rootRouteRef } from './routes';

/**
 * The backend client.
 *
 * @alpha
 */
export const copilotUsageApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: copilotUsageApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new CopilotUsageClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The Copilot tab on Group pages mapped to a GitHub team, and on departments
 * (Groups with child Groups).
 *
 * @alpha
 */
export const copilotUsageEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/copilot-usage',
    title: 'Copilot',
    // A Group with an org team's annotation or an enterprise team's.
    filter: {
      $all: [
        { kind: 'group' },
        {
          $any: [
            {
              [`metadata.annotations.${ANNOTATION_GITHUB_TEAM_SLUG}`]: {
                $exists: true,
              },
            },
            {
              [`metadata.annotations.${ANNOTATION_GITHUB_ENTERPRISE_TEAM_SLUG}`]:
                { $exists: true },
            },
            // A department: a Group above others (its tab shows their rollup).
            { relations: { $contains: { type: 'parentOf' } } },
          ],
        },
      ],
    },
    loader: () =>
      import('./components/EntityCopilotUsageContent').then(m => (
        <m.EntityCopilotUsageContent />
      )),
  },
});

/**
 * The Copilot tab on Component pages with `github.com/project-slug`: that
 * repository's pull requests of the Copilot cloud agent and code review.
 *
 * @alpha
 */
export const copilotUsageRepositoryEntityContent = EntityContentBlueprint.make({
  name: 'repository',
  params: {
    path: '/copilot-usage',
    title: 'Copilot',
    filter: {
      $all: [
        { kind: 'component' },
        {
          [`metadata.annotations.${REPOSITORY_SLUG_ANNOTATION}`]: {
            $exists: true,
          },
        },
      ],
    },
    loader: () =>
      import('./components/repositories').then(m => (
        <m.EntityCopilotRepositoryContent />
      )),
  },
});

/**
 * The org overview page; the app's page layout provides the header.
 *
 * @alpha
 */
export const copilotUsagePage = PageBlueprint.make({
  params: {
    path: '/copilot-usage',
    routeRef: rootRouteRef,
    title: 'Copilot usage',
    icon: <InsertChartOutlined fontSize="inherit" />,
    loader: () =>
      import('./components/CopilotUsageOverview').then(m => (
        <Content>
          <m.CopilotUsageOverview />
        </Content>
      )),
  },
});

/**
 * The Copilot usage plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'copilot-usage',
  title: 'Copilot usage',
  icon: <InsertChartOutlined fontSize="inherit" />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [
    copilotUsageApi,
    copilotUsageEntityContent,
    copilotUsageRepositoryEntityContent,
    copilotUsagePage,
  ],
});
