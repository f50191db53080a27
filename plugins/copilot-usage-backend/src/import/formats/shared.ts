/*
 * What every import format maps its days onto, and the pieces the format readers
 * share: the count schemas and the per-day breakdown sums.
 */
import { z } from 'zod';
import {
  MetricsCounters,
  emptyCounters,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { emptyActivity } from '../../lib/counters';
import { BreakdownTotal } from '../../store/CopilotUsageStore';
import { BreakdownDimension } from '../../store/types';

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
  breakdowns: BreakdownTotal[];
  /** The day object as the file had it. */
  raw: string;
}

/** A count that may be missing; null and absent read 0. */
export const count = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform(v => v ?? 0);
/** A count whose absence means "not known". */
export const optionalCount = z.number().int().nonnegative().nullish();
export const name = z.string().min(1);

export function emptyDay(day: string, raw: unknown): MappedDay {
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

type BreakdownValues = Partial<Omit<BreakdownTotal, 'dimension' | 'key'>>;

/** Sums breakdown values of one day by dimension and key. */
export class BreakdownSums {
  readonly #rows = new Map<string, BreakdownTotal>();

  add(dimension: BreakdownDimension, key: string, add: BreakdownValues) {
    const id = `${dimension}\u0000${key}`;
    const row = this.#rows.get(id) ?? {
      dimension,
      key,
      ...emptyActivity(),
      users: 0,
    };
    for (const [field, value] of Object.entries(add) as [
      keyof BreakdownValues,
      number,
    ][]) {
      // Distinct users cannot be summed across entries: keep the largest.
      row[field] =
        field === 'users' ? Math.max(row.users, value) : row[field] + value;
    }
    this.#rows.set(id, row);
  }

  rows(): BreakdownTotal[] {
    return [...this.#rows.values()];
  }
}

/**
 * Finishes a day of a legacy API: before 2026 every suggestion counted there was a
 * code completion, and the files list no members, so the active users stand in.
 */
export function legacyDay(
  mapped: MappedDay,
  day: { activeUsers: number; chatUsers: number; sums: BreakdownSums },
): MappedDay {
  const counters = mapped.counters;
  counters.completionGenerations = counters.codeGenerations;
  counters.completionAcceptances = counters.codeAcceptances;
  counters.completionLocSuggestedToAdd = counters.locSuggestedToAdd;
  counters.completionLocAdded = counters.locAdded;
  mapped.activeUsers = day.activeUsers;
  mapped.memberCount = day.activeUsers;
  mapped.chatUsers = day.chatUsers;
  mapped.breakdowns = day.sums.rows();
  return mapped;
}
