import {
  BreakdownItem,
  MetricsDay,
  MetricsDocument,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { isoWeek } from './days';

/** The document's days in date order (the chart x-axis). */
export function dailySeries(document: MetricsDocument): MetricsDay[] {
  return [...document.days].sort((a, b) => a.day.localeCompare(b.day));
}

export interface WeeklyAverage {
  /** ISO week, e.g. `2026-W47`. */
  week: string;
  /** The Monday the week starts on. */
  monday: string;
  /** Days of the week that have data in the range. */
  daysWithData: number;
  /** Mean of the daily active users over those days. */
  averageActiveUsers: number;
}

/**
 * Average daily active users per ISO week, over the days that have data (a
 * week cut by the range, or with missing days, is averaged over what is there).
 */
export function weeklyAverages(
  days: ReadonlyArray<Pick<MetricsDay, 'day' | 'activeUsers'>>,
): WeeklyAverage[] {
  const weeks = new Map<
    string,
    { monday: string; count: number; sum: number }
  >();
  for (const { day, activeUsers } of days) {
    const { week, monday } = isoWeek(day);
    const entry = weeks.get(week) ?? { monday, count: 0, sum: 0 };
    entry.count += 1;
    entry.sum += activeUsers;
    weeks.set(week, entry);
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([week, { monday, count, sum }]) => ({
      week,
      monday,
      daysWithData: count,
      averageActiveUsers: sum / count,
    }));
}

/** Breakdown items, most used first (by generations, then interactions). */
export function rankBreakdown(items: BreakdownItem[]): BreakdownItem[] {
  return [...items].sort(
    (a, b) =>
      b.codeGenerations - a.codeGenerations ||
      b.interactions - a.interactions ||
      a.key.localeCompare(b.key),
  );
}

// GitHub's feature keys; anything new falls back to its key made readable.
const FEATURE_LABELS: Record<string, string> = {
  code_completion: 'Code completion',
  chat_inline: 'Inline chat',
  chat_panel_ask_mode: 'Chat: ask mode',
  chat_panel_edit_mode: 'Chat: edit mode',
  chat_panel_agent_mode: 'Chat: agent mode',
  chat_panel_plan_mode: 'Chat: plan mode',
  chat_panel_custom_mode: 'Chat: custom mode',
  chat_panel_unknown_mode: 'Chat: other modes',
  agent_edit: 'Agent edits',
  copilot_cli: 'Copilot CLI',
  code_review: 'Code review',
};

/** A readable name for a breakdown value. */
export function breakdownLabel(dimension: string, key: string): string {
  if (dimension === 'feature') {
    if (FEATURE_LABELS[key]) {
      return FEATURE_LABELS[key];
    }
    const words = key.replace(/_/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  return key;
}
