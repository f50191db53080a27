/* Shared set-up of the org overview tests (one file per permission profile). */
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  copilotUsageAdminPermission,
  copilotUsageOrgReadPermission,
  copilotUsageTeamReadPermission,
  TeamListResponse,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { copilotUsageApiRef } from '../api/CopilotUsageApi';
import { lastDaysRange } from '../lib/days';
import {
  inactiveSeats,
  makeComparison,
  makeMetricsDocument,
  makeMyMetrics,
  makeSyncStatus,
  seats,
} from './fixtures';
import { mockCopilotUsageApi } from './mockApi';
import { CopilotUsageOverview } from '../components/CopilotUsageOverview';

export const range = lastDaysRange(28);
export const orgDocument = makeMetricsDocument({
  ...range,
  scope: { type: 'org', org: 'acme' },
  scale: 10,
  activeUsers: 412,
});
export const teamDocument = makeMetricsDocument({ ...range, activeUsers: 17 });
export const teams: TeamListResponse = {
  items: [
    {
      entityRef: 'group:default/team-a',
      owner: { kind: 'org', name: 'acme' },
      org: 'acme',
      slug: 'team-a',
      title: 'Team A',
      eligible: true,
    },
  ],
};
export const comparison = makeComparison('acme', 60);
comparison.items[0].entityRef = 'group:default/team-0000';
export const myMetrics = makeMyMetrics(range.from, range.to);

export function permissions(allowed: string[]) {
  return mockApis.permission({
    authorize: request =>
      allowed.includes(request.permission.name)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
  });
}

export const admin = permissions([
  copilotUsageOrgReadPermission.name,
  copilotUsageAdminPermission.name,
]);
// A team member: the policy allows reading their teams (conditionally, by membership).
export const member = permissions([copilotUsageTeamReadPermission.name]);

export function fullApi() {
  return mockCopilotUsageApi({
    listTeams: jest.fn().mockResolvedValue(teams),
    getSyncStatus: jest.fn().mockResolvedValue(makeSyncStatus(true)),
    getOrgMetrics: jest.fn().mockResolvedValue(orgDocument),
    getTeamComparison: jest.fn().mockResolvedValue(comparison),
    getSeats: jest.fn().mockResolvedValue(seats),
    getInactiveSeats: jest.fn().mockResolvedValue(inactiveSeats),
    getTeamMetrics: jest.fn().mockResolvedValue(teamDocument),
    getMyMetrics: jest.fn().mockResolvedValue(myMetrics),
    triggerSync: jest.fn().mockResolvedValue('started'),
  });
}

export async function renderOverview(
  api: ReturnType<typeof mockCopilotUsageApi>,
  permissionApi: ReturnType<typeof permissions>,
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [copilotUsageApiRef, api],
        [permissionApiRef, permissionApi],
      ]}
    >
      <CopilotUsageOverview />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
