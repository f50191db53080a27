import { countOf, formatFigure, maxOf, niceTicks } from './format';

describe('formatFigure', () => {
  it('groups thousands the way the locale does and shows whole counts', () => {
    expect(formatFigure(14210, 'count', 'en-US')).toBe('14,210');
    expect(formatFigure(14210, 'count', 'de-DE')).toBe('14.210');
    expect(formatFigure(4.714285714285714, 'count', 'en-US')).toBe('5');
  });

  it('gives every rate and average one decimal, so 31% and 28.7% never sit side by side', () => {
    expect(formatFigure(0.31, 'percent', 'en-US')).toBe('31.0%');
    expect(formatFigure(0.28712, 'percent', 'en-US')).toBe('28.7%');
    expect(formatFigure(4.714285714285714, 'decimal', 'en-US')).toBe('4.7');
    expect(formatFigure(1234.56, 'decimal', 'de-DE')).toBe('1.234,6');
  });

  it('shows a dash for figures that do not exist', () => {
    expect(formatFigure(null, 'percent')).toBe('–');
    expect(formatFigure(undefined, 'count')).toBe('–');
    expect(formatFigure(Number.NaN, 'decimal')).toBe('–');
  });

  it('names a count with its noun', () => {
    expect(countOf(1, 'day')).toBe('1 day');
    expect(countOf(1200, 'day')).toBe('1,200 days');
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2, 2.5 or 5 times a power of ten up to at least the maximum', () => {
    expect(niceTicks(3800)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(niceTicks(57)).toEqual([0, 20, 40, 60]);
    expect(niceTicks(100)).toEqual([0, 25, 50, 75, 100]);
  });

  it('keeps user axes whole: no 0.9 users', () => {
    expect(niceTicks(2.7)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0)).toEqual([0, 1]);
    for (const max of [1, 3, 7, 13, 29, 61, 1234]) {
      const ticks = niceTicks(max);
      expect(ticks.every(Number.isInteger)).toBe(true);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(6);
    }
  });

  it('allows fractions when asked to (rates)', () => {
    expect(niceTicks(0.42, { whole: false })).toEqual([0, 0.2, 0.4, 0.6]);
  });

  it('finds the largest value of some keys', () => {
    expect(
      maxOf(
        [
          { a: 1, b: 9 },
          { a: 4, b: null },
        ],
        ['a', 'b'],
      ),
    ).toBe(9);
    expect(maxOf([], ['a'])).toBe(0);
  });
});
