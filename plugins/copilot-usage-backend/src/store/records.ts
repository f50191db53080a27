/**
 * Mapping between the row types of `./types` and the database records of the
 * migrations. Both engines are normalised here: PostgreSQL returns bigint columns and
 * aggregates as strings, SQLite returns booleans as 0/1.
 */
import {
  METRICS_COUNTER_KEYS,
  MetricsCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import {
  AggregateDayRow,
  ArchiveState,
  BreakdownDayRow,
  IngestionLogEntry,
  RestoreState,
  SeatRow,
  SyncState,
  TeamDayRollup,
  StoredUserDayRow,
  UserTeamDayRow,
} from './types';
import { ACTIVITY_COUNTER_KEYS } from '../lib/counters';
import type { BreakdownTotal } from './CopilotUsageStore';

/** A record as the database driver returns it. */
export type DbRecord = Record<string, any>;

/** Column of each activity counter (`locAdded`: `loc_added`), in every table that carries them. */
export const COUNTER_COLUMNS = Object.fromEntries(
  METRICS_COUNTER_KEYS.map(key => [
    key,
    key.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`),
  ]),
) as Record<keyof MetricsCounters, string>;

export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** What a true boolean column reads back as (SQLite stores booleans as 0/1). */
const TRUE_VALUES: unknown[] = [true, 1, '1', 't', 'true'];

/**
 * How a column reads back. `value` and the custom readers leave the field out when
 * they give `undefined` (a column the query did not select, an absent `error`).
 */
const READERS = {
  value: (value: unknown) => value,
  nullable: (value: unknown) => value ?? null,
  number: toNumber,
  nullableNumber: (value: unknown) =>
    value === null || value === undefined ? null : Number(value),
  boolean: (value: unknown) => TRUE_VALUES.includes(value),
  json: (value: unknown) => (value ? JSON.parse(value as string) : null),
  /** `source` is only set on imported rows; absent means `report`. */
  importSource: (value: unknown) => (value === 'import' ? 'import' : undefined),
  optional: (value: unknown) => value ?? undefined,
};

/** A field's column, how it reads back, and what an absent value is written as (null by default). */
type ColumnSpec = readonly [
  column: string,
  read: keyof typeof READERS,
  absentAs?: unknown,
];

/**
 * One list of a table's fields and columns that serves the writes and the reads.
 * `toRecord` writes every listed column; `patchToRecord` only the fields present.
 */
function recordMapping<T extends object>(
  columns: Partial<Record<keyof T & string, ColumnSpec>>,
) {
  const entries = Object.entries(columns) as Array<[keyof T, ColumnSpec]>;
  const write = (value: unknown) =>
    Array.isArray(value) ? JSON.stringify(value) : value;
  return {
    toRecord(row: T): DbRecord {
      const record: DbRecord = {};
      for (const [field, [column, , absentAs = null]] of entries) {
        record[column] = write(row[field] ?? absentAs);
      }
      return record;
    },
    patchToRecord(patch: Partial<T>): DbRecord {
      const record: DbRecord = {};
      for (const [field, [column]] of entries) {
        if (patch[field] !== undefined) record[column] = write(patch[field]);
      }
      return record;
    },
    fromRecord(record: DbRecord): T {
      const row = {} as Record<keyof T, unknown>;
      for (const [field, [column, read]] of entries) {
        const value = READERS[read](record[column]);
        if (value !== undefined) row[field] = value;
      }
      return row as T;
    },
  };
}

function counterColumns<K extends keyof MetricsCounters>(
  keys: ReadonlyArray<K> = METRICS_COUNTER_KEYS as K[],
): Record<K, ColumnSpec> {
  return Object.fromEntries(
    keys.map(key => {
      const spec: ColumnSpec = [COUNTER_COLUMNS[key], 'number', 0];
      return [key, spec];
    }),
  ) as Record<K, ColumnSpec>;
}

const SCOPE_DAY = {
  scope: ['scope', 'value'],
  day: ['day', 'value'],
} as const;

export const { toRecord: userDayToRecord, fromRecord: userDayFromRecord } =
  recordMapping<StoredUserDayRow>({
    ...SCOPE_DAY,
    userId: ['user_id', 'number'],
    userLogin: ['user_login', 'value'],
    ...counterColumns(),
    usedChat: ['used_chat', 'boolean'],
    usedAgent: ['used_agent', 'boolean'],
    usedCli: ['used_cli', 'boolean'],
    usedCloudAgent: ['used_cloud_agent', 'boolean', false],
    usedCopilotApp: ['used_copilot_app', 'boolean', false],
    aiCreditsUsed: ['ai_credits_used', 'nullableNumber'],
  });

export const { toRecord: userTeamDayToRecord } = recordMapping<UserTeamDayRow>({
  ...SCOPE_DAY,
  userId: ['user_id', 'number'],
  userLogin: ['user_login', 'value'],
  teamId: ['team_id', 'number'],
  teamSlug: ['team_slug', 'value'],
});

const AGGREGATE_DAY_COLUMNS = {
  ...SCOPE_DAY,
  dailyActiveUsers: ['daily_active_users', 'number'],
  weeklyActiveUsers: ['weekly_active_users', 'number'],
  monthlyActiveUsers: ['monthly_active_users', 'number'],
  monthlyActiveChatUsers: ['monthly_active_chat_users', 'number'],
  monthlyActiveAgentUsers: ['monthly_active_agent_users', 'number'],
  dailyActiveCliUsers: ['daily_active_cli_users', 'nullableNumber'],
  ...counterColumns(),
  raw: ['raw', 'value'],
  source: ['source', 'importSource', 'report'],
} as const;
export const { toRecord: aggregateDayToRecord } =
  recordMapping<AggregateDayRow>(AGGREGATE_DAY_COLUMNS);
// Metrics read aggregate days without GitHub's line.
const { raw: _raw, ...AGGREGATE_DAY_METRIC_COLUMNS } = AGGREGATE_DAY_COLUMNS;
export const { fromRecord: aggregateDayFromRecord } = recordMapping<
  Omit<AggregateDayRow, 'raw'>
>(AGGREGATE_DAY_METRIC_COLUMNS);

export const { toRecord: breakdownDayToRecord } =
  recordMapping<BreakdownDayRow>({
    ...SCOPE_DAY,
    subject: ['subject', 'value'],
    dimension: ['dimension', 'value'],
    key: ['key', 'value'],
    users: ['users', 'number', 0],
    ...counterColumns(ACTIVITY_COUNTER_KEYS),
  });

/** A breakdown entry summed over days (no scope, day or subject). */
export const { fromRecord: breakdownTotalFromRecord } =
  recordMapping<BreakdownTotal>({
    dimension: ['dimension', 'value'],
    key: ['key', 'value'],
    users: ['users', 'number'],
    ...counterColumns(ACTIVITY_COUNTER_KEYS),
  });

/** Team days: the rollups read back, and imported team days written as such. */
export const { toRecord: teamDayToRecord, fromRecord: teamDayFromRecord } =
  recordMapping<TeamDayRollup>({
    ...SCOPE_DAY,
    teamSlug: ['team_slug', 'value'],
    teamId: ['team_id', 'number'],
    memberCount: ['member_count', 'number'],
    activeUsers: ['active_users', 'number'],
    weeklyActiveUsers: ['weekly_active_users', 'number'],
    monthlyActiveUsers: ['monthly_active_users', 'number'],
    chatUsers: ['chat_users', 'number'],
    agentUsers: ['agent_users', 'number'],
    cliUsers: ['cli_users', 'number'],
    cloudAgentUsers: ['cloud_agent_users', 'nullableNumber'],
    copilotAppUsers: ['copilot_app_users', 'nullableNumber'],
    aiCredits: ['ai_credits', 'nullableNumber'],
    ...counterColumns(),
    source: ['source', 'importSource', 'report'],
  });

export const { toRecord: seatToRecord, fromRecord: seatFromRecord } =
  recordMapping<SeatRow>({
    scope: ['scope', 'value'],
    snapshotDay: ['snapshot_day', 'value'],
    userLogin: ['user_login', 'value'],
    userId: ['user_id', 'nullableNumber'],
    planType: ['plan_type', 'nullable'],
    createdAt: ['created_at', 'nullable'],
    lastActivityAt: ['last_activity_at', 'nullable'],
    lastActivityEditor: ['last_activity_editor', 'nullable'],
    lastAuthenticatedAt: ['last_authenticated_at', 'nullable'],
    pendingCancellationDate: ['pending_cancellation_date', 'nullable'],
    assigningTeamSlug: ['assigning_team_slug', 'nullable'],
    raw: ['raw', 'value'],
  });

export const {
  toRecord: ingestionLogToRecord,
  fromRecord: ingestionLogFromRecord,
} = recordMapping<IngestionLogEntry>({
  ...SCOPE_DAY,
  report: ['report', 'value'],
  status: ['status', 'value'],
  rows: ['rows', 'number'],
  source: ['source', 'value'],
  error: ['error', 'optional'],
  updatedAt: ['updated_at', 'value'],
});

/** Sync state is written as patches, so an update leaves the other fields alone. */
export const {
  patchToRecord: syncStatePatchToRecord,
  fromRecord: syncStateFromRecord,
} = recordMapping<SyncState>({
  scope: ['scope', 'value'],
  running: ['running', 'boolean'],
  lastRunStartedAt: ['last_run_started_at', 'nullable'],
  lastRunFinishedAt: ['last_run_finished_at', 'nullable'],
  daysDone: ['days_done', 'number'],
  daysTotal: ['days_total', 'number'],
  lastError: ['last_error', 'nullable'],
  rollupsPendingFrom: ['rollups_pending_from', 'nullable'],
  rollupsPendingTo: ['rollups_pending_to', 'nullable'],
  requestedAt: ['requested_at', 'nullable'],
  pendingDays: ['pending_days', 'json'],
  heartbeatAt: ['heartbeat_at', 'nullable'],
  leaseExpiresAt: ['lease_expires_at', 'nullable'],
});

export const {
  patchToRecord: archiveStatePatchToRecord,
  fromRecord: archiveStateFromRecord,
} = recordMapping<ArchiveState>({
  scope: ['scope', 'value'],
  lastRunAt: ['last_run_at', 'nullable'],
  lastSuccessAt: ['last_success_at', 'nullable'],
  lastError: ['last_error', 'nullable'],
});

export const { fromRecord: restoreStateFromRecord } =
  recordMapping<RestoreState>({
    trigger: ['trigger', 'nullable'],
    startedAt: ['started_at', 'nullable'],
    heartbeatAt: ['heartbeat_at', 'nullable'],
    finishedAt: ['finished_at', 'nullable'],
    lastError: ['last_error', 'nullable'],
    summary: ['summary', 'json'],
  });
