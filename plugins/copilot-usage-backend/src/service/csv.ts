import {
  InactiveSeat,
  InactiveSeatsResponse,
  METRICS_COUNTER_KEYS,
  MetricsDay,
  MetricsDocument,
  TeamComparisonResponse,
  UserMetricsDay,
  UserMetricsDocument,
  completionAcceptanceRate,
  locAcceptanceRate,
  scopeOwner,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';

export type CsvCell = string | number | boolean | null | undefined;

// Spreadsheets run a cell starting with one of these as a formula.
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field: formula triggers defused with a leading `'`, RFC 4180 quoting. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) {
    return '';
  }
  if (typeof cell !== 'string') {
    // Numbers and booleans are data, never formulas (a negative number stays a number).
    return String(cell);
  }
  const text = FORMULA_TRIGGER.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV text: a header line, then one line per row, CRLF line ends (RFC 4180). */
export function toCsvText(header: string[], rows: CsvCell[][]): string {
  return [header, ...rows]
    .map(row => `${row.map(csvField).join(',')}\r\n`)
    .join('');
}

type DayColumn =
  keyof MetricsDay | 'completionAcceptanceRate' | 'locAcceptanceRate';

// `source` tells imported days (`import`) from report days (`report`).
const TEAM_COLUMNS: DayColumn[] = [
  'day',
  'source',
  'memberCount',
  'activeUsers',
  'weeklyActiveUsers',
  'monthlyActiveUsers',
  'chatUsers',
  'agentUsers',
  'cliUsers',
  'cloudAgentUsers',
  'copilotAppUsers',
  'aiCredits',
  ...METRICS_COUNTER_KEYS,
  'completionAcceptanceRate',
  'locAcceptanceRate',
];

const ORG_COLUMNS: DayColumn[] = [
  'day',
  'source',
  'activeUsers',
  'weeklyActiveUsers',
  'monthlyActiveUsers',
  'chatUsers',
  'agentUsers',
  'cliUsers',
  'cloudAgentUsers',
  'copilotAppUsers',
  'aiCredits',
  'monthlyActiveChatUsers',
  'monthlyActiveAgentUsers',
  ...METRICS_COUNTER_KEYS,
  'completionAcceptanceRate',
  'locAcceptanceRate',
];

function dayCell(day: MetricsDay, column: DayColumn): CsvCell {
  switch (column) {
    case 'completionAcceptanceRate':
      return completionAcceptanceRate(day);
    case 'locAcceptanceRate':
      return locAcceptanceRate(day);
    case 'source':
      return day.source ?? 'report';
    default:
      return day[column];
  }
}

/**
 * The series of a metrics document as CSV: one line per day, the metric keys
 * (see `METRIC_DEFINITIONS`) as the header. Rates are each day's own rate.
 * Documents built for admins get a `belowMinTeamSize` column.
 */
export function metricsToCsv(document: MetricsDocument): string {
  const columns: DayColumn[] = [
    ...(document.scope.type === 'team' ? TEAM_COLUMNS : ORG_COLUMNS),
  ];
  if (document.days.some(day => day.belowMinTeamSize !== undefined)) {
    columns.push('belowMinTeamSize');
  }
  return toCsvText(
    columns,
    document.days.map(day => columns.map(column => dayCell(day, column))),
  );
}

const USER_COLUMNS: Array<keyof UserMetricsDay> = [
  'day',
  'org',
  'usedChat',
  'usedAgent',
  'usedCli',
  ...METRICS_COUNTER_KEYS,
];

/** The signed-in user's own rows as CSV: one line per day and org. */
export function userMetricsToCsv(document: UserMetricsDocument): string {
  return toCsvText(
    USER_COLUMNS,
    document.days.map(day => USER_COLUMNS.map(column => day[column])),
  );
}

/** A file name for a CSV download, from safe characters only. */
export function csvFileName(...parts: string[]): string {
  return `${parts.map(part => part.replace(/[^a-zA-Z0-9._-]+/g, '_')).join('_')}.csv`;
}

export type CsvDocument =
  | MetricsDocument
  | TeamComparisonResponse
  | UserMetricsDocument
  | InactiveSeatsResponse;

/**
 * The download name of a document's CSV: `copilot-usage_<whose>_<from>_<to>.csv`,
 * for the seat list `copilot-usage_<org or enterprise>_inactive-seats_<snapshot day>.csv`.
 */
export function documentFileName(document: CsvDocument): string {
  if ('activeSince' in document) {
    return csvFileName(
      'copilot-usage',
      document.owner.name,
      'inactive-seats',
      document.snapshotDay ?? 'none',
    );
  }
  let whose: string[];
  if ('user' in document) {
    whose = [document.user.login];
  } else if ('items' in document) {
    whose = [document.owner.name, 'teams'];
  } else {
    const { scope } = document;
    whose =
      scope.type === 'team'
        ? [scope.owner.name, scope.slug]
        : [scopeOwner(scope)];
  }
  return csvFileName('copilot-usage', ...whose, document.from, document.to);
}

const COMPARISON_COLUMNS = [
  'owner',
  'slug',
  'entityRef',
  'title',
  'memberCount',
  'eligible',
  'suppressedDays',
  'days',
  'activeUsers',
  'dailyAdoption',
  ...METRICS_COUNTER_KEYS,
  'completionAcceptanceRate',
  'locAcceptanceRate',
] as const;

/**
 * The admin team comparison as CSV: one line per team, totals over the range.
 * The first column, the teams' owner, is headed `org` for an org's teams (as it
 * always was) and `enterprise` for the enterprise's.
 */
export function comparisonToCsv(response: TeamComparisonResponse): string {
  return toCsvText(
    COMPARISON_COLUMNS.map(column =>
      column === 'owner' ? response.owner.kind : column,
    ),
    response.items.map(row =>
      COMPARISON_COLUMNS.map(column => {
        switch (column) {
          case 'owner':
            return row.owner.name;
          case 'slug':
          case 'entityRef':
          case 'title':
          case 'memberCount':
          case 'eligible':
          case 'suppressedDays':
          case 'dailyAdoption':
            return row[column];
          default:
            return row.totals[column];
        }
      }),
    ),
  );
}

const INACTIVE_SEAT_COLUMNS = [
  'login',
  'status',
  'lastActivityAt',
  'lastActivityEditor',
  'assignedAt',
  'pendingCancellationDate',
  'grantedBy',
] as const satisfies ReadonlyArray<keyof InactiveSeat>;

/** A seat's grants in one cell: `org/team` or `org` (or the team alone), `; ` between. */
function grantsCell(grants: InactiveSeat['grantedBy']): string {
  return grants
    .map(({ org, team }) => [org, team].filter(Boolean).join('/'))
    .join('; ');
}

/**
 * The seats not used in 30 days as CSV: one line per seat holder, longest
 * unused first; `grantedBy` lists every org (and team) the person's seats come from.
 */
export function inactiveSeatsToCsv(response: InactiveSeatsResponse): string {
  return toCsvText(
    [...INACTIVE_SEAT_COLUMNS],
    response.items.map(seat =>
      INACTIVE_SEAT_COLUMNS.map(column =>
        column === 'grantedBy' ? grantsCell(seat.grantedBy) : seat[column],
      ),
    ),
  );
}
