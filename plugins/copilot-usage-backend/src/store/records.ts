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
  BreakdownCounters,
  BreakdownDayRow,
  BreakdownDimension,
  DataSource,
  IngestionLogEntry,
  IngestionSource,
  IngestionStatus,
  SeatRow,
  SyncState,
  TeamDayRollup,
  UserDayRow,
  UserTeamDayRow,
} from './types';
import { ReportKind } from '../lib/scope';

/** A record as the database driver returns it. */
export type DbRecord = Record<string, any>;

/** Column of each activity counter (`locAdded`: `loc_added`), in every table that carries them. */
export const COUNTER_COLUMNS = Object.fromEntries(
  METRICS_COUNTER_KEYS.map(key => [
    key,
    key.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`),
  ]),
) as Record<keyof MetricsCounters, string>;

/** The counters breakdown_day carries (every feature's; no `completion*`). */
export const BREAKDOWN_COUNTER_KEYS = METRICS_COUNTER_KEYS.filter(
  key => !key.startsWith('completion'),
) as ReadonlyArray<keyof BreakdownCounters>;

export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** SQLite stores booleans as 0/1. */
export function toBoolean(value: unknown): boolean {
  return (
    value === true ||
    value === 1 ||
    value === '1' ||
    value === 't' ||
    value === 'true'
  );
}

function countersToRecord<K extends keyof MetricsCounters>(
  row: Record<K, number>,
  keys: ReadonlyArray<K> = METRICS_COUNTER_KEYS as K[],
): DbRecord {
  const record: DbRecord = {};
  for (const key of keys) {
    record[COUNTER_COLUMNS[key]] = row[key] ?? 0;
  }
  return record;
}

function countersFromRecord<K extends keyof MetricsCounters>(
  record: DbRecord,
  keys: ReadonlyArray<K> = METRICS_COUNTER_KEYS as K[],
): Record<K, number> {
  const counters = {} as Record<K, number>;
  for (const key of keys) {
    counters[key] = toNumber(record[COUNTER_COLUMNS[key]]);
  }
  return counters;
}

export function userDayToRecord(row: UserDayRow): DbRecord {
  return {
    scope: row.scope,
    day: row.day,
    user_id: row.userId,
    user_login: row.userLogin,
    ...countersToRecord(row),
    used_chat: row.usedChat,
    used_agent: row.usedAgent,
    used_cli: row.usedCli,
    raw: row.raw,
  };
}

export function userDayFromRecord(record: DbRecord): UserDayRow {
  return {
    scope: record.scope,
    day: record.day,
    userId: toNumber(record.user_id),
    userLogin: record.user_login,
    ...countersFromRecord(record),
    usedChat: toBoolean(record.used_chat),
    usedAgent: toBoolean(record.used_agent),
    usedCli: toBoolean(record.used_cli),
    raw: record.raw,
  };
}

export function userTeamDayToRecord(row: UserTeamDayRow): DbRecord {
  return {
    scope: row.scope,
    day: row.day,
    user_id: row.userId,
    user_login: row.userLogin,
    team_id: row.teamId,
    team_slug: row.teamSlug,
    raw: row.raw ?? null,
  };
}

export function aggregateDayToRecord(row: AggregateDayRow): DbRecord {
  return {
    scope: row.scope,
    day: row.day,
    daily_active_users: row.dailyActiveUsers,
    weekly_active_users: row.weeklyActiveUsers,
    monthly_active_users: row.monthlyActiveUsers,
    monthly_active_chat_users: row.monthlyActiveChatUsers,
    monthly_active_agent_users: row.monthlyActiveAgentUsers,
    daily_active_cli_users: row.dailyActiveCliUsers,
    ...countersToRecord(row),
    raw: row.raw,
    source: row.source ?? 'report',
  };
}

export function aggregateDayFromRecord(
  record: DbRecord,
): Omit<AggregateDayRow, 'raw'> {
  return {
    scope: record.scope,
    day: record.day,
    dailyActiveUsers: toNumber(record.daily_active_users),
    weeklyActiveUsers: toNumber(record.weekly_active_users),
    monthlyActiveUsers: toNumber(record.monthly_active_users),
    monthlyActiveChatUsers: toNumber(record.monthly_active_chat_users),
    monthlyActiveAgentUsers: toNumber(record.monthly_active_agent_users),
    dailyActiveCliUsers: toNullableNumber(record.daily_active_cli_users),
    ...countersFromRecord(record),
    ...sourceFromRecord(record),
  };
}

export function breakdownDayToRecord(row: BreakdownDayRow): DbRecord {
  return {
    scope: row.scope,
    day: row.day,
    subject: row.subject,
    dimension: row.dimension,
    key: row.key,
    users: row.users ?? 0,
    ...countersToRecord(row, BREAKDOWN_COUNTER_KEYS),
  };
}

export function breakdownTotalFromRecord(
  record: DbRecord,
): Omit<BreakdownDayRow, 'scope' | 'day' | 'subject'> {
  return {
    dimension: record.dimension as BreakdownDimension,
    key: record.key as string,
    users: toNumber(record.users),
    ...countersFromRecord(record, BREAKDOWN_COUNTER_KEYS),
  };
}

export function teamDayFromRecord(record: DbRecord): TeamDayRollup {
  return {
    scope: record.scope,
    day: record.day,
    teamSlug: record.team_slug,
    teamId: toNumber(record.team_id),
    memberCount: toNumber(record.member_count),
    activeUsers: toNumber(record.active_users),
    weeklyActiveUsers: toNumber(record.weekly_active_users),
    monthlyActiveUsers: toNumber(record.monthly_active_users),
    chatUsers: toNumber(record.chat_users),
    agentUsers: toNumber(record.agent_users),
    cliUsers: toNumber(record.cli_users),
    ...countersFromRecord(record),
    ...sourceFromRecord(record),
  };
}

/** `source` is only set on imported rows; absent means `report`. */
function sourceFromRecord(record: DbRecord): { source?: DataSource } {
  return record.source === 'import' ? { source: 'import' } : {};
}

/** A team day as the importer stores it (no per-user rows behind it). */
export function teamDayToRecord(row: TeamDayRollup): DbRecord {
  return {
    scope: row.scope,
    day: row.day,
    team_slug: row.teamSlug,
    team_id: row.teamId,
    member_count: row.memberCount,
    active_users: row.activeUsers,
    weekly_active_users: row.weeklyActiveUsers,
    monthly_active_users: row.monthlyActiveUsers,
    chat_users: row.chatUsers,
    agent_users: row.agentUsers,
    cli_users: row.cliUsers,
    ...countersToRecord(row),
    source: row.source ?? 'report',
  };
}

export function seatToRecord(row: SeatRow): DbRecord {
  return {
    scope: row.scope,
    snapshot_day: row.snapshotDay,
    user_login: row.userLogin,
    user_id: row.userId,
    plan_type: row.planType,
    created_at: row.createdAt,
    last_activity_at: row.lastActivityAt,
    last_activity_editor: row.lastActivityEditor,
    last_authenticated_at: row.lastAuthenticatedAt,
    pending_cancellation_date: row.pendingCancellationDate,
    assigning_team_slug: row.assigningTeamSlug,
    raw: row.raw,
  };
}

export function seatFromRecord(record: DbRecord): SeatRow {
  return {
    scope: record.scope,
    snapshotDay: record.snapshot_day,
    userLogin: record.user_login,
    userId: toNullableNumber(record.user_id),
    planType: record.plan_type ?? null,
    createdAt: record.created_at ?? null,
    lastActivityAt: record.last_activity_at ?? null,
    lastActivityEditor: record.last_activity_editor ?? null,
    lastAuthenticatedAt: record.last_authenticated_at ?? null,
    pendingCancellationDate: record.pending_cancellation_date ?? null,
    assigningTeamSlug: record.assigning_team_slug ?? null,
    raw: record.raw,
  };
}

export function ingestionLogToRecord(entry: IngestionLogEntry): DbRecord {
  return {
    scope: entry.scope,
    day: entry.day,
    report: entry.report,
    status: entry.status,
    rows: entry.rows,
    source: entry.source,
    error: entry.error ?? null,
    updated_at: entry.updatedAt,
  };
}

export function ingestionLogFromRecord(record: DbRecord): IngestionLogEntry {
  return {
    scope: record.scope,
    day: record.day,
    report: record.report as ReportKind,
    status: record.status as IngestionStatus,
    rows: toNumber(record.rows),
    source: record.source as IngestionSource,
    ...(record.error !== null && record.error !== undefined
      ? { error: record.error }
      : {}),
    updatedAt: record.updated_at,
  };
}

const SYNC_STATE_COLUMNS = {
  running: 'running',
  lastRunStartedAt: 'last_run_started_at',
  lastRunFinishedAt: 'last_run_finished_at',
  daysDone: 'days_done',
  daysTotal: 'days_total',
  lastError: 'last_error',
  rollupsPendingFrom: 'rollups_pending_from',
  requestedAt: 'requested_at',
  pendingDays: 'pending_days',
  heartbeatAt: 'heartbeat_at',
  leaseExpiresAt: 'lease_expires_at',
} as const satisfies Record<keyof Omit<SyncState, 'scope'>, string>;

/** Only the fields present in the patch, so an update leaves the others alone. */
export function syncStatePatchToRecord(
  patch: Partial<Omit<SyncState, 'scope'>>,
): DbRecord {
  const record: DbRecord = {};
  for (const [field, column] of Object.entries(SYNC_STATE_COLUMNS)) {
    const value = patch[field as keyof typeof SYNC_STATE_COLUMNS];
    if (value !== undefined) {
      record[column] = Array.isArray(value) ? JSON.stringify(value) : value;
    }
  }
  return record;
}

export function syncStateFromRecord(record: DbRecord): SyncState {
  return {
    scope: record.scope,
    running: toBoolean(record.running),
    lastRunStartedAt: record.last_run_started_at ?? null,
    lastRunFinishedAt: record.last_run_finished_at ?? null,
    daysDone: toNumber(record.days_done),
    daysTotal: toNumber(record.days_total),
    lastError: record.last_error ?? null,
    rollupsPendingFrom: record.rollups_pending_from ?? null,
    requestedAt: record.requested_at ?? null,
    pendingDays: record.pending_days ? JSON.parse(record.pending_days) : null,
    heartbeatAt: record.heartbeat_at ?? null,
    leaseExpiresAt: record.lease_expires_at ?? null,
  };
}
