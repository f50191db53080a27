import {
  MetricsDay,
  MetricsDocument,
  emptyCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  comparisonToCsv,
  csvField,
  documentFileName,
  metricsToCsv,
  toCsvText,
  userMetricsToCsv,
} from './csv';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['ünïcödé', 'ünïcödé'],
  ])('%j -> %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes numbers, booleans and empty cells as data', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField(0.25)).toBe('0.25');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });
});

describe('toCsvText', () => {
  it('ends every line with CRLF', () => {
    expect(toCsvText(['a', 'b'], [[1, '=x']])).toBe("a,b\r\n1,'=x\r\n");
  });
});

function day(partial: Partial<MetricsDay>): MetricsDay {
  return {
    day: '2026-11-01',
    activeUsers: 0,
    weeklyActiveUsers: 0,
    monthlyActiveUsers: 0,
    chatUsers: 0,
    agentUsers: 0,
    cliUsers: 0,
    monthlyActiveChatUsers: null,
    monthlyActiveAgentUsers: null,
    memberCount: 6,
    ...emptyCounters(),
    ...partial,
  };
}

function document(days: MetricsDay[]): MetricsDocument {
  return {
    scope: {
      type: 'team',
      entityRef: 'group:default/a',
      owner: { kind: 'org', name: 'acme' },
      org: 'acme',
      slug: 'a',
      title: '=A',
    },
    from: '2026-11-01',
    to: '2026-11-02',
    coverage: { daysInRange: 2, daysWithData: 2, lastDay: '2026-11-02' },
    eligible: true,
    minTeamSize: 5,
    suppressedDays: 0,
    days,
    totals: {
      ...emptyCounters(),
      activeUsers: 0,
      days: 0,
      completionAcceptanceRate: null,
      locAcceptanceRate: null,
    },
    breakdowns: {
      ide: [],
      language: [],
      feature: [],
      model: [],
      thirdPartyAgent: [],
    },
  };
}

describe('metricsToCsv', () => {
  it('writes one line per day under a header of metric keys, with daily rates', () => {
    const csv = metricsToCsv(
      document([
        day({
          day: '2026-11-01',
          activeUsers: 3,
          completionGenerations: 4,
          completionAcceptances: 1,
          cloudAgentUsers: 2,
          copilotAppUsers: 1,
          aiCredits: 12.5,
        }),
        day({ day: '2026-11-02', activeUsers: 2, source: 'import' }),
      ]),
    );
    const [header, first, second, rest] = csv.split('\r\n');
    const columns = header.split(',');
    expect(columns.slice(0, 4)).toEqual([
      'day',
      'source',
      'memberCount',
      'activeUsers',
    ]);
    expect(columns).toContain('completionAcceptanceRate');
    expect(columns).not.toContain('belowMinTeamSize');
    const cell = (line: string, column: string) =>
      line.split(',')[columns.indexOf(column)];
    expect(cell(first, 'day')).toBe('2026-11-01');
    expect(cell(first, 'activeUsers')).toBe('3');
    expect(cell(first, 'completionAcceptanceRate')).toBe('0.25');
    expect(cell(second, 'completionAcceptanceRate')).toBe('');
    // The report's newer fields, empty where a day does not carry them.
    expect(
      ['cloudAgentUsers', 'copilotAppUsers', 'aiCredits'].map(c => [
        cell(first, c),
        cell(second, c),
      ]),
    ).toEqual([
      ['2', ''],
      ['1', ''],
      ['12.5', ''],
    ]);
    // Imported days are told from report days (a day without a source is a report day).
    expect(cell(first, 'source')).toBe('report');
    expect(cell(second, 'source')).toBe('import');
    expect(rest).toBe('');
  });

  it('adds the suppression flag for documents built for admins', () => {
    const csv = metricsToCsv(document([day({ belowMinTeamSize: true })]));
    const [header, first] = csv.split('\r\n');
    expect(header.endsWith(',belowMinTeamSize')).toBe(true);
    expect(first.endsWith(',true')).toBe(true);
  });

  it('uses the org columns for an org', () => {
    const doc = document([
      day({ memberCount: null, monthlyActiveChatUsers: 9 }),
    ]);
    doc.scope = { type: 'org', org: 'acme' };
    const [header] = metricsToCsv(doc).split('\r\n');
    expect(header.startsWith('day,source,')).toBe(true);
    expect(header).toContain('monthlyActiveChatUsers');
    expect(header).not.toContain('memberCount');
  });
});

describe('userMetricsToCsv', () => {
  it('escapes text cells coming from stored data', () => {
    const csv = userMetricsToCsv({
      user: { entityRef: 'user:default/a', login: 'a' },
      from: '2026-11-01',
      to: '2026-11-01',
      days: [
        {
          day: '2026-11-01',
          org: '=cmd|calc',
          usedChat: true,
          usedAgent: false,
          usedCli: false,
          ...emptyCounters(),
        },
      ],
      totals: {
        ...emptyCounters(),
        activeUsers: 1,
        days: 1,
        completionAcceptanceRate: null,
        locAcceptanceRate: null,
      },
    });
    expect(
      csv
        .split('\r\n')[1]
        .startsWith("2026-11-01,'=cmd|calc,true,false,false,0"),
    ).toBe(true);
  });
});

describe('comparisonToCsv', () => {
  const totals = {
    ...emptyCounters(),
    activeUsers: 4,
    days: 3,
    completionAcceptanceRate: null,
    locAcceptanceRate: null,
  };

  it('writes daily adoption next to active users, and empty cells for teams without membership rows', () => {
    const csv = comparisonToCsv({
      owner: { kind: 'org', name: 'acme' },
      org: 'acme',
      from: '2026-11-01',
      to: '2026-11-03',
      minTeamSize: 5,
      items: [
        {
          owner: { kind: 'org', name: 'acme' },
          org: 'acme',
          slug: 'big',
          entityRef: 'group:default/big',
          title: 'Big',
          memberCount: 6,
          dailyAdoption: 0.25,
          eligible: true,
          suppressedDays: 0,
          totals,
        },
        {
          owner: { kind: 'org', name: 'acme' },
          org: 'acme',
          slug: 'ghost',
          entityRef: null,
          title: 'Ghost',
          memberCount: null,
          dailyAdoption: null,
          eligible: false,
          notEligibleReason: 'no-data',
          suppressedDays: 0,
          totals: { ...totals, activeUsers: 0, days: 0 },
        },
      ],
    });
    const [header, big, ghost] = csv.split('\r\n').map(line => line.split(','));
    const cell = (row: string[], column: string) => row[header.indexOf(column)];
    expect(header.slice(4, 11)).toEqual([
      'memberCount',
      'eligible',
      'suppressedDays',
      'days',
      'activeUsers',
      'dailyAdoption',
      'interactions',
    ]);
    expect(cell(big, 'memberCount')).toBe('6');
    expect(cell(big, 'dailyAdoption')).toBe('0.25');
    expect(cell(ghost, 'memberCount')).toBe('');
    expect(cell(ghost, 'dailyAdoption')).toBe('');
    expect(header[0]).toBe('org');
    expect(cell(big, 'org')).toBe('acme');
  });

  it("heads the owner column 'enterprise' for the enterprise's teams", () => {
    const owner = { kind: 'enterprise' as const, name: 'acme-corp' };
    const response = {
      owner,
      from: '2026-11-01',
      to: '2026-11-03',
      minTeamSize: 5,
      items: [
        {
          owner,
          slug: 'ent:ai-champions',
          entityRef: 'group:default/ai-champions',
          title: 'AI champions',
          memberCount: 6,
          dailyAdoption: 0.5,
          eligible: true,
          suppressedDays: 0,
          totals,
        },
      ],
    };
    const [header, row] = comparisonToCsv(response)
      .split('\r\n')
      .map(line => line.split(','));
    expect(header.slice(0, 2)).toEqual(['enterprise', 'slug']);
    expect(row.slice(0, 2)).toEqual(['acme-corp', 'ent:ai-champions']);
    expect(documentFileName(response)).toBe(
      'copilot-usage_acme-corp_teams_2026-11-01_2026-11-03.csv',
    );
  });
});
