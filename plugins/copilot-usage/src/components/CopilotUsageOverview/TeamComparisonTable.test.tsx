import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  METRIC_DEFINITIONS,
  TeamComparisonResponse,
  TeamComparisonRow,
  emptyCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { mockCopilotUsageApi } from '../../__testUtils__/mockApi';
import { asPhone } from '../../__testUtils__/phone';
import { TeamComparisonTable } from './TeamComparisonTable';

const range = { from: '2026-10-22', to: '2026-11-18' };

function team(
  slug: string,
  fields: Partial<TeamComparisonRow> & { activeUsers: number },
): TeamComparisonRow {
  const { activeUsers, ...rest } = fields;
  return {
    owner: { kind: 'org', name: 'acme' },
    org: 'acme',
    slug,
    entityRef: null,
    title: slug,
    memberCount: 10,
    dailyAdoption: null,
    eligible: true,
    suppressedDays: 0,
    totals: {
      ...emptyCounters(),
      activeUsers,
      days: 28,
      completionAcceptanceRate: null,
      locAcceptanceRate: null,
    },
    ...rest,
  };
}

const comparison: TeamComparisonResponse = {
  owner: { kind: 'org', name: 'acme' },
  org: 'acme',
  ...range,
  minTeamSize: 5,
  items: [
    // 13 distinct people over the period, 11 members on the last day: the old
    // "adoption" would have shown 118%.
    team('churning', {
      activeUsers: 13,
      memberCount: 11,
      dailyAdoption: 0.42,
    }),
    team('tiny', {
      activeUsers: 2,
      memberCount: 3,
      dailyAdoption: 0.5,
      eligible: false,
      notEligibleReason: 'below-min-team-size',
    }),
    // Left out of GitHub's user-teams report (fewer than 5 seated members).
    team('unlisted', {
      activeUsers: 0,
      memberCount: null,
      eligible: false,
      notEligibleReason: 'no-data',
    }),
  ],
};

async function renderTable(response: TeamComparisonResponse = comparison) {
  const api = mockCopilotUsageApi({
    getTeamComparison: jest.fn().mockResolvedValue(response),
  });
  await renderInTestApp(
    <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
      <TeamComparisonTable
        owner={{ kind: 'org', name: 'acme' }}
        range={range}
      />
    </TestApiProvider>,
  );
  expect(api.getTeamComparison).toHaveBeenCalledWith('acme', range);
  return screen.findByTestId('team-comparison');
}

const ENTERPRISE = { kind: 'enterprise' as const, name: 'acme-corp' };
const enterpriseComparison: TeamComparisonResponse = {
  owner: ENTERPRISE,
  ...range,
  minTeamSize: 5,
  items: [
    {
      ...team('ent:ai-champions', { activeUsers: 6, memberCount: 8 }),
      owner: ENTERPRISE,
      org: undefined,
      title: 'AI champions',
    },
  ],
};

/** The cells of a team's row, by column title. */
function cellsOf(table: HTMLElement, slug: string): Record<string, string> {
  const headers = within(table)
    .getAllByRole('columnheader')
    .map(header => header.textContent ?? '');
  const row = within(table).getByText(slug).closest('tr')!;
  const cells = within(row).getAllByRole('cell');
  return Object.fromEntries(
    headers.map((header, i) => [header, cells[i]?.textContent ?? '']),
  );
}

/** The owner line under a team's name, or null. */
function ownerUnder(table: HTMLElement, teamName: string): string | null {
  const row = within(table).getByText(teamName).closest('tr')!;
  return within(row).queryByTestId('comparison-row-owner')?.textContent ?? null;
}

// churning had 15 different members over the period, more than its 13 active users.
comparison.items[0].totals.members = 15;

describe('TeamComparisonTable', () => {
  it("shows the backend's daily adoption, never above 100% when membership churns", async () => {
    const table = await renderTable();
    expect(cellsOf(table, 'churning')).toMatchObject({
      'Members (last day)': '11',
      'Active users (period)': '13',
      'Daily adoption': '42.0%',
      Eligible: 'Yes',
    });
  });

  it('explains daily adoption in its column header', async () => {
    const table = await renderTable();
    const header = within(table).getByRole('columnheader', {
      name: 'Daily adoption',
    });
    await userEvent.hover(within(header).getByText('Daily adoption'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      METRIC_DEFINITIONS.dailyAdoption.description,
    );
  });

  it('says why a team is not eligible, and shows no member count for teams GitHub did not list', async () => {
    const table = await renderTable();
    expect(cellsOf(table, 'tiny')).toMatchObject({
      'Members (last day)': '3',
      Eligible: 'No: under 5 members',
    });
    expect(cellsOf(table, 'unlisted')).toMatchObject({
      'Members (last day)': '–',
      'Daily adoption': '–',
      Eligible: 'No: not in GitHub’s report',
    });
  });

  it('shows the period’s members next to its active users', async () => {
    const table = await renderTable();
    expect(cellsOf(table, 'churning')).toMatchObject({
      'Members (period)': '15',
      'Active users (period)': '13',
    });
  });

  it("names no organization in one org's comparison, even with several orgs synced", async () => {
    const table = await renderTable();
    expect(
      within(table).queryByRole('columnheader', { name: 'Organization' }),
    ).not.toBeInTheDocument();
    expect(ownerUnder(table, 'churning')).toBeNull();
    expect(within(table).getAllByRole('columnheader')[1]).toHaveTextContent(
      'Members (last day)',
    );
  });

  it("names each team's organization when the list holds teams of several orgs", async () => {
    const table = await renderTable({
      ...comparison,
      items: [
        comparison.items[0],
        {
          ...team('ml-platform', { activeUsers: 4 }),
          owner: { kind: 'org', name: 'acme-labs' },
          org: 'acme-labs',
        },
      ],
    });
    // Under each team's name, not in a column of its own (at 1440 px it pushed Eligible out of view).
    expect(within(table).getAllByRole('columnheader')[1]).toHaveTextContent(
      'Members (last day)',
    );
    expect(ownerUnder(table, 'churning')).toBe('acme');
    expect(ownerUnder(table, 'ml-platform')).toBe('acme-labs');
  });

  it('shows the enterprise teams from the enterprise route, the enterprise named as their owner', async () => {
    const api = mockCopilotUsageApi({
      getEnterpriseTeamComparison: jest
        .fn()
        .mockResolvedValue(enterpriseComparison),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
        <TeamComparisonTable owner={ENTERPRISE} range={range} />
      </TestApiProvider>,
    );
    const table = await screen.findByTestId('team-comparison');
    expect(api.getEnterpriseTeamComparison).toHaveBeenCalledWith(
      'acme-corp',
      range,
    );
    expect(table).toHaveTextContent('Enterprise teams of acme-corp');
    expect(table).toHaveTextContent('Team comparison (1 team)');
    expect(ownerUnder(table, 'AI champions')).toBe('acme-corp (enterprise)');
    expect(
      within(table).getByRole('button', {
        name: 'Download team comparison CSV',
      }),
    ).toBeInTheDocument();
  });

  it('shows one card per team on a phone, busiest first, with a search', async () => {
    const restore = asPhone();
    try {
      const section = await renderTable();
      const cards = await within(section).findAllByTestId('comparison-card');
      expect(within(section).queryByRole('table')).not.toBeInTheDocument();
      expect(cards.map(card => card.querySelector('h3')?.textContent)).toEqual([
        'churning',
        'tiny',
        'unlisted',
      ]);
      expect(cards[0]).toHaveTextContent('Active users (period)13');
      expect(cards[0]).toHaveTextContent('Members (period / last day)15 / 11');
      await userEvent.type(
        within(section).getByLabelText('Find a team'),
        'tin',
      );
      expect(
        within(section)
          .getAllByTestId('comparison-card')
          .map(card => card.querySelector('h3')?.textContent),
      ).toEqual(['tiny']);
      expect(
        within(section).queryByTestId('comparison-card-owner'),
      ).not.toBeInTheDocument();
    } finally {
      restore();
    }
  });

  it("names the enterprise on each card of the enterprise's teams on a phone", async () => {
    const restore = asPhone();
    try {
      const api = mockCopilotUsageApi({
        getEnterpriseTeamComparison: jest
          .fn()
          .mockResolvedValue(enterpriseComparison),
      });
      await renderInTestApp(
        <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
          <TeamComparisonTable owner={ENTERPRISE} range={range} />
        </TestApiProvider>,
      );
      const [card] = await screen.findAllByTestId('comparison-card');
      expect(
        within(card).getByTestId('comparison-card-owner'),
      ).toHaveTextContent('acme-corp (enterprise)');
    } finally {
      restore();
    }
  });
});
