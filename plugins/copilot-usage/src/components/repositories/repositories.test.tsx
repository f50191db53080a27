import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  RepositoryDay,
  RepositoryFigures,
  RepositoryMetricsResponse,
  RepositoryTableResponse,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { screen, waitFor, within } from '@testing-library/react';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { formatFigure } from '../../lib/format';
import {
  mockCopilotUsageApi,
  responseError,
} from '../../__testUtils__/mockApi';
import { EntityCopilotRepositoryContent } from './EntityCopilotRepositoryContent';
import { GroupRepositoriesTable } from './GroupRepositoriesTable';
import { OrgRepositoriesTable } from './OrgRepositoriesTable';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'web',
    namespace: 'default',
    annotations: { 'github.com/project-slug': 'acme/web-storefront' },
  },
  spec: { type: 'website', owner: 'team-a', lifecycle: 'production' },
};

function figures(seed: number, timed: boolean): RepositoryFigures {
  return {
    prsCreated: seed * 3,
    prsMerged: seed * 2,
    prsReviewed: seed,
    agentCreated: seed,
    agentMerged: seed - 1,
    codeReviewReviewed: seed + 2,
    suggestions: seed * 4,
    appliedSuggestions: seed,
    reviewMerged: timed ? seed : null,
    medianReadyToFirstReview: timed ? seed * 10.5 : null,
    p90ReadyToFirstReview: timed ? seed * 30 : null,
    medianFirstToFinalReview: timed ? 0 : null,
    p90FirstToFinalReview: timed ? 12 : null,
    medianFinalReviewToMerge: timed ? 4.5 : null,
    p90FinalReviewToMerge: timed ? 20 : null,
  };
}

function metrics(timed: boolean): RepositoryMetricsResponse {
  const days: RepositoryDay[] = [
    { day: '2026-11-16', ...figures(3, timed) },
    { day: '2026-11-17', ...figures(5, false) },
  ];
  return {
    repository: {
      owner: 'acme',
      name: 'web-storefront',
      slug: 'acme/web-storefront',
    },
    entityRef: 'component:default/web',
    scope: 'org:acme',
    from: '2026-11-01',
    to: '2026-11-28',
    coverage: { daysInRange: 28, daysWithData: 2, lastDay: '2026-11-17' },
    days,
    totals: { activeDays: 2, ...figures(8, timed) },
  };
}

async function renderComponentTab(
  api: ReturnType<typeof mockCopilotUsageApi>,
  entity = component,
) {
  return renderInTestApp(
    <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityCopilotRepositoryContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityCopilotRepositoryContent', () => {
  it("shows the repository's totals, its trend charts with their tables and what they count", async () => {
    const value = metrics(true);
    const api = mockCopilotUsageApi({
      getRepositoryMetrics: jest.fn(async () => value),
    });
    await renderComponentTab(api);
    expect(
      await screen.findByTestId('repository-total-agentCreated-value'),
    ).toHaveTextContent(formatFigure(value.totals.agentCreated, 'count'));
    expect(
      screen.getByTestId('repository-total-suggestions-value'),
    ).toHaveTextContent(formatFigure(value.totals.suggestions, 'count'));
    expect(
      screen.getByTestId('repository-total-medianReadyToFirstReview-value'),
    ).toHaveTextContent(
      `${formatFigure(value.totals.medianReadyToFirstReview, 'decimal')} min`,
    );
    expect(api.getRepositoryMetrics).toHaveBeenCalledWith(
      'acme/web-storefront',
      expect.objectContaining({ from: expect.any(String) }),
    );
    for (const title of [
      'Copilot cloud agent pull requests',
      'Copilot code review',
      'Review-stage times, median (minutes)',
      'Review-stage times, p90 (minutes)',
    ]) {
      expect(
        screen.getByRole('img', { name: `Chart: ${title}` }),
      ).toBeInTheDocument();
    }
    // The table alternative of the cloud agent chart holds each day's numbers.
    const chartTable = screen.getByRole('table', {
      name: 'Copilot cloud agent pull requests',
      hidden: true,
    });
    expect(
      within(chartTable)
        .getAllByRole('row', { hidden: true })
        .map(row => row.textContent),
    ).toEqual([
      'DayCreated by the cloud agentCloud agent PRs merged',
      `2026-11-16${formatFigure(3, 'count')}${formatFigure(2, 'count')}`,
      `2026-11-17${formatFigure(5, 'count')}${formatFigure(4, 'count')}`,
    ]);
    expect(
      screen.getAllByText(/GitHub’s daily repository report/).length,
    ).toBeGreaterThan(0);
  });

  it('says there are no review-stage times before GitHub timed them', async () => {
    const api = mockCopilotUsageApi({
      getRepositoryMetrics: jest.fn(async () => metrics(false)),
    });
    await renderComponentTab(api);
    expect(
      await screen.findByText(/No review-stage times in this period/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('img', {
        name: 'Chart: Review-stage times, median (minutes)',
      }),
    ).not.toBeInTheDocument();
  });

  it('explains a refusal (the catalog does not let the viewer read the Component)', async () => {
    const api = mockCopilotUsageApi({
      getRepositoryMetrics: jest.fn(async () => {
        throw await responseError(404, 'No Component you may read');
      }),
    });
    await renderComponentTab(api);
    expect(
      await screen.findByText('No Copilot figures for this repository'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('repository-total-agentCreated-value'),
    ).not.toBeInTheDocument();
  });

  it('asks for the annotation on a Component without it', async () => {
    const api = mockCopilotUsageApi({ getRepositoryMetrics: jest.fn() });
    await renderComponentTab(api, {
      ...component,
      metadata: { name: 'docs', namespace: 'default' },
    });
    expect(await screen.findByText('No repository')).toBeInTheDocument();
    expect(api.getRepositoryMetrics).not.toHaveBeenCalled();
  });
});

function table(rows: number): RepositoryTableResponse {
  return {
    from: '2026-11-01',
    to: '2026-11-28',
    group: 'group:default/team-a',
    repositories: Array.from({ length: rows }, (_, i) => ({
      repository: {
        owner: 'acme',
        name: `repo-${i}`,
        slug: `acme/repo-${i}`,
      },
      entityRef: `component:default/repo-${i}`,
      title: `Repo ${i}`,
      totals: { activeDays: 3, ...figures(i + 2, true) },
    })),
  };
}

const range = { from: '2026-11-01', to: '2026-11-28' };

describe('GroupRepositoriesTable', () => {
  it("lists the Group's repositories with their figures, each linking to its Component's tab", async () => {
    const value = table(2);
    const api = mockCopilotUsageApi({
      getGroupRepositories: jest.fn(async () => value),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
        <GroupRepositoriesTable
          entityRef="group:default/team-a"
          range={range}
        />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const row = await screen.findByTestId('repository-row-acme/repo-1');
    expect(within(row).getByRole('link', { name: 'Repo 1' })).toHaveAttribute(
      'href',
      '/catalog/default/component/repo-1/copilot-usage',
    );
    expect(
      screen.getByTestId('repository-acme/repo-1-agentCreated'),
    ).toHaveTextContent(
      formatFigure(value.repositories[1].totals.agentCreated, 'count'),
    );
    expect(api.getGroupRepositories).toHaveBeenCalledWith(
      'group:default/team-a',
      range,
    );
  });

  it('shows nothing for a Group that owns no annotated Component', async () => {
    const api = mockCopilotUsageApi({
      getGroupRepositories: jest.fn(async () => table(0)),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
        <GroupRepositoriesTable
          entityRef="group:default/team-a"
          range={range}
        />
      </TestApiProvider>,
    );
    await waitFor(() => expect(api.getGroupRepositories).toHaveBeenCalled());
    await waitFor(() =>
      expect(screen.queryByRole('progressbar')).not.toBeInTheDocument(),
    );
    expect(screen.queryByText('Repositories')).not.toBeInTheDocument();
  });
});

describe('OrgRepositoriesTable', () => {
  it('tells a non-admin the table is for admins', async () => {
    const api = mockCopilotUsageApi({
      getOrgRepositories: jest.fn(async () => {
        throw await responseError(403, 'You may not do this');
      }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
        <OrgRepositoriesTable org="acme" range={range} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'The repository table is for Copilot usage admins',
      ),
    ).toBeInTheDocument();
  });
});

describe('isCopilotRepositoryAvailable', () => {
  it('is true for a Component with github.com/project-slug only', async () => {
    const { isCopilotRepositoryAvailable } = await import('../../plugin');
    expect(isCopilotRepositoryAvailable(component)).toBe(true);
    expect(
      isCopilotRepositoryAvailable({
        ...component,
        metadata: { name: 'docs' },
      }),
    ).toBe(false);
    expect(isCopilotRepositoryAvailable({ ...component, kind: 'Group' })).toBe(
      false,
    );
  });
});
