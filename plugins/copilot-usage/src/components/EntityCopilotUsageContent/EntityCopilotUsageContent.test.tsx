import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { MetricsDocument } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { copilotUsageApiRef } from '../../api/CopilotUsageApi';
import { addDays, lastDaysRange, previousRange } from '../../lib/days';
import { formatFigure } from '../../lib/format';
import {
  makeEmptyDocument,
  makeMetricsDocument,
  teamEntity,
} from '../../__testUtils__/fixtures';
import {
  mockCopilotUsageApi,
  responseError,
} from '../../__testUtils__/mockApi';
import { EntityCopilotUsageContent } from './EntityCopilotUsageContent';

const range = lastDaysRange(28);
const current = makeMetricsDocument({ ...range, activeUsers: 21 });
const previous = makeMetricsDocument({
  ...previousRange(range),
  scale: 2,
  activeUsers: 14,
});

/** Answers the selected range with `currentDoc`, the one before with `previousDoc`. */
function metricsByRange(
  currentDoc: MetricsDocument | Error,
  previousDoc: MetricsDocument | Error = previous,
) {
  return jest.fn(async (_ref: string, r?: { from?: string }) => {
    const doc = r?.from === range.from ? currentDoc : previousDoc;
    if (doc instanceof Error) throw doc;
    return doc;
  });
}

async function renderTab(api: ReturnType<typeof mockCopilotUsageApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
      <EntityProvider entity={teamEntity}>
        <EntityCopilotUsageContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const value = (key: string) => screen.getByTestId(`headline-${key}-value`);

describe('EntityCopilotUsageContent', () => {
  it('shows the headline figures of the fixture with their change', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(current),
    });
    await renderTab(api);

    expect(await screen.findByTestId('headline-activeUsers')).toBeVisible();
    expect(api.getTeamMetrics).toHaveBeenCalledWith(
      'group:default/team-a',
      range,
      { view: 'full' },
    );
    // The previous period only for the changes: its days and totals.
    expect(api.getTeamMetrics).toHaveBeenCalledWith(
      'group:default/team-a',
      previousRange(range),
      { view: 'headline' },
    );

    const last = current.days[current.days.length - 1];
    expect(value('activeUsers')).toHaveTextContent(
      String(current.totals.activeUsers),
    );
    expect(value('weeklyActiveUsers')).toHaveTextContent(
      String(last.weeklyActiveUsers),
    );
    expect(value('monthlyActiveUsers')).toHaveTextContent(
      String(last.monthlyActiveUsers),
    );
    expect(value('completionAcceptanceRate')).toHaveTextContent(
      formatFigure(
        current.totals.completionAcceptances /
          current.totals.completionGenerations,
        'percent',
      ),
    );
    expect(value('locAdded')).toHaveTextContent(
      current.totals.locAdded.toLocaleString('en-US'),
    );
    // 21 now against 14 before
    expect(screen.getByTestId('headline-activeUsers-change')).toHaveTextContent(
      '+50.0% vs previous 28 days',
    );
    expect(screen.getByTestId('coverage-note')).toHaveTextContent(
      `${current.coverage.daysWithData} of ${current.coverage.daysInRange} days have data`,
    );
  });

  it('gives every chart an accessible name and a table with its numbers', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(current),
    });
    await renderTab(api);

    const figure = await screen.findByRole('figure', {
      name: 'Active users and members',
    });
    expect(
      within(figure).getByRole('img', {
        name: 'Chart: Active users and members',
      }),
    ).toBeInTheDocument();
    const table = within(figure).getByRole('table', {
      name: 'Active users and members',
    });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(current.days.length + 1);
    const firstDay = current.days[0];
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      firstDay.day,
      String(firstDay.memberCount),
      String(firstDay.monthlyActiveUsers),
      String(firstDay.weeklyActiveUsers),
      String(firstDay.activeUsers),
    ]);

    for (const name of [
      'Weekly average active users',
      'Code generations and acceptances',
      'Lines suggested and added',
      'By language',
      'By editor',
      'By feature',
      'By model',
    ]) {
      expect(screen.getByRole('figure', { name })).toBeInTheDocument();
    }
    const features = screen.getByRole('table', { name: 'By feature' });
    expect(within(features).getByText('Code completion')).toBeInTheDocument();
    expect(within(features).getByText('Chat: agent mode')).toBeInTheDocument();

    // "Show as table" puts the table on screen instead of the chart
    await userEvent.click(
      within(figure).getByRole('button', { name: 'Show as table' }),
    );
    expect(within(figure).queryByRole('img')).not.toBeInTheDocument();
    expect(within(figure).getByRole('table')).toBeVisible();
  });

  it('downloads the shown figures as CSV through the API', async () => {
    const csv = 'day,activeUsers\r\n';
    const fileName = `copilot-usage_acme_team-a_${range.from}_${range.to}.csv`;
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(current),
      getCsv: jest.fn().mockResolvedValue({ text: csv, fileName }),
    });
    const createObjectURL = jest.fn(() => 'blob:csv');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const downloads: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function saved(this: HTMLAnchorElement) {
        downloads.push(this.download);
      });
    await renderTab(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Download CSV' }),
    );
    await waitFor(() =>
      expect(api.getCsv).toHaveBeenCalledWith(
        `teams/default/team-a/metrics?from=${range.from}&to=${range.to}&format=csv`,
      ),
    );
    await waitFor(() => expect(createObjectURL).toHaveBeenCalledTimes(1));
    const blob = (createObjectURL.mock.calls[0] as unknown[])[0] as Blob;
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:csv');
    // Saved under the name the API read from the response.
    expect(downloads).toEqual([fileName]);
    click.mockRestore();
  });

  it('fetches the new range when another period is picked', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(current),
    });
    await renderTab(api);
    await screen.findByTestId('headline-activeUsers');

    await userEvent.click(screen.getByRole('button', { name: /Period/ }));
    await userEvent.click(screen.getByRole('option', { name: 'Last 7 days' }));
    await waitFor(() =>
      expect(api.getTeamMetrics).toHaveBeenCalledWith(
        'group:default/team-a',
        lastDaysRange(7),
        { view: 'full' },
      ),
    );
  });

  it('says why a team is below the privacy floor and what to do, instead of showing numbers', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(
        makeEmptyDocument({ ...range, reason: 'below-min-team-size' }),
      ),
    });
    await renderTab(api);
    expect(
      await screen.findByText('Team A is below the privacy floor of 5 members'),
    ).toBeInTheDocument();
    const message = screen.getByTestId('privacy-floor-message');
    expect(message).toHaveTextContent(/at least 5 members/);
    expect(message).toHaveTextContent(/What to do:/);
    expect(
      screen.queryByTestId('headline-activeUsers'),
    ).not.toBeInTheDocument();
  });

  it('says GitHub never reports a team with fewer than 5 seated members, not "no data yet"', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(
        makeEmptyDocument({ ...range, reason: 'no-data' }),
      ),
    });
    const smallTeam = {
      ...teamEntity,
      relations: ['a', 'b', 'c'].map(name => ({
        type: 'hasMember',
        targetRef: `user:default/${name}`,
      })),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[copilotUsageApiRef, api]]}>
        <EntityProvider entity={smallTeam}>
          <EntityCopilotUsageContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    const message = await screen.findByTestId('privacy-floor-message');
    expect(message).toHaveTextContent(
      /GitHub reports Copilot usage only for teams with at least 5 members who hold a Copilot seat \(its privacy floor\)/,
    );
    expect(message).toHaveTextContent('Team A has 3 members in the catalog.');
    expect(screen.queryByText(/No Copilot usage data/)).not.toBeInTheDocument();
    expect(screen.queryByRole('figure')).not.toBeInTheDocument();
  });

  it('says when there is no data yet for a recent period', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(
        makeEmptyDocument({ ...range, reason: 'no-data' }),
      ),
    });
    await renderTab(api);
    expect(
      await screen.findByText(
        `No Copilot usage data from ${range.from} to ${range.to}`,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/synced daily from GitHub/)).toBeInTheDocument();
    expect(screen.queryByRole('figure')).not.toBeInTheDocument();
  });

  it('shows the members on the last day and over the period next to what active users count', async () => {
    const doc = makeMetricsDocument({ ...range, activeUsers: 21 });
    doc.days.forEach((day, i) => {
      day.memberCount = 10 + (i % 3);
    });
    const api = mockCopilotUsageApi({ getTeamMetrics: metricsByRange(doc) });
    await renderTab(api);
    const last = doc.days[doc.days.length - 1];
    expect(await screen.findByTestId('team-members-value')).toHaveTextContent(
      String(last.memberCount),
    );
    expect(screen.getByTestId('team-members')).toHaveTextContent(
      `Members on ${last.day}`,
    );
    expect(screen.getByTestId('team-members-range')).toHaveTextContent(
      'Members: between 10 and 12 a day over the period.',
    );
    expect(screen.getByTestId('team-members')).toHaveTextContent(
      /used Copilot on a day they were a member/,
    );
  });

  it('says what is wrong with a custom period and shows no figures of the old one', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(current),
    });
    await renderTab(api);
    await screen.findByTestId('headline-activeUsers');

    await userEvent.click(screen.getByRole('button', { name: /Period/ }));
    await userEvent.click(screen.getByRole('option', { name: 'Custom' }));
    const from = screen.getByLabelText('From');
    const to = screen.getByLabelText('To');
    expect(to).toHaveValue(range.to);
    fireEvent.change(from, { target: { value: addDays(range.to, 3) } });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      `"From" (${addDays(range.to, 3)}) is after "To" (${range.to})`,
    );
    expect(from).toHaveAttribute('aria-invalid', 'true');
    expect(
      screen.queryByTestId('headline-activeUsers'),
    ).not.toBeInTheDocument();
    const calls = api.getTeamMetrics.mock.calls.length;

    fireEvent.change(from, { target: { value: addDays(range.to, -6) } });
    await waitFor(() =>
      expect(api.getTeamMetrics).toHaveBeenCalledWith(
        'group:default/team-a',
        { from: addDays(range.to, -6), to: range.to },
        { view: 'full' },
      ),
    );
    expect(api.getTeamMetrics.mock.calls.length).toBeGreaterThan(calls);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('tells a non-member they may not see the team', async () => {
    const forbidden = await responseError(403, 'You may not view this team');
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(forbidden, forbidden),
    });
    await renderTab(api);
    expect(
      await screen.findByText('You are not a member of this team'),
    ).toBeInTheDocument();
    expect(
      screen.queryByTestId('headline-activeUsers'),
    ).not.toBeInTheDocument();
  });

  it('asks the permission backend first, so a non-member is told without a refused metrics request', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(current),
    });
    const authorize = jest.fn(() => AuthorizeResult.DENY);
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [copilotUsageApiRef, api],
          [permissionApiRef, mockApis.permission({ authorize })],
        ]}
      >
        <EntityProvider entity={teamEntity}>
          <EntityCopilotUsageContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('You are not a member of this team'),
    ).toBeInTheDocument();
    expect(authorize).toHaveBeenCalled();
    expect(api.getTeamMetrics).not.toHaveBeenCalled();
  });

  it('shows the backend error', async () => {
    const failure = await responseError(500, 'database is down');
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(failure, failure),
    });
    await renderTab(api);
    expect(
      await screen.findByText(/Request failed with 500/),
    ).toBeInTheDocument();
  });

  it('shows progress while loading', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: jest
        .fn()
        .mockReturnValue(new Promise<MetricsDocument>(() => {})),
    });
    await renderTab(api);
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('keeps the figures when the previous period fails', async () => {
    const api = mockCopilotUsageApi({
      getTeamMetrics: metricsByRange(current, new Error('boom')),
    });
    await renderTab(api);
    expect(
      await screen.findByTestId('headline-activeUsers-change'),
    ).toHaveTextContent('The previous period could not be loaded');
  });
});
