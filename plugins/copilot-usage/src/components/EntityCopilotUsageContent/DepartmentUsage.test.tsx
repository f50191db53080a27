import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  DepartmentChildRow,
  DepartmentDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { screen, within } from '@testing-library/react';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { lastDaysRange, previousRange } from '../../lib/days';
import { formatFigure } from '../../lib/format';
import { makeMetricsDocument } from '../../__testUtils__/fixtures';
import {
  mockCopilotUsageApi,
  responseError,
} from '../../__testUtils__/mockApi';
import { EntityCopilotUsageContent } from './EntityCopilotUsageContent';
import { isDepartmentCandidate } from './DepartmentUsage';

const range = lastDaysRange(28);

const departmentEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'engineering', namespace: 'default', title: 'Engineering' },
  spec: { type: 'department', children: ['platform-engineering'] },
  relations: [
    { type: 'parentOf', targetRef: 'group:default/platform-engineering' },
    { type: 'parentOf', targetRef: 'group:default/payments' },
  ],
};

const children: DepartmentChildRow[] = [
  {
    entityRef: 'group:default/platform-engineering',
    title: 'Platform Engineering',
    kind: 'department',
    teamCount: 4,
    eligible: true,
    memberCount: 23,
    totals: {
      ...makeMetricsDocument(range).totals,
      activeUsers: 17,
      members: 25,
    },
    adoption: 0.4321,
  },
  {
    entityRef: 'group:default/payments',
    title: 'Payments',
    kind: 'team',
    teamCount: 1,
    eligible: false,
    notEligibleReason: 'below-min-team-size',
    memberCount: null,
    totals: null,
    adoption: null,
  },
];

function makeDepartment(
  r: { from: string; to: string },
  activeUsers: number,
): DepartmentDocument {
  const {
    scope: _scope,
    breakdowns: _breakdowns,
    ...figures
  } = makeMetricsDocument({ ...r, activeUsers });
  return {
    ...figures,
    scope: {
      type: 'department',
      entityRef: 'group:default/engineering',
      title: 'Engineering',
      teamCount: 5,
      owners: [{ kind: 'org', name: 'acme' }],
    },
    children,
  };
}

async function renderTab(
  api: ReturnType<typeof mockCopilotUsageApi>,
  entity = departmentEntity,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityCopilotUsageContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('DepartmentUsage', () => {
  it('shows the subtree figures, says people count once, and lists the child Groups', async () => {
    const current = makeDepartment(range, 31);
    const api = mockCopilotUsageApi({
      getDepartmentMetrics: jest.fn(async (_ref, r) =>
        r?.from === range.from
          ? current
          : makeDepartment(previousRange(range), 20),
      ),
    });
    await renderTab(api);

    expect(
      await screen.findByTestId('headline-activeUsers-value'),
    ).toHaveTextContent('31');
    expect(api.getDepartmentMetrics).toHaveBeenCalledWith(
      'group:default/engineering',
      range,
    );
    expect(api.getTeamMetrics).not.toHaveBeenCalled();
    expect(screen.getByTestId('department-intro')).toHaveTextContent(
      /5 teams.*People in several of these teams count once/,
    );

    const rows = screen.getAllByTestId('department-child');
    expect(rows).toHaveLength(2);
    const link = within(rows[0]).getByRole('link', {
      name: 'Platform Engineering',
    });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/group/platform-engineering/copilot-usage',
    );
    expect(within(rows[0]).getByTestId('child-active-users')).toHaveTextContent(
      '17',
    );
    expect(within(rows[0]).getByTestId('child-adoption')).toHaveTextContent(
      formatFigure(0.4321, 'percent'),
    );
    expect(within(rows[0]).getByTestId('child-members')).toHaveTextContent(
      '23',
    );
    expect(within(rows[1]).getByTestId('child-hidden')).toHaveTextContent(
      /Below the privacy floor: fewer than 5 members/,
    );
    expect(within(rows[1]).queryByTestId('child-active-users')).toBeNull();
  });

  it('explains a refusal and a Group with no teams below it', async () => {
    const refused = mockCopilotUsageApi({
      getDepartmentMetrics: jest
        .fn()
        .mockRejectedValue(await responseError(403, 'You may not view this')),
    });
    const { unmount } = await renderTab(refused);
    expect(
      await screen.findByText('You are not a member of Engineering'),
    ).toBeVisible();
    unmount();

    const empty = mockCopilotUsageApi({
      getDepartmentMetrics: jest
        .fn()
        .mockRejectedValue(await responseError(404, 'not a department')),
    });
    await renderTab(empty);
    expect(
      await screen.findByText('Engineering has no GitHub teams below it'),
    ).toBeVisible();
  });

  it('tells a department from a team', () => {
    expect(isDepartmentCandidate(departmentEntity)).toBe(true);
    expect(
      isDepartmentCandidate({
        ...departmentEntity,
        metadata: {
          ...departmentEntity.metadata,
          annotations: { 'github.com/team-slug': 'acme/platform' },
        },
      }),
    ).toBe(false);
    expect(isDepartmentCandidate({ ...departmentEntity, relations: [] })).toBe(
      false,
    );
  });
});
