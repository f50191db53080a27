import { renderInTestApp } from '@backstage/test-utils';
import {
  MetricsDay,
  MetricsDaySource,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { screen, within } from '@testing-library/react';
import { makeMetricsDocument } from '../../__testUtils__/fixtures';
import { TrendCharts } from './TrendCharts';

const DAILY_CHARTS = [
  'Active users and members',
  'Code generations and acceptances',
  'Lines suggested and added',
];

/** 2026-10-22 .. 2026-11-18, each day from the source `sourceOf` gives it. */
function daysFrom(sourceOf: (index: number) => MetricsDaySource | undefined) {
  return makeMetricsDocument({ from: '2026-10-22', to: '2026-11-18' }).days.map(
    (day, index): MetricsDay => {
      const source = sourceOf(index);
      return source ? { ...day, source } : day;
    },
  );
}

function chart(name: string) {
  return within(screen.getByRole('figure', { name })).getByRole('img');
}

function sourceCells(name: string) {
  const table = within(screen.getByRole('figure', { name })).getByRole('table');
  const headers = within(table)
    .getAllByRole('columnheader')
    .map(cell => cell.textContent);
  const column = headers.indexOf('Source');
  if (column < 0) {
    return undefined;
  }
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[column].textContent);
}

describe('TrendCharts', () => {
  it('marks the first report day after imported history on every chart and explains the step', async () => {
    // 2026-10-22 .. 2026-11-03 imported, reports from 2026-11-04 (a Wednesday of W45).
    const days = daysFrom(index => (index < 13 ? 'import' : 'report'));
    await renderInTestApp(<TrendCharts days={days} />);

    expect(screen.getByTestId('imported-history-note')).toHaveTextContent(
      /^Days before 2026-11-04 were imported from .*; from 2026-11-04 on they come from GitHub's usage reports\. GitHub's newer counters cover more surfaces, so expect a step at the marker\.$/,
    );
    for (const name of DAILY_CHARTS) {
      expect(chart(name)).toHaveAccessibleName(
        `Chart: ${name}, marked on 2026-11-04: GitHub usage reports from here`,
      );
      const sources = sourceCells(name)!;
      expect(sources.slice(12, 14)).toEqual([
        'Imported',
        'GitHub usage report',
      ]);
    }
    expect(chart('Weekly average active users')).toHaveAccessibleName(
      'Chart: Weekly average active users, marked in 2026-W45 (on 2026-11-04): GitHub usage reports from here',
    );
    expect(sourceCells('Weekly average active users')).toEqual([
      'Imported', // W43 (from Thursday 10-22)
      'Imported', // W44
      'Imported and GitHub usage report', // W45
      'GitHub usage report', // W46
      'GitHub usage report', // W47
    ]);
  });

  it('marks each change when the source changes more than once', async () => {
    // Reports, then imported 2026-11-01 .. 2026-11-05 (a gap in the reports), then reports again.
    const days = daysFrom(index =>
      index >= 10 && index < 15 ? 'import' : undefined,
    );
    await renderInTestApp(<TrendCharts days={days} />);

    expect(screen.getByTestId('imported-history-note')).toHaveTextContent(
      /Imported from .*: 2026-11-01 to 2026-11-05; the other days come from GitHub's usage reports\. .* expect a step at each marker\.$/,
    );
    expect(chart('Active users and members')).toHaveAccessibleName(
      'Chart: Active users and members, marked on 2026-11-01: Imported history from here, marked on 2026-11-06: GitHub usage reports from here',
    );
  });

  it('has no marker or note when every day comes from the reports', async () => {
    await renderInTestApp(<TrendCharts days={daysFrom(() => undefined)} />);

    expect(
      screen.queryByTestId('imported-history-note'),
    ).not.toBeInTheDocument();
    expect(chart('Active users and members')).toHaveAccessibleName(
      'Chart: Active users and members',
    );
    expect(sourceCells('Active users and members')).toBeUndefined();
  });

  it('has no marker or note when every day was imported, but tables name the source', async () => {
    await renderInTestApp(<TrendCharts days={daysFrom(() => 'import')} />);

    expect(
      screen.queryByTestId('imported-history-note'),
    ).not.toBeInTheDocument();
    expect(chart('Active users and members')).toHaveAccessibleName(
      'Chart: Active users and members',
    );
    expect(new Set(sourceCells('Active users and members'))).toEqual(
      new Set(['Imported']),
    );
  });
});
