import {
  METRIC_DEFINITIONS,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  makeEmptyDocument,
  makeMetricsDocument,
} from '../__testUtils__/fixtures';
import {
  changeBetween,
  describeChange,
  headlineFigures,
  mean,
} from './figures';

const byKey = (document: MetricsDocument, previous?: MetricsDocument) =>
  Object.fromEntries(
    headlineFigures(document, previous).map(figure => [figure.id, figure]),
  );

describe('headlineFigures', () => {
  const current = makeMetricsDocument({ from: '2026-11-01', to: '2026-11-10' });
  const previous = makeMetricsDocument({
    from: '2026-10-22',
    to: '2026-10-31',
    scale: 2,
    activeUsers: 10,
  });

  it('takes range figures from the totals, rolling windows from the last day, user counts as daily means', () => {
    const figures = byKey(current);
    const lastDay = current.days[current.days.length - 1];
    expect(figures.activeUsers.value).toBe(current.totals.activeUsers);
    expect(figures.weeklyActiveUsers.value).toBe(lastDay.weeklyActiveUsers);
    expect(figures.monthlyActiveUsers.value).toBe(lastDay.monthlyActiveUsers);
    expect(figures.completionAcceptanceRate.value).toBe(
      current.totals.completionAcceptances /
        current.totals.completionGenerations,
    );
    expect(figures.locAdded.value).toBe(current.totals.locAdded);
    const chat = current.days.map(day => day.chatUsers as number);
    expect(figures.chatUsers.value).toBeCloseTo(
      chat.reduce((a, b) => a + b, 0) / chat.length,
    );
  });

  it('explains each figure with the shared metric definition', () => {
    const figures = byKey(current);
    expect(figures.activeUsers.description).toContain(
      METRIC_DEFINITIONS.activeUsers.description,
    );
    expect(figures.weeklyActiveUsers.description).toContain(
      `last day with data (${current.to})`,
    );
  });

  it('gives an org and a team the same figures, and says where the org report has no daily count', () => {
    const org = makeMetricsDocument({
      from: '2026-11-01',
      to: '2026-11-10',
      scope: { type: 'org', org: 'acme' },
    });
    const ids = (doc: MetricsDocument) =>
      headlineFigures(doc).map(figure => figure.id);
    expect(ids(org)).toEqual(ids(current));
    expect(ids(org)).toEqual(
      expect.arrayContaining([
        'averageActiveUsers',
        'locAcceptanceRate',
        'chatUsers',
        'cliUsers',
      ]),
    );
    const figures = byKey(org);
    expect(figures.chatUsers.value).toBeNull();
    const lastDay = org.days[org.days.length - 1];
    expect(figures.chatUsers.note).toBe(
      `GitHub's organization report has no daily count; it counts ${lastDay.monthlyActiveChatUsers} in the 28 days to ${lastDay.day}`,
    );
  });

  it('says which days an average covers, leaving out days without a value', () => {
    const doc = makeMetricsDocument({ from: '2026-11-01', to: '2026-11-10' });
    doc.days[2].cliUsers = null;
    doc.days[5].cliUsers = null;
    const figures = byKey(doc);
    const present = doc.days
      .map(day => day.cliUsers)
      .filter((v): v is number => v !== null);
    expect(figures.cliUsers.value).toBeCloseTo(
      present.reduce((a, b) => a + b, 0) / present.length,
    );
    expect(figures.cliUsers.note).toBe(
      'Average of 8 days with data; 2 days without a value left out',
    );
    expect(figures.averageActiveUsers.note).toBe(
      'Average of 10 days with data',
    );
    expect(figures.weeklyActiveUsers.note).toBe(
      'People active in the 7 days to 2026-11-10, while members',
    );
  });

  it('compares with the previous period', () => {
    const figures = byKey(current, previous);
    expect(figures.activeUsers.previous).toBe(10);
    expect(figures.activeUsers.change).toEqual({
      absolute: current.totals.activeUsers - 10,
      relative: (current.totals.activeUsers - 10) / 10,
    });
    expect(figures.locAdded.change?.absolute).toBe(
      current.totals.locAdded - previous.totals.locAdded,
    );
  });

  it('has no change when the previous period has no data', () => {
    const figures = byKey(
      current,
      makeEmptyDocument({
        from: '2026-10-22',
        to: '2026-10-31',
        reason: 'no-data',
      }),
    );
    expect(figures.activeUsers.previous).toBeUndefined();
    expect(figures.activeUsers.change).toBeNull();
  });
});

describe('changeBetween / describeChange', () => {
  it('has no relative change from zero and no change without both values', () => {
    expect(changeBetween(5, 0)).toEqual({ absolute: 5, relative: null });
    expect(changeBetween(null, 3)).toBeNull();
    expect(changeBetween(3, undefined)).toBeNull();
  });

  it('describes counts in percent and rates in percentage points', () => {
    expect(describeChange(changeBetween(120, 100), 'count', 28)).toBe(
      '+20.0% vs previous 28 days',
    );
    expect(describeChange(changeBetween(80, 100), 'count', 7)).toBe(
      '−20.0% vs previous 7 days',
    );
    expect(describeChange(changeBetween(0.31, 0.3), 'percent', 28)).toBe(
      '+1.0 pts vs previous 28 days',
    );
    expect(describeChange(changeBetween(4, 0), 'count', 28)).toBe(
      '+4 vs previous 28 days',
    );
    expect(describeChange(null, 'count', 28)).toBeUndefined();
  });

  it('averages only present values', () => {
    expect(mean([1, null, 3, undefined])).toBe(2);
    expect(mean([null])).toBeNull();
  });
});
