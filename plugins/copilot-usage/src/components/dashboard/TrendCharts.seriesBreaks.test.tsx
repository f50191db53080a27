import { configApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { makeMetricsDocument } from '../../__testUtils__/fixtures';
import { TrendCharts } from './TrendCharts';

const DAILY_CHARTS = [
  'Active users and members',
  'Code generations and acceptances',
  'Lines suggested and added',
];
const WEEKLY_CHART = 'Weekly average active users';
const UNDERCOUNT = 'GitHub undercounts agents of older clients';

function days(from: string, to: string) {
  return makeMetricsDocument({ from, to }).days;
}

function figure(name: string) {
  return within(screen.getByRole('figure', { name }));
}

/** The table alternative's "Marked" cells by the row's first cell (day or week). */
function markedCells(name: string): Record<string, string> | undefined {
  const table = figure(name).getByRole('table');
  const headers = within(table)
    .getAllByRole('columnheader')
    .map(cell => cell.textContent);
  const column = headers.indexOf('Marked');
  if (column < 0) {
    return undefined;
  }
  const marked: Record<string, string> = {};
  for (const row of within(table).getAllByRole('row').slice(1)) {
    const cells = within(row).getAllByRole('cell');
    if (cells[column].textContent) {
      marked[cells[0].textContent!] = cells[column].textContent!;
    }
  }
  return marked;
}

async function renderWithConfig(element: JSX.Element, seriesEvents?: unknown) {
  const config = mockApis.config({
    data: seriesEvents === undefined ? {} : { copilotUsage: { seriesEvents } },
  });
  await renderInTestApp(
    <TestApiProvider apis={[[configApiRef, config]]}>
      {element}
    </TestApiProvider>,
  );
}

describe('TrendCharts: breaks in the series', () => {
  it('marks GitHub’s 2026-10-06 undercount on every chart over October, with its note and in the tables', async () => {
    await renderWithConfig(
      <TrendCharts days={days('2026-10-01', '2026-10-31')} />,
    );

    for (const name of DAILY_CHARTS) {
      expect(figure(name).getByRole('img')).toHaveAccessibleName(
        `Chart: ${name}, marked on 2026-10-06: GitHub change: ${UNDERCOUNT}`,
      );
      expect(markedCells(name)).toEqual({
        '2026-10-06': `2026-10-06: ${UNDERCOUNT}`,
      });
      expect(figure(name).getByTestId('series-break-notes')).toHaveTextContent(
        /^2026-10-06 \(GitHub change\): GitHub undercounts agents of older clients\. From this day agent activity .* partly counted as CLI/,
      );
    }
    expect(figure(WEEKLY_CHART).getByRole('img')).toHaveAccessibleName(
      `Chart: ${WEEKLY_CHART}, marked in 2026-W41 (on 2026-10-06): GitHub change: ${UNDERCOUNT}`,
    );
    expect(markedCells(WEEKLY_CHART)).toEqual({
      '2026-W41': `2026-10-06: ${UNDERCOUNT}`,
    });
    expect(
      screen.queryByTestId('series-events-problems'),
    ).not.toBeInTheDocument();
  });

  it('marks nothing over November, which holds no break', async () => {
    await renderWithConfig(
      <TrendCharts days={days('2026-11-01', '2026-11-30')} />,
    );

    for (const name of [...DAILY_CHARTS, WEEKLY_CHART]) {
      expect(figure(name).getByRole('img')).toHaveAccessibleName(
        `Chart: ${name}`,
      );
      expect(markedCells(name)).toBeUndefined();
      expect(
        figure(name).queryByTestId('series-break-notes'),
      ).not.toBeInTheDocument();
    }
  });

  it('puts a break on a day without data at the next day with data', async () => {
    const withGap = days('2026-10-01', '2026-10-31').filter(
      day => day.day !== '2026-10-06',
    );
    await renderWithConfig(<TrendCharts days={withGap} />);

    const name = DAILY_CHARTS[1];
    expect(figure(name).getByRole('img')).toHaveAccessibleName(
      `Chart: ${name}, marked on 2026-10-06: GitHub change: ${UNDERCOUNT}`,
    );
    expect(markedCells(name)).toEqual({
      '2026-10-07': `2026-10-06: ${UNDERCOUNT}`,
    });
  });

  it('marks the adopter’s events from config and names the entries it cannot read', async () => {
    await renderWithConfig(
      <TrendCharts days={days('2026-11-01', '2026-11-30')} />,
      [
        {
          day: '2026-11-10',
          label: 'Licences for Payments',
          note: 'Payments got 40 seats.',
          link: 'https://intranet.example.com/copilot/payments',
        },
        { day: '2026-11-31', label: 'A day that does not exist' },
        { day: '2026-12-15', label: 'After the range' },
      ],
    );

    const name = DAILY_CHARTS[0];
    expect(figure(name).getByRole('img')).toHaveAccessibleName(
      `Chart: ${name}, marked on 2026-11-10: Event: Licences for Payments`,
    );
    const notes = figure(name).getByTestId('series-break-notes');
    expect(notes).toHaveTextContent(
      '2026-11-10 (Event): Licences for Payments. Payments got 40 seats. More about it',
    );
    expect(within(notes).getByRole('link')).toHaveAttribute(
      'href',
      'https://intranet.example.com/copilot/payments',
    );
    expect(screen.getByTestId('series-events-problems')).toHaveTextContent(
      'copilotUsage.seriesEvents[1].day must be a real day as YYYY-MM-DD, got "2026-11-31"',
    );
    // Open from the start: an adopter checking their config sees the reason at once.
    expect(
      screen.getByRole('button', {
        name: /Some events in the app config are not marked/,
      }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(screen.queryByText(/A day that does not exist/)).toBeNull();
  });

  it('shows the import marker and a break together', async () => {
    const mixed = days('2026-10-01', '2026-10-31').map((day, index) =>
      index < 10 ? { ...day, source: 'import' as const } : day,
    );
    await renderWithConfig(<TrendCharts days={mixed} />);

    const name = DAILY_CHARTS[2];
    expect(figure(name).getByRole('img')).toHaveAccessibleName(
      `Chart: ${name}, marked on 2026-10-11: GitHub usage reports from here, marked on 2026-10-06: GitHub change: ${UNDERCOUNT}`,
    );
  });
});
