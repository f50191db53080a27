/*
 * Days of the legacy `/copilot/metrics` API (copilotMetricsData.json and the
 * organisation_history.json of older dashboards), keyed by `date`.
 */
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
const editorsOf = <T extends z.ZodType>(model: T) =>
  z
    .array(
      z.looseObject({
        name,
        total_engaged_users: count,
        models: z.array(model).nullish(),
      }),
    )
    .nullish();
const metricsDay = z.looseObject({
  date: isoDaySchema,
  total_active_users: count,
  total_engaged_users: count,
  copilot_ide_code_completions: z
    .looseObject({
      total_engaged_users: count,
      languages: z
        .array(z.looseObject({ name, total_engaged_users: count }))
        .nullish(),
      editors: editorsOf(completionModel),
    })
    .nullish(),
  copilot_ide_chat: z
    .looseObject({
      total_engaged_users: count,
      editors: editorsOf(chatModel),
    })
    .nullish(),
});

/** A legacy `/copilot/metrics` day at `path` of the file, mapped. */
export function readCopilotMetricsDay(item: unknown, path: string): MappedDay {
  const parsed = checked(metricsDay, item, path);
  const mapped = emptyDay(parsed.date, item);
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
        for (const [key, value] of Object.entries(counters)) {
          mapped.counters[key as keyof typeof counters] += value;
        }
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
  return legacyDay(mapped, {
    activeUsers: parsed.total_active_users,
    chatUsers: chat?.total_engaged_users ?? 0,
    sums,
  });
}
