import {
  DEFAULT_RANGE_DAYS,
  MAX_RANGE_DAYS,
  PUBLISHING_LAG_DAYS,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { InputError } from '@backstage/errors';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { ScopeKey } from '../lib/scope';
import { addDays, countDays, toIsoDay } from '../lib/days';

/** Days from `from` to `to`, both included (`YYYY-MM-DD`). */
export interface DayRange {
  from: string;
  to: string;
}

/** Rejects a range the caller gave explicitly when it is inverted or too long. */
export function checkRange(range: Partial<DayRange>): void {
  if (!range.from || !range.to) {
    return;
  }
  if (range.from > range.to) {
    throw new InputError(
      `Invalid range: from (${range.from}) is after to (${range.to})`,
    );
  }
  const days = countDays(range.from, range.to);
  if (days > MAX_RANGE_DAYS) {
    throw new InputError(
      `Invalid range: ${range.from} to ${range.to} spans ${days} days, at most ${MAX_RANGE_DAYS} are allowed`,
    );
  }
}

/** Fills in the range a request left open, from the clock and the store's complete days. */
export class RangeResolver {
  constructor(
    private readonly options: {
      store: Pick<CopilotUsageStore, 'getCompleteDays'>;
      /** The clock; tests pin it. */
      now?: () => Date;
    },
  ) {}

  /** The last day GitHub publishes reports for: today minus 2 (UTC). */
  lastPublishedDay(): string {
    const now = this.options.now?.() ?? new Date();
    return addDays(toIsoDay(now)!, -PUBLISHING_LAG_DAYS);
  }

  /**
   * The range a request asked for, with the defaults filled in: 28 days ending
   * at the scope's last complete day (or the last published day without data).
   */
  async resolve(
    scope: ScopeKey | undefined,
    requested: Partial<DayRange>,
  ): Promise<DayRange> {
    if (requested.from && requested.to) {
      return { from: requested.from, to: requested.to };
    }
    if (requested.from) {
      return {
        from: requested.from,
        to: addDays(requested.from, DEFAULT_RANGE_DAYS - 1),
      };
    }
    const to =
      requested.to ??
      (scope && (await this.#lastCompleteDay(scope))) ??
      this.lastPublishedDay();
    return { from: addDays(to, -(DEFAULT_RANGE_DAYS - 1)), to };
  }

  async #lastCompleteDay(scope: ScopeKey): Promise<string | undefined> {
    const to = this.lastPublishedDay();
    const days = await this.options.store.getCompleteDays(
      scope,
      addDays(to, -(MAX_RANGE_DAYS - 1)),
      to,
    );
    return days[days.length - 1];
  }
}
