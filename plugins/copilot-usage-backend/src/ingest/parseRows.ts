import { MetricsCounters } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { z } from 'zod';
import {
  addGithubCounts,
  countersFromGithub,
  emptyActivity,
  GITHUB_COUNTER_FIELDS,
  GithubCounts,
  githubCounterFields,
  metricsFromGithub,
} from '../lib/counters';
import { formatIssues } from '../lib/zod';
import {
  AggregateDayRow,
  BreakdownCounters,
  BreakdownDayRow,
  BreakdownDimension,
  ClientVersionSample,
  SeatRow,
  UserDayRow,
  UserTeamDayRow,
} from '../store/types';
import { ScopeKey } from '../lib/scope';

/** Which scope and day a record was requested for; records of another day are rejected. */
export interface RecordContext {
  scope: ScopeKey;
  day: string;
}

/** A report record that does not have the fields the plugin needs. */
export class ReportRecordError extends Error {
  readonly name = 'ReportRecordError';
}

const count = z.number().nonnegative().default(0);
const flag = z
  .boolean()
  .nullish()
  .transform(v => v ?? false);
const id = z.union([
  z.number().int(),
  z.string().regex(/^\d+$/).transform(Number),
]);
const login = z.string().min(1);
/** The counts of a record and of each of its breakdown entries. */
const activityCounts = githubCounterFields(count);
const breakdownEntry = z.looseObject(activityCounts);
/** A string field read leniently: absent, or of another type, counts as absent. */
const lenientString = z.string().optional().catch(undefined);
const ideVersions = {
  last_known_ide_version: z
    .looseObject({ ide_version: lenientString })
    .nullish()
    .catch(undefined),
  last_known_plugin_version: z
    .looseObject({ plugin: lenientString, plugin_version: lenientString })
    .nullish()
    .catch(undefined),
};
/**
 * GitHub's `totals_by_3rd_party_agent[]` (since 2026-08): Claude, Codex and other
 * agent apps, by `agent_id` (stable) and `agent_name`; only interactions are counted.
 */
const thirdPartyAgent = z.looseObject({
  agent_id: z.union([z.string(), z.number()]).nullish(),
  agent_name: z.string().nullish(),
  user_initiated_interaction_count: count,
});
const breakdowns = {
  totals_by_ide: z
    .array(breakdownEntry.extend({ ide: z.string(), ...ideVersions }))
    .nullish(),
  totals_by_feature: z
    .array(breakdownEntry.extend({ feature: z.string() }))
    .nullish(),
  totals_by_language_feature: z
    .array(breakdownEntry.extend({ language: z.string(), feature: z.string() }))
    .nullish(),
  totals_by_model_feature: z
    .array(breakdownEntry.extend({ model: z.string(), feature: z.string() }))
    .nullish(),
  totals_by_3rd_party_agent: z.array(thirdPartyAgent).nullish(),
};
const activity = { ...activityCounts, ...breakdowns };

// Built once: zod compiles a schema on first use, far too slow to do per record.
const userRecord = z.looseObject({
  user_id: id,
  user_login: login,
  day: z.string(),
  used_chat: flag,
  used_agent: flag,
  used_cli: flag,
  used_copilot_coding_agent: flag,
  used_copilot_cloud_agent: flag,
  used_copilot_app: flag,
  ai_credits_used: z.number().nonnegative().nullish(),
  totals_by_cli: z
    .looseObject({
      last_known_cli_version: z
        .looseObject({ cli_version: lenientString })
        .nullish()
        .catch(undefined),
    })
    .nullish(),
  ...activity,
});

const userTeamRecord = z.looseObject({
  user_id: id,
  user_login: login,
  day: z.string(),
  team_id: id,
  slug: z.string().min(1),
});

const aggregateRecord = z.looseObject({
  day: z.string(),
  daily_active_users: count,
  weekly_active_users: count,
  monthly_active_users: count,
  monthly_active_chat_users: count,
  monthly_active_agent_users: count,
  daily_active_cli_users: z.number().nonnegative().nullish(),
  ...activity,
});

type ActivityRecord = z.infer<z.ZodObject<typeof activity>>;

function parse<T extends z.ZodType>(
  schema: T,
  record: unknown,
  what: string,
  ctx?: RecordContext,
): z.infer<T> {
  const result = schema.safeParse(record);
  if (!result.success) {
    throw new ReportRecordError(
      `Invalid ${what} record: ${formatIssues(result.error, { empty: '(record)' })}`,
    );
  }
  const day = (result.data as { day?: unknown }).day;
  if (ctx && day !== ctx.day) {
    throw new ReportRecordError(
      `Invalid ${what} record: day: must be the requested day ${ctx.day}, got ${day}`,
    );
  }
  return result.data;
}

/** All counters of a record: its own, and those of its `code_completion` entry. */
function countersOf(record: UserRecordView | ActivityRecord): MetricsCounters {
  return metricsFromGithub(
    record,
    record.totals_by_feature?.find(f => f.feature === 'code_completion'),
  );
}

/**
 * What the row builders read of a users-1-day record: zod's output, or the record
 * itself when {@link isPlainUserRecord} vouched for it (absent counts then read as 0,
 * absent flags as false, malformed version objects as absent, as zod gives them).
 */
interface UserRecordView extends GithubCounts {
  user_id: number;
  user_login: string;
  used_chat?: boolean | null;
  used_agent?: boolean | null;
  used_cli?: boolean | null;
  used_copilot_coding_agent?: boolean | null;
  used_copilot_cloud_agent?: boolean | null;
  used_copilot_app?: boolean | null;
  ai_credits_used?: number | null;
  totals_by_cli?: { last_known_cli_version?: unknown } | null;
  totals_by_ide?: Array<
    GithubCounts & {
      ide: string;
      last_known_ide_version?: unknown;
      last_known_plugin_version?: unknown;
    }
  > | null;
  totals_by_feature?: Array<GithubCounts & { feature: string }> | null;
  totals_by_language_feature?: Array<
    GithubCounts & { language: string; feature: string }
  > | null;
  totals_by_model_feature?: Array<
    GithubCounts & { model: string; feature: string }
  > | null;
  totals_by_3rd_party_agent?: Array<{
    agent_id?: string | number | null;
    agent_name?: string | null;
    user_initiated_interaction_count?: number;
  }> | null;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrictCount = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0;
/** `count`: absent (0), or a finite number >= 0. */
const isCount = (v: unknown) => v === undefined || isStrictCount(v);
/** `flag`: absent, null or a boolean. */
const isFlag = (v: unknown) =>
  v === undefined || v === null || typeof v === 'boolean';
const COUNTER_FIELDS = Object.values(GITHUB_COUNTER_FIELDS);
const FLAG_FIELDS = [
  'used_chat',
  'used_agent',
  'used_cli',
  'used_copilot_coding_agent',
  'used_copilot_cloud_agent',
  'used_copilot_app',
];

function hasCounts(entry: Record<string, unknown>): boolean {
  for (const field of COUNTER_FIELDS) {
    if (!isCount(entry[field])) return false;
  }
  return true;
}

/** Absent, null, or an array of objects each with counts and string `keys`. */
function isPlainBreakdown(value: unknown, keys: string[]): boolean {
  if (value === undefined || value === null) return true;
  if (!Array.isArray(value)) return false;
  for (const entry of value) {
    if (!isPlainObject(entry) || !hasCounts(entry)) return false;
    for (const key of keys) {
      if (typeof entry[key] !== 'string') return false;
    }
  }
  return true;
}

/**
 * Whether `record` is a users-1-day record of `day` in the form zod would accept and
 * give back unchanged in every field the row builders read: then the builders read
 * it as it is, without zod copying every nested entry (a sync's hottest code path).
 * Anything else, valid or not, goes through zod, which normalises it or says what
 * is wrong, so the results and the error messages are zod's either way.
 */
function isPlainUserRecord(
  record: unknown,
  day: string,
): record is UserRecordView {
  if (!isPlainObject(record)) return false;
  const r = record;
  if (
    !Number.isSafeInteger(r.user_id) ||
    typeof r.user_login !== 'string' ||
    r.user_login.length === 0 ||
    r.day !== day ||
    !hasCounts(r)
  ) {
    return false;
  }
  for (const field of FLAG_FIELDS) {
    if (!isFlag(r[field])) return false;
  }
  const credits = r.ai_credits_used;
  if (credits !== undefined && credits !== null && !isStrictCount(credits)) {
    return false;
  }
  const cli = r.totals_by_cli;
  if (cli !== undefined && cli !== null && !isPlainObject(cli)) return false;
  if (
    !isPlainBreakdown(r.totals_by_ide, ['ide']) ||
    !isPlainBreakdown(r.totals_by_feature, ['feature']) ||
    !isPlainBreakdown(r.totals_by_language_feature, ['language', 'feature']) ||
    !isPlainBreakdown(r.totals_by_model_feature, ['model', 'feature'])
  ) {
    return false;
  }
  const agents = r.totals_by_3rd_party_agent;
  if (agents !== undefined && agents !== null) {
    if (!Array.isArray(agents)) return false;
    for (const agent of agents) {
      if (
        !isPlainObject(agent) ||
        !isCount(agent.user_initiated_interaction_count) ||
        !(
          agent.agent_id === undefined ||
          agent.agent_id === null ||
          typeof agent.agent_id === 'string' ||
          (typeof agent.agent_id === 'number' &&
            Number.isFinite(agent.agent_id))
        ) ||
        !(
          agent.agent_name === undefined ||
          agent.agent_name === null ||
          typeof agent.agent_name === 'string'
        )
      ) {
        return false;
      }
    }
  }
  return true;
}

/** A users-1-day record; `parsed` keeps the breakdowns for team accumulation. */
export function parseUserDay(
  record: unknown,
  ctx: RecordContext,
  /** The record's line as GitHub sent it, when the reader has it. */
  text?: string,
): { row: UserDayRow; breakdowns: BreakdownValues } {
  const view: UserRecordView = isPlainUserRecord(record, ctx.day)
    ? record
    : parse(userRecord, record, 'users-1-day', ctx);
  return userDayOf(view, record, ctx, text);
}

/** {@link parseUserDay} through zod alone (tests compare the two paths). */
export function parseUserDayWithZod(
  record: unknown,
  ctx: RecordContext,
  text?: string,
): { row: UserDayRow; breakdowns: BreakdownValues } {
  return userDayOf(
    parse(userRecord, record, 'users-1-day', ctx),
    record,
    ctx,
    text,
  );
}

function userDayOf(
  parsed: UserRecordView,
  record: unknown,
  ctx: RecordContext,
  text: string | undefined,
): { row: UserDayRow; breakdowns: BreakdownValues } {
  return {
    row: {
      scope: ctx.scope,
      day: ctx.day,
      userId: parsed.user_id,
      userLogin: parsed.user_login,
      usedChat: parsed.used_chat ?? false,
      usedAgent: parsed.used_agent ?? false,
      usedCli: parsed.used_cli ?? false,
      // The same flag under the old and the new name: either says so.
      usedCloudAgent:
        (parsed.used_copilot_cloud_agent ?? false) ||
        (parsed.used_copilot_coding_agent ?? false),
      usedCopilotApp: parsed.used_copilot_app ?? false,
      aiCreditsUsed: parsed.ai_credits_used ?? null,
      clientVersions: clientVersionsOf(parsed),
      ...countersOf(parsed),
      raw: text ?? JSON.stringify(record),
    },
    breakdowns: breakdownValues(parsed),
  };
}

export function parseUserTeamDay(
  record: unknown,
  ctx: RecordContext,
  text?: string,
): UserTeamDayRow {
  // The fast path of parseUserDay, for the five fields of a membership record.
  const r = record as Record<string, unknown> | null;
  const plain =
    isPlainObject(r) &&
    Number.isSafeInteger(r.user_id) &&
    Number.isSafeInteger(r.team_id) &&
    typeof r.user_login === 'string' &&
    r.user_login.length > 0 &&
    typeof r.slug === 'string' &&
    r.slug.length > 0 &&
    r.day === ctx.day;
  const parsed = plain
    ? (r as {
        user_id: number;
        user_login: string;
        team_id: number;
        slug: string;
      })
    : parse(userTeamRecord, record, 'user-teams-1-day', ctx);
  return {
    scope: ctx.scope,
    day: ctx.day,
    userId: parsed.user_id,
    userLogin: parsed.user_login,
    teamId: parsed.team_id,
    teamSlug: parsed.slug,
    raw: text ?? JSON.stringify(record),
  };
}

/** The aggregate (organization-1-day / enterprise-1-day) record and its org breakdown rows. */
export function parseAggregateDay(
  record: unknown,
  ctx: RecordContext,
): { row: AggregateDayRow; breakdowns: BreakdownDayRow[] } {
  const parsed = parse(aggregateRecord, record, 'aggregate 1-day', ctx);
  const row: AggregateDayRow = {
    scope: ctx.scope,
    day: ctx.day,
    dailyActiveUsers: parsed.daily_active_users,
    weeklyActiveUsers: parsed.weekly_active_users,
    monthlyActiveUsers: parsed.monthly_active_users,
    monthlyActiveChatUsers: parsed.monthly_active_chat_users,
    monthlyActiveAgentUsers: parsed.monthly_active_agent_users,
    dailyActiveCliUsers: parsed.daily_active_cli_users ?? null,
    ...countersOf(parsed),
    raw: JSON.stringify(record),
  };
  const rows: BreakdownDayRow[] = [];
  for (const [dimension, values] of Object.entries(breakdownValues(parsed)) as [
    BreakdownDimension,
    Map<string, BreakdownCounters>,
  ][]) {
    for (const [key, counters] of values) {
      // The aggregate has no per-user data, so no distinct user count.
      rows.push({
        scope: ctx.scope,
        day: ctx.day,
        subject: 'org',
        dimension,
        key,
        ...counters,
        users: 0,
      });
    }
  }
  return { row, breakdowns: rows };
}

/** A version object as zod's `.nullish().catch(undefined)` leaves it: an object, or absent. */
const versionObject = (value: unknown) =>
  isPlainObject(value) ? value : undefined;
/** A lenient string field: a string, or absent. */
const lenientText = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

/** The IDE (and plugin) versions of each `totals_by_ide` entry that has them, and the CLI's. */
function clientVersionsOf(record: UserRecordView): ClientVersionSample[] {
  const samples = new Map<string, ClientVersionSample>();
  for (const entry of record.totals_by_ide ?? []) {
    const ide = versionObject(entry.last_known_ide_version);
    const plugin = versionObject(entry.last_known_plugin_version);
    // Aggregated entries (the capped "others" bucket) carry no versions.
    if (!ide && !plugin) continue;
    samples.set(entry.ide, {
      client: entry.ide,
      version: lenientText(ide?.ide_version) || 'unknown',
      plugin: lenientText(plugin?.plugin) ?? '',
      pluginVersion: lenientText(plugin?.plugin_version) ?? '',
    });
  }
  const cli = versionObject(record.totals_by_cli?.last_known_cli_version);
  if (cli) {
    samples.set('cli', {
      client: 'cli',
      version: lenientText(cli.cli_version) || 'unknown',
      plugin: '',
      pluginVersion: '',
    });
  }
  return [...samples.values()];
}

/** One record's breakdown values per dimension, entries of the same value summed. */
export type BreakdownValues = Record<
  BreakdownDimension,
  Map<string, BreakdownCounters>
>;

function breakdownValues(
  record: UserRecordView | ActivityRecord,
): BreakdownValues {
  return {
    ide: sumBy(record.totals_by_ide, e => e.ide),
    feature: sumBy(record.totals_by_feature, e => e.feature),
    language: sumBy(record.totals_by_language_feature, e => e.language),
    model: sumBy(record.totals_by_model_feature, e => e.model),
    thirdPartyAgent: thirdPartyAgents(record.totals_by_3rd_party_agent ?? []),
  };
}

/** Third-party agents by name (the id where there is none): their interactions, no other counter. */
function thirdPartyAgents(
  entries: NonNullable<UserRecordView['totals_by_3rd_party_agent']>,
) {
  const sums = new Map<string, BreakdownCounters>();
  for (const entry of entries) {
    const key = entry.agent_name || String(entry.agent_id ?? 'unknown');
    const sum = sums.get(key) ?? emptyActivity();
    sum.interactions += entry.user_initiated_interaction_count ?? 0;
    sums.set(key, sum);
  }
  return sums;
}

function sumBy<T extends GithubCounts>(
  entries: T[] | null | undefined,
  keyOf: (entry: T) => string,
) {
  const sums = new Map<string, BreakdownCounters>();
  if (!entries) return sums;
  for (const entry of entries) {
    const key = keyOf(entry);
    const sum = sums.get(key);
    if (sum) addGithubCounts(sum, entry);
    else sums.set(key, countersFromGithub(entry));
  }
  return sums;
}

const seatRecord = z.looseObject({
  assignee: z
    .looseObject({ login: login, id: z.number().int().nullish() })
    .nullish(),
  plan_type: z.string().nullish(),
  created_at: z.string().nullish(),
  last_activity_at: z.string().nullish(),
  last_activity_editor: z.string().nullish(),
  last_authenticated_at: z.string().nullish(),
  pending_cancellation_date: z.string().nullish(),
  assigning_team: z.looseObject({ slug: z.string().nullish() }).nullish(),
});

/** A seat of `GET /orgs/{org}/copilot/billing/seats`; undefined for a seat without a user. */
export function parseSeat(
  record: unknown,
  scope: ScopeKey,
  snapshotDay: string,
): SeatRow | undefined {
  const seat = parse(seatRecord, record, 'Copilot seat');
  if (!seat.assignee) {
    return undefined;
  }
  return {
    scope,
    snapshotDay,
    userLogin: seat.assignee.login,
    userId: seat.assignee.id ?? null,
    planType: seat.plan_type ?? null,
    createdAt: seat.created_at ?? null,
    lastActivityAt: seat.last_activity_at ?? null,
    lastActivityEditor: seat.last_activity_editor ?? null,
    lastAuthenticatedAt: seat.last_authenticated_at ?? null,
    pendingCancellationDate: seat.pending_cancellation_date ?? null,
    assigningTeamSlug: seat.assigning_team?.slug ?? null,
    raw: JSON.stringify(record),
  };
}
