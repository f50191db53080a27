/*
 * Reads history files kept by other tools (and by this plugin's own archive) and maps
 * them onto the plugin's metrics. Pure: no store, no I/O, so a file is fully checked
 * before anything is written. docs/archive-and-import.md has the field mapping.
 */
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  MetricsCounters,
  emptyCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { isoDaySchema, issuePath } from '../lib/zod';
import { BreakdownDimension } from '../store/types';

/**
 * - `teams-history`: `[{ team: { name, slug, ... }, data: [day, ...] }, ...]`
 * - `metrics-days`: `[day, ...]` keyed by `date` (organisation_history.json,
 *   copilotMetricsData.json); also `{ data: [day, ...] }`
 * - `usage-days`: `[day, ...]` of the legacy `/copilot/usage` API, keyed by `day`
 *
 * A day keyed by `date` is either in the legacy `/copilot/metrics` shape or in the
 * shape this plugin writes to its history files; each day is recognised on its own.
 */
export const IMPORT_FORMATS = [
  'teams-history',
  'metrics-days',
  'usage-days',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** One day of an org or a team, mapped onto the plugin's metrics. */
export interface MappedDay {
  day: string;
  counters: MetricsCounters;
  activeUsers: number;
  weeklyActiveUsers: number;
  monthlyActiveUsers: number;
  /** Members that day; the legacy files have none (see the docs). */
  memberCount: number;
  chatUsers: number;
  agentUsers: number;
  cliUsers: number | null;
  monthlyActiveChatUsers: number;
  monthlyActiveAgentUsers: number;
  breakdowns: MappedBreakdown[];
  /** The day object as the file had it. */
  raw: string;
}

export interface MappedBreakdown {
  dimension: BreakdownDimension;
  key: string;
  interactions: number;
  codeGenerations: number;
  codeAcceptances: number;
  locSuggestedToAdd: number;
  locSuggestedToDelete: number;
  locAdded: number;
  locDeleted: number;
  users: number;
}

export interface ParsedHistoryFile {
  format: ImportFormat;
  /** Org days (metrics-days, usage-days), ascending, one per day. */
  orgDays: MappedDay[];
  /** Team slug → its days ascending, one per day (teams-history). */
  teamDays: Map<string, MappedDay[]>;
}

/** A file that cannot be imported: names the file and where the first problem is. */
export class ImportFileError extends InputError {}

const count = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform(v => v ?? 0);
const name = z.string().min(1);

// ---- legacy /copilot/metrics ----------------------------------------------
const completionLanguage = z.looseObject({
  name,
  total_engaged_users: count,
  total_code_suggestions: count,
  total_code_acceptances: count,
  total_code_lines_suggested: count,
  total_code_lines_accepted: count,
});
const completionModel = z.looseObject({
  name,
  total_engaged_users: count,
  languages: z.array(completionLanguage).nullish(),
});
const chatModel = z.looseObject({
  name,
  total_engaged_users: count,
  total_chats: count,
  total_chat_insertion_events: count,
  total_chat_copy_events: count,
});
const legacyMetricsDay = z.looseObject({
  date: isoDaySchema,
  total_active_users: count,
  total_engaged_users: count,
  copilot_ide_code_completions: z
    .looseObject({
      total_engaged_users: count,
      languages: z
        .array(z.looseObject({ name, total_engaged_users: count }))
        .nullish(),
      editors: z
        .array(
          z.looseObject({
            name,
            total_engaged_users: count,
            models: z.array(completionModel).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
  copilot_ide_chat: z
    .looseObject({
      total_engaged_users: count,
      editors: z
        .array(
          z.looseObject({
            name,
            total_engaged_users: count,
            models: z.array(chatModel).nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});

// ---- this plugin's history day ----------------------------------------------
const pluginDay = z.looseObject({
  date: isoDaySchema,
  total_active_users: count,
  weekly_active_users: count,
  monthly_active_users: count,
  member_count: z.number().int().nonnegative().nullish(),
  chat_users: count,
  agent_users: count,
  cli_users: z.number().int().nonnegative().nullish(),
  daily_active_cli_users: z.number().int().nonnegative().nullish(),
  monthly_active_chat_users: count,
  monthly_active_agent_users: count,
  user_initiated_interaction_count: count,
  code_generation_activity_count: count,
  code_acceptance_activity_count: count,
  loc_suggested_to_add_sum: count,
  loc_suggested_to_delete_sum: count,
  loc_added_sum: count,
  loc_deleted_sum: count,
  code_completion: z
    .looseObject({
      code_generation_activity_count: count,
      code_acceptance_activity_count: count,
      loc_suggested_to_add_sum: count,
      loc_added_sum: count,
    })
    .nullish(),
});

// ---- legacy /copilot/usage ------------------------------------------------------
const usageDay = z.looseObject({
  day: isoDaySchema,
  total_suggestions_count: count,
  total_acceptances_count: count,
  total_lines_suggested: count,
  total_lines_accepted: count,
  total_active_users: count,
  total_chat_acceptances: count,
  total_chat_turns: count,
  total_active_chat_users: count,
  breakdown: z
    .array(
      z.looseObject({
        language: name,
        editor: name,
        suggestions_count: count,
        acceptances_count: count,
        lines_suggested: count,
        lines_accepted: count,
        active_users: count,
      }),
    )
    .nullish(),
});

const teamEntry = z.looseObject({
  team: z.looseObject({
    name: z.string().nullish(),
    slug: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9._-]+$/, 'must be a GitHub team slug'),
  }),
  data: z.array(z.unknown()),
});

/**
 * Parses and maps a whole file; throws {@link ImportFileError} naming the file and
 * the position of the first problem (line and column for JSON syntax, a JSON path
 * such as `$[2].data[5].total_active_users` for content).
 */
export function parseHistoryFile(
  text: string,
  options: { file: string; format?: ImportFormat },
): ParsedHistoryFile {
  const { file } = options;
  const fail = (where: string, message: string): never => {
    throw new ImportFileError(
      `Cannot import ${file}: at ${where}: ${message}; nothing was imported`,
    );
  };

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    fail(syntaxPosition(text, error as Error), (error as Error).message);
  }

  let days: unknown = value;
  let basePath = '$';
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Array.isArray((value as { data?: unknown }).data)
  ) {
    days = (value as { data: unknown[] }).data;
    basePath = '$.data';
  }
  if (!Array.isArray(days)) {
    return fail('$', 'expected a JSON array (of days or of teams)');
  }
  if (days.length === 0) {
    return fail(basePath, 'the file holds no days');
  }
  const format = options.format ?? detectFormat(days[0], basePath, fail);

  const checked = <T extends z.ZodType>(
    schema: T,
    item: unknown,
    path: string,
  ): z.infer<T> => {
    const result = schema.safeParse(item);
    if (!result.success) {
      const [issue] = result.error.issues;
      return fail(`${path}${issuePath(issue.path)}`, issue.message);
    }
    return result.data;
  };
  const mapDays = (
    items: unknown[],
    path: string,
    kind: 'metrics' | 'usage',
  ) => {
    const byDay = new Map<string, MappedDay>();
    items.forEach((item, index) => {
      const at = `${path}[${index}]`;
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        fail(at, 'expected a day object');
      }
      let mapped: MappedDay;
      if (kind === 'usage') {
        mapped = mapUsageDay(checked(usageDay, item, at), item);
      } else if (isPluginDay(item as object)) {
        mapped = mapPluginDay(checked(pluginDay, item, at), item);
      } else {
        mapped = mapLegacyMetricsDay(checked(legacyMetricsDay, item, at), item);
      }
      // Later entries win: files merged over time repeat days with newer figures.
      byDay.set(mapped.day, mapped);
    });
    return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
  };

  if (format === 'teams-history') {
    if (basePath !== '$')
      fail('$', 'a teams history is an array of { team, data } entries');
    const teamDays = new Map<string, MappedDay[]>();
    days.forEach((entry, index) => {
      const at = `$[${index}]`;
      const team = checked(teamEntry, entry, at);
      const slug = team.team.slug;
      const merged = new Map((teamDays.get(slug) ?? []).map(d => [d.day, d]));
      for (const day of mapDays(team.data, `${at}.data`, 'metrics')) {
        merged.set(day.day, day);
      }
      teamDays.set(
        slug,
        [...merged.values()].sort((a, b) => a.day.localeCompare(b.day)),
      );
    });
    return { format, orgDays: [], teamDays };
  }
  return {
    format,
    orgDays: mapDays(
      days,
      basePath,
      format === 'usage-days' ? 'usage' : 'metrics',
    ),
    teamDays: new Map(),
  };
}

function detectFormat(
  first: unknown,
  path: string,
  fail: (where: string, message: string) => never,
): ImportFormat {
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    const keys = first as Record<string, unknown>;
    if ('team' in keys && 'data' in keys) return 'teams-history';
    if ('date' in keys) return 'metrics-days';
    if ('day' in keys) return 'usage-days';
  }
  return fail(
    `${path}[0]`,
    'unknown format: expected team entries ({ team, data }), days with `date` (/copilot/metrics or history files) or days with `day` (/copilot/usage)',
  );
}

/** Days this plugin wrote carry GitHub's new counter names. */
function isPluginDay(item: object): boolean {
  return (
    'code_generation_activity_count' in item ||
    'user_initiated_interaction_count' in item
  );
}

function emptyDay(day: string, raw: unknown): MappedDay {
  return {
    day,
    counters: emptyCounters(),
    activeUsers: 0,
    weeklyActiveUsers: 0,
    monthlyActiveUsers: 0,
    memberCount: 0,
    chatUsers: 0,
    agentUsers: 0,
    cliUsers: null,
    monthlyActiveChatUsers: 0,
    monthlyActiveAgentUsers: 0,
    breakdowns: [],
    raw: JSON.stringify(raw),
  };
}

/** Sums breakdown values of one day by dimension and key. */
class BreakdownSums {
  readonly #rows = new Map<string, MappedBreakdown>();

  add(
    dimension: BreakdownDimension,
    key: string,
    add: Partial<Omit<MappedBreakdown, 'dimension' | 'key'>>,
  ) {
    const id = `${dimension}\u0000${key}`;
    const row = this.#rows.get(id) ?? {
      dimension,
      key,
      interactions: 0,
      codeGenerations: 0,
      codeAcceptances: 0,
      locSuggestedToAdd: 0,
      locSuggestedToDelete: 0,
      locAdded: 0,
      locDeleted: 0,
      users: 0,
    };
    for (const [field, value] of Object.entries(add) as [
      keyof typeof add,
      number,
    ][]) {
      // Distinct users cannot be summed across entries: keep the largest.
      row[field] =
        field === 'users' ? Math.max(row.users, value) : row[field] + value;
    }
    this.#rows.set(id, row);
  }

  rows(): MappedBreakdown[] {
    return [...this.#rows.values()];
  }
}

function mapLegacyMetricsDay(
  parsed: z.infer<typeof legacyMetricsDay>,
  raw: unknown,
): MappedDay {
  const mapped = emptyDay(parsed.date, raw);
  const sums = new BreakdownSums();
  const completions = parsed.copilot_ide_code_completions;
  for (const language of completions?.languages ?? []) {
    sums.add('language', language.name, {
      users: language.total_engaged_users,
    });
  }
  for (const editor of completions?.editors ?? []) {
    sums.add('ide', editor.name, { users: editor.total_engaged_users });
    for (const model of editor.models ?? []) {
      sums.add('model', model.name, { users: model.total_engaged_users });
      for (const language of model.languages ?? []) {
        const counters = {
          codeGenerations: language.total_code_suggestions,
          codeAcceptances: language.total_code_acceptances,
          locSuggestedToAdd: language.total_code_lines_suggested,
          locAdded: language.total_code_lines_accepted,
        };
        sums.add('ide', editor.name, counters);
        sums.add('model', model.name, counters);
        sums.add('language', language.name, {
          ...counters,
          users: language.total_engaged_users,
        });
        sums.add('feature', 'code_completion', counters);
        mapped.counters.codeGenerations += counters.codeGenerations;
        mapped.counters.codeAcceptances += counters.codeAcceptances;
        mapped.counters.locSuggestedToAdd += counters.locSuggestedToAdd;
        mapped.counters.locAdded += counters.locAdded;
      }
    }
  }
  if (completions) {
    sums.add('feature', 'code_completion', {
      users: completions.total_engaged_users,
    });
  }
  const chat = parsed.copilot_ide_chat;
  for (const editor of chat?.editors ?? []) {
    sums.add('ide', editor.name, { users: editor.total_engaged_users });
    for (const model of editor.models ?? []) {
      sums.add('ide', editor.name, { interactions: model.total_chats });
      sums.add('model', model.name, {
        interactions: model.total_chats,
        users: model.total_engaged_users,
      });
      sums.add('feature', 'chat', { interactions: model.total_chats });
      mapped.counters.interactions += model.total_chats;
    }
  }
  if (chat) {
    sums.add('feature', 'chat', { users: chat.total_engaged_users });
  }
  // Before 2026 every suggestion counted here was a code completion.
  mapped.counters.completionGenerations = mapped.counters.codeGenerations;
  mapped.counters.completionAcceptances = mapped.counters.codeAcceptances;
  mapped.counters.completionLocSuggestedToAdd =
    mapped.counters.locSuggestedToAdd;
  mapped.counters.completionLocAdded = mapped.counters.locAdded;
  mapped.activeUsers = parsed.total_active_users;
  mapped.memberCount = parsed.total_active_users;
  mapped.chatUsers = chat?.total_engaged_users ?? 0;
  mapped.breakdowns = sums.rows();
  return mapped;
}

function mapUsageDay(
  parsed: z.infer<typeof usageDay>,
  raw: unknown,
): MappedDay {
  const mapped = emptyDay(parsed.day, raw);
  const sums = new BreakdownSums();
  for (const entry of parsed.breakdown ?? []) {
    const counters = {
      codeGenerations: entry.suggestions_count,
      codeAcceptances: entry.acceptances_count,
      locSuggestedToAdd: entry.lines_suggested,
      locAdded: entry.lines_accepted,
      users: entry.active_users,
    };
    sums.add('language', entry.language, counters);
    sums.add('ide', entry.editor, counters);
  }
  const completion = {
    codeGenerations: parsed.total_suggestions_count,
    codeAcceptances: parsed.total_acceptances_count,
    locSuggestedToAdd: parsed.total_lines_suggested,
    locAdded: parsed.total_lines_accepted,
  };
  if (
    parsed.total_suggestions_count > 0 ||
    parsed.total_acceptances_count > 0
  ) {
    sums.add('feature', 'code_completion', completion);
  }
  if (parsed.total_chat_turns > 0 || parsed.total_active_chat_users > 0) {
    sums.add('feature', 'chat', {
      interactions: parsed.total_chat_turns,
      users: parsed.total_active_chat_users,
    });
  }
  Object.assign(mapped.counters, {
    interactions: parsed.total_chat_turns,
    ...completion,
    completionGenerations: completion.codeGenerations,
    completionAcceptances: completion.codeAcceptances,
    completionLocSuggestedToAdd: completion.locSuggestedToAdd,
    completionLocAdded: completion.locAdded,
  });
  mapped.activeUsers = parsed.total_active_users;
  mapped.memberCount = parsed.total_active_users;
  mapped.chatUsers = parsed.total_active_chat_users;
  mapped.breakdowns = sums.rows();
  return mapped;
}

function mapPluginDay(
  parsed: z.infer<typeof pluginDay>,
  raw: unknown,
): MappedDay {
  const mapped = emptyDay(parsed.date, raw);
  mapped.counters = {
    interactions: parsed.user_initiated_interaction_count,
    codeGenerations: parsed.code_generation_activity_count,
    codeAcceptances: parsed.code_acceptance_activity_count,
    locSuggestedToAdd: parsed.loc_suggested_to_add_sum,
    locSuggestedToDelete: parsed.loc_suggested_to_delete_sum,
    locAdded: parsed.loc_added_sum,
    locDeleted: parsed.loc_deleted_sum,
    completionGenerations:
      parsed.code_completion?.code_generation_activity_count ?? 0,
    completionAcceptances:
      parsed.code_completion?.code_acceptance_activity_count ?? 0,
    completionLocSuggestedToAdd:
      parsed.code_completion?.loc_suggested_to_add_sum ?? 0,
    completionLocAdded: parsed.code_completion?.loc_added_sum ?? 0,
  };
  mapped.activeUsers = parsed.total_active_users;
  mapped.weeklyActiveUsers = parsed.weekly_active_users;
  mapped.monthlyActiveUsers = parsed.monthly_active_users;
  mapped.memberCount = parsed.member_count ?? parsed.total_active_users;
  mapped.chatUsers = parsed.chat_users;
  mapped.agentUsers = parsed.agent_users;
  mapped.cliUsers = parsed.cli_users ?? parsed.daily_active_cli_users ?? null;
  mapped.monthlyActiveChatUsers = parsed.monthly_active_chat_users;
  mapped.monthlyActiveAgentUsers = parsed.monthly_active_agent_users;
  return mapped;
}

/** `['data', 3, 'date']` → `.data[3].date` */
/** Line and column of a JSON.parse error, from the offset V8 puts in its message. */
function syntaxPosition(text: string, error: Error): string {
  const match = /position (\d+)/.exec(error.message);
  const offset = match ? Number(match[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
