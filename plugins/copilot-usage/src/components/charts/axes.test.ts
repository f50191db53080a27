import { valueAxisProps } from './axes';

describe('valueAxisProps', () => {
  const rows = [{ active: 58 }, { active: 41 }];

  it('ends the axis at the first nice tick above the data', () => {
    expect(valueAxisProps(rows, ['active']).domain).toEqual([0, 60]);
  });

  it('leaves a band above the data for marker labels when asked', () => {
    const { domain, ticks } = valueAxisProps(rows, ['active'], 'count', {
      labelRoom: true,
    });
    expect(domain[1]).toBeGreaterThanOrEqual(58 * 1.2);
    expect(ticks[ticks.length - 1]).toBe(domain[1]);
  });
});
