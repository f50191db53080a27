import {
  GITHUB_SERIES_BREAKS,
  mergeSeriesBreaks,
  readSeriesEventsConfig,
  seriesBreaksBetween,
} from './seriesBreaks';

describe('GITHUB_SERIES_BREAKS', () => {
  it('lists the Copilot app and the agent undercount days, in day order, each with a note', () => {
    expect(GITHUB_SERIES_BREAKS.map(b => b.day)).toEqual([
      '2026-07-28',
      '2026-10-06',
    ]);
    for (const b of GITHUB_SERIES_BREAKS) {
      expect(b.origin).toBe('github');
      expect(b.label.length).toBeLessThanOrEqual(80);
      expect(b.note).toMatch(/\.$/);
    }
  });
});

describe('readSeriesEventsConfig', () => {
  it('has no events and no problems when not set', () => {
    expect(readSeriesEventsConfig(undefined)).toEqual({
      breaks: [],
      problems: [],
    });
  });

  it('reads valid events, trimming texts', () => {
    expect(
      readSeriesEventsConfig([
        { day: '2026-09-01', label: ' Licences for Payments ' },
        {
          day: '2026-11-16',
          label: 'Training week',
          note: 'Everyone in Platform got a workshop.',
          link: 'https://intranet.example.com/copilot',
        },
      ]),
    ).toEqual({
      breaks: [
        { day: '2026-09-01', label: 'Licences for Payments', origin: 'config' },
        {
          day: '2026-11-16',
          label: 'Training week',
          note: 'Everyone in Platform got a workshop.',
          link: 'https://intranet.example.com/copilot',
          origin: 'config',
        },
      ],
      problems: [],
    });
  });

  it('names each bad entry and why, and keeps the good ones', () => {
    const result = readSeriesEventsConfig([
      { day: '2026-02-30', label: 'Not a day' },
      { day: '2026-9-1', label: 'Not the format' },
      { day: '2026-09-01', label: 'Fine' },
      { day: 20260901, label: 'A number' },
      { day: '2026-09-02' },
      { day: '2026-09-03', label: 'x'.repeat(81) },
      { day: '2026-09-04', label: 'Bad link', link: 'http://example.com' },
      { day: '2026-09-05', label: 'Empty note', note: '' },
      'just text',
    ]);
    expect(result.breaks.map(b => b.label)).toEqual(['Fine']);
    expect(result.problems).toEqual([
      'copilotUsage.seriesEvents[0].day must be a real day as YYYY-MM-DD, got "2026-02-30"',
      'copilotUsage.seriesEvents[1].day must be a real day as YYYY-MM-DD, got "2026-9-1"',
      'copilotUsage.seriesEvents[3].day must be a real day as YYYY-MM-DD, got 20260901',
      'copilotUsage.seriesEvents[4].label must be a non-empty text',
      'copilotUsage.seriesEvents[5].label must be at most 80 characters (put the rest in note)',
      'copilotUsage.seriesEvents[6].link must be an https:// address',
      'copilotUsage.seriesEvents[7].note must be a non-empty text',
      'copilotUsage.seriesEvents[8] must be an object with day and label',
    ]);
  });

  it('says so when the value is not a list', () => {
    expect(readSeriesEventsConfig({ day: '2026-09-01', label: 'x' })).toEqual({
      breaks: [],
      problems: [
        'copilotUsage.seriesEvents must be a list of { day, label, note?, link? }',
      ],
    });
  });
});

describe('mergeSeriesBreaks and seriesBreaksBetween', () => {
  const adopter = readSeriesEventsConfig([
    { day: '2026-10-06', label: 'Payments rollout' },
    { day: '2026-09-01', label: 'Licences for Payments' },
  ]).breaks;

  it('orders all events by day, GitHub first on a shared day', () => {
    const merged = mergeSeriesBreaks(GITHUB_SERIES_BREAKS, adopter);
    expect(merged.map(b => `${b.day} ${b.origin}`)).toEqual([
      '2026-07-28 github',
      '2026-09-01 config',
      '2026-10-06 github',
      '2026-10-06 config',
    ]);
  });

  it('keeps the events of the range, both ends included', () => {
    const merged = mergeSeriesBreaks(GITHUB_SERIES_BREAKS, adopter);
    expect(
      seriesBreaksBetween(merged, '2026-10-01', '2026-10-31').map(b => b.label),
    ).toEqual([
      'GitHub undercounts agents of older clients',
      'Payments rollout',
    ]);
    expect(seriesBreaksBetween(merged, '2026-11-01', '2026-11-30')).toEqual([]);
    expect(
      seriesBreaksBetween(merged, '2026-07-28', '2026-09-01').map(b => b.day),
    ).toEqual(['2026-07-28', '2026-09-01']);
  });
});
