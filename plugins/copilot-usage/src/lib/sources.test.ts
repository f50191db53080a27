import { MetricsDaySource } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  importedHistoryNote,
  sourceChanges,
  sourceSpans,
  sourcesByWeek,
} from './sources';

const day = (date: string, source?: MetricsDaySource) => ({
  day: date,
  ...(source && { source }),
});

describe('sourceChanges', () => {
  it('finds the first report day after imported history', () => {
    expect(
      sourceChanges([
        day('2026-10-30', 'import'),
        day('2026-10-31', 'import'),
        day('2026-11-01', 'report'),
        day('2026-11-02', 'report'),
      ]),
    ).toEqual([{ day: '2026-11-01', from: 'import', to: 'report' }]);
  });

  it('marks each of several changes, in date order whatever the input order', () => {
    expect(
      sourceChanges([
        day('2026-11-05', 'report'),
        day('2026-11-01', 'import'),
        day('2026-11-03', 'import'),
        day('2026-11-02', 'report'),
        day('2026-11-04'),
      ]),
    ).toEqual([
      { day: '2026-11-02', from: 'import', to: 'report' },
      { day: '2026-11-03', from: 'report', to: 'import' },
      { day: '2026-11-04', from: 'import', to: 'report' },
    ]);
  });

  it('treats days without a source as report days', () => {
    expect(
      sourceChanges([day('2026-11-01', 'report'), day('2026-11-02')]),
    ).toEqual([]);
    expect(
      sourceChanges([day('2026-11-01', 'import'), day('2026-11-02')]),
    ).toEqual([{ day: '2026-11-02', from: 'import', to: 'report' }]);
  });

  it('places a change after a gap on the first day with data', () => {
    expect(
      sourceChanges([day('2026-10-20', 'import'), day('2026-11-01', 'report')]),
    ).toEqual([{ day: '2026-11-01', from: 'import', to: 'report' }]);
  });

  it('finds nothing in one source or no days', () => {
    expect(
      sourceChanges([day('2026-11-01', 'import'), day('2026-11-02', 'import')]),
    ).toEqual([]);
    expect(sourceChanges([])).toEqual([]);
  });
});

describe('sourceSpans', () => {
  it('groups consecutive days of one source', () => {
    expect(
      sourceSpans([
        day('2026-11-01', 'import'),
        day('2026-11-02', 'import'),
        day('2026-11-03', 'report'),
      ]),
    ).toEqual([
      { source: 'import', first: '2026-11-01', last: '2026-11-02' },
      { source: 'report', first: '2026-11-03', last: '2026-11-03' },
    ]);
  });
});

describe('sourcesByWeek', () => {
  it('lists the sources of each ISO week', () => {
    const weeks = sourcesByWeek([
      day('2026-11-15', 'import'), // Sunday of W46
      day('2026-11-16', 'import'), // Monday of W47
      day('2026-11-17', 'report'),
    ]);
    expect([...weeks]).toEqual([
      ['2026-W46', ['import']],
      ['2026-W47', ['import', 'report']],
    ]);
  });
});

describe('importedHistoryNote', () => {
  it('names the first report day when imported history comes first', () => {
    expect(
      importedHistoryNote([
        day('2026-10-31', 'import'),
        day('2026-11-01', 'report'),
      ]),
    ).toMatch(
      /^Days before 2026-11-01 were imported from .*expect a step at the marker\.$/,
    );
  });

  it('lists every imported stretch when the source changes more than once', () => {
    const note = importedHistoryNote([
      day('2026-11-01', 'import'),
      day('2026-11-02', 'import'),
      day('2026-11-03', 'report'),
      day('2026-11-04', 'import'),
      day('2026-11-05', 'report'),
    ]);
    expect(note).toContain('2026-11-01 to 2026-11-02 and 2026-11-04;');
    expect(note).toMatch(/expect a step at each marker\.$/);
  });

  it('is left out for a single source', () => {
    expect(importedHistoryNote([day('2026-11-01', 'import')])).toBeUndefined();
    expect(importedHistoryNote([day('2026-11-01')])).toBeUndefined();
  });
});
