import { makeMyMetrics } from '../../__testUtils__/fixtures';
import { perDay } from './MyUsagePanel';

describe('perDay', () => {
  it('has every day of the range, evenly spaced, with 0 on days without activity', () => {
    const doc = makeMyMetrics('2026-11-01', '2026-11-07');
    const days = perDay(doc.days, doc.from, doc.to);
    expect(days.map(d => d.day)).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-03',
      '2026-11-04',
      '2026-11-05',
      '2026-11-06',
      '2026-11-07',
    ]);
    const active = new Set(doc.days.map(d => d.day));
    const quiet = days.filter(day => !active.has(day.day));
    expect(quiet.length).toBeGreaterThan(0);
    expect(
      quiet.filter(day => day.interactions !== 0 || day.codeGenerations !== 0),
    ).toEqual([]);
    expect(days.reduce((sum, d) => sum + d.codeGenerations, 0)).toBe(
      doc.totals.codeGenerations,
    );
  });

  it('sums a day the user was active in several orgs', () => {
    const doc = makeMyMetrics('2026-11-01', '2026-11-03');
    const twice = [...doc.days, { ...doc.days[0], org: 'other' }];
    const [first] = perDay(twice, doc.from, doc.to);
    expect(first.interactions).toBe(2 * doc.days[0].interactions);
  });
});
