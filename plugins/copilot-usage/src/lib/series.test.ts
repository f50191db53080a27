import { rankBreakdown, weeklyAverages } from './series';

describe('weeklyAverages', () => {
  it('averages daily active users per ISO week over the days with data', () => {
    const weeks = weeklyAverages([
      { day: '2026-11-15', activeUsers: 4 }, // Sunday of W46
      { day: '2026-11-16', activeUsers: 10 }, // Monday of W47
      { day: '2026-11-18', activeUsers: 20 },
      { day: '2026-11-22', activeUsers: 6 }, // Sunday of W47
      { day: '2026-11-23', activeUsers: 1 }, // Monday of W48
    ]);
    expect(weeks).toEqual([
      {
        week: '2026-W46',
        monday: '2026-11-09',
        daysWithData: 1,
        averageActiveUsers: 4,
      },
      {
        week: '2026-W47',
        monday: '2026-11-16',
        daysWithData: 3,
        averageActiveUsers: 12,
      },
      {
        week: '2026-W48',
        monday: '2026-11-23',
        daysWithData: 1,
        averageActiveUsers: 1,
      },
    ]);
  });

  it('is empty without days', () => {
    expect(weeklyAverages([])).toEqual([]);
  });
});

describe('rankBreakdown', () => {
  const item = (key: string, codeGenerations: number, interactions = 0) => ({
    key,
    codeGenerations,
    interactions,
    codeAcceptances: 0,
    locSuggestedToAdd: 0,
    locSuggestedToDelete: 0,
    locAdded: 0,
    locDeleted: 0,
    peakDailyUsers: 0,
  });

  it('puts the most used first, by generations then interactions', () => {
    const ranked = rankBreakdown([
      item('go', 5),
      item('rust', 9),
      item('java', 5, 7),
    ]);
    expect(ranked.map(i => i.key)).toEqual(['rust', 'java', 'go']);
  });
});
