import { METRICS_COUNTER_KEYS, MetricsCounters } from './api';
import {
  METRIC_DEFINITIONS,
  completionAcceptanceRate,
  dailyAdoption,
  emptyCounters,
  locAcceptanceRate,
  ratio,
  sumCounters,
} from './metrics';

function counters(partial: Partial<MetricsCounters>): MetricsCounters {
  return { ...emptyCounters(), ...partial };
}

describe('ratio', () => {
  it.each([
    [1, 4, 0.25],
    [0, 4, 0],
    [3, 0, null],
    [0, 0, null],
  ])('%d / %d = %p', (numerator, denominator, expected) => {
    expect(ratio(numerator, denominator)).toBe(expected);
  });
});

describe('sumCounters', () => {
  it('sums every counter and ignores other fields', () => {
    const sum = sumCounters([
      {
        ...counters({ interactions: 2, locAdded: 10 }),
        activeUsers: 7,
      } as MetricsCounters,
      counters({ interactions: 3, completionGenerations: 5 }),
    ]);
    expect(sum).toEqual(
      counters({ interactions: 5, locAdded: 10, completionGenerations: 5 }),
    );
    expect(sum).not.toHaveProperty('activeUsers');
  });

  it('returns zeros for no rows', () => {
    expect(sumCounters([])).toEqual(emptyCounters());
    expect(Object.keys(emptyCounters())).toEqual(METRICS_COUNTER_KEYS);
  });

  it('adds numbers that arrive as strings (bigint columns) as numbers', () => {
    const row = counters({});
    (row as any).interactions = '40';
    expect(sumCounters([row, counters({ interactions: 2 })]).interactions).toBe(
      42,
    );
  });
});

describe('acceptance rates', () => {
  // Day 1: 1 of 2 accepted (50%); day 2: 90 of 100 accepted (90%).
  // The weighted rate is 91 / 102, not the mean of daily rates (70%).
  const days = [
    counters({
      completionGenerations: 2,
      completionAcceptances: 1,
      completionLocSuggestedToAdd: 10,
      completionLocAdded: 1,
      codeGenerations: 50,
      codeAcceptances: 50,
      locSuggestedToAdd: 10,
      locAdded: 500,
    }),
    counters({
      completionGenerations: 100,
      completionAcceptances: 90,
      completionLocSuggestedToAdd: 30,
      completionLocAdded: 29,
    }),
  ];

  it('weights the completion acceptance rate over the range', () => {
    expect(completionAcceptanceRate(sumCounters(days))).toBeCloseTo(
      91 / 102,
      10,
    );
  });

  it('weights the line acceptance rate over the range, from code completions only', () => {
    expect(locAcceptanceRate(sumCounters(days))).toBeCloseTo(30 / 40, 10);
  });

  it('is null without completions', () => {
    expect(completionAcceptanceRate(emptyCounters())).toBeNull();
    expect(locAcceptanceRate(emptyCounters())).toBeNull();
  });
});

describe('dailyAdoption', () => {
  it('weights each day by its members and stays at most 100% when membership churns', () => {
    // 10 members, then the team shrinks to 4 while 3 new people are active:
    // 5 distinct users over 4 members on the last day would be 125%.
    const days = [
      { activeUsers: 2, memberCount: 10 },
      { activeUsers: 4, memberCount: 10 },
      { activeUsers: 3, memberCount: 4 },
    ];
    expect(dailyAdoption(days)).toBeCloseTo(9 / 24, 10);
    // Not the mean of the daily shares (20%, 40%, 75%: 45%).
    expect(dailyAdoption(days)).not.toBeCloseTo((0.2 + 0.4 + 0.75) / 3, 3);
  });

  it('skips days without a member count and is null without members', () => {
    expect(
      dailyAdoption([
        { activeUsers: 40, memberCount: null },
        { activeUsers: 1, memberCount: 5 },
      ]),
    ).toBe(0.2);
    expect(dailyAdoption([])).toBeNull();
    expect(dailyAdoption([{ activeUsers: 3, memberCount: null }])).toBeNull();
  });
});

describe('METRIC_DEFINITIONS', () => {
  it('defines every counter with a label and a description', () => {
    for (const key of METRICS_COUNTER_KEYS) {
      expect(METRIC_DEFINITIONS[key].label).toMatch(/\w/);
      expect(METRIC_DEFINITIONS[key].description.length).toBeGreaterThan(20);
    }
  });

  it('documents that rates are weighted', () => {
    expect(METRIC_DEFINITIONS.completionAcceptanceRate.description).toMatch(
      /not an average of daily rates/,
    );
  });
});
