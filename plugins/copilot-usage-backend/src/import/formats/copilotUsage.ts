/* Days of the legacy `/copilot/usage` API (copilotUsage.json), keyed by `day`. */
import { z } from 'zod';
import { isoDaySchema } from '../../lib/zod';
import { checked } from '../detectFormat';
import {
  BreakdownSums,
  MappedDay,
  count,
  emptyDay,
  legacyDay,
  name,
} from './shared';

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

/** A legacy `/copilot/usage` day at `path` of the file, mapped. */
export function readCopilotUsageDay(item: unknown, path: string): MappedDay {
  const parsed = checked(usageDay, item, path);
  const mapped = emptyDay(parsed.day, item);
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
  });
  return legacyDay(mapped, {
    activeUsers: parsed.total_active_users,
    chatUsers: parsed.total_active_chat_users,
    sums,
  });
}
