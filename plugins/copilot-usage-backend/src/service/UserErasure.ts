import { UserErasureResponse } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { ConflictError } from '@backstage/errors';
import type { CopilotUsageArchive } from '../archive/CopilotUsageArchive';
import { ReportEntries, writeReportDay } from '../ingest/writeReportDay';
import { addDays } from '../lib/days';
import { AnyReportKind as ReportKind, ScopeKey } from '../lib/scope';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { DayWriter, IngestionLogEntry } from '../store/types';

/** Days after a changed day whose rolling 7/28-day team windows contain it. */
const ROLLING_DAYS_AFTER = 27;

/**
 * Erases one person's Copilot usage data (`DELETE /users/:login`): their lines in
 * the archive first, then, per scope and day in one transaction each, the day's
 * per-user reports are stored again without them through the sync's own day writer
 * (so the team breakdowns of the day are recomputed from the remaining users), then
 * the team rollups of those days and of the 27 days after them are rebuilt, and the
 * rows left (seats, active-user index) are deleted. GitHub's org aggregate has no
 * per-person data and stays as it is. When the archive cannot be rewritten the
 * database is left as it was: calling again does the whole job.
 */
export class UserErasure {
  readonly #store: CopilotUsageStore;
  readonly #archive?: Pick<CopilotUsageArchive, 'removeLines' | 'layout'>;
  readonly #busy: () => Promise<string | undefined>;

  constructor(options: {
    store: CopilotUsageStore;
    archive?: Pick<CopilotUsageArchive, 'removeLines' | 'layout'>;
    /** Why an erase must wait (a sync or a restore runs), or undefined. */
    busy?: () => Promise<string | undefined>;
  }) {
    this.#store = options.store;
    this.#archive = options.archive;
    this.#busy = options.busy ?? (async () => undefined);
  }

  async erase(login: string): Promise<UserErasureResponse> {
    const busy = await this.#busy();
    if (busy) {
      throw new ConflictError(`Cannot erase a person while ${busy}`);
    }
    const store = this.#store;
    const found = await store.findUserData(login);
    const isPerson = personMatcher(login, found.userIds);
    const archive: UserErasureResponse['archive'] = {
      configured: Boolean(this.#archive),
      filesRewritten: [],
    };
    const answer = (complete: boolean): UserErasureResponse => ({
      login,
      complete,
      removed: found.counts,
      scopes: found.scopes,
      archive,
    });

    if (this.#archive) {
      const { layout } = this.#archive;
      try {
        for (const { scope, days, seatSnapshots } of found.scopes) {
          const keys = [
            ...days.flatMap(day => [
              layout.reportKey(scope, 'users', day),
              layout.reportKey(scope, 'user-teams', day),
            ]),
            ...seatSnapshots.map(day => layout.seatsKey(scope, day)),
          ];
          for (const key of keys) {
            if (
              (await this.#archive.removeLines(key, isPerson)) === 'rewritten'
            ) {
              archive.filesRewritten.push(key);
            }
          }
        }
      } catch (error) {
        archive.error = `The archive could not be rewritten (${
          (error as Error).message
        }); nothing was removed from the database, erase again once the bucket is reachable`;
        return {
          ...answer(false),
          removed: {
            userDay: 0,
            userTeamDay: 0,
            teamActiveUserDay: 0,
            seatSnapshot: 0,
          },
        };
      }
    }

    for (const { scope, days } of found.scopes) {
      if (days.length === 0) continue;
      // Should the rollups below fail, the sync rebuilds them from here on.
      const state = await store.getSyncState(scope);
      const pendingFrom = state?.rollupsPendingFrom ?? null;
      const pendingTo = state?.rollupsPendingTo ?? null;
      // No last day: every stored day from the first one on.
      await store.updateSyncState(scope, {
        rollupsPendingFrom:
          !pendingFrom || pendingFrom > days[0] ? days[0] : pendingFrom,
        rollupsPendingTo: null,
      });
      for (const day of days) {
        await this.#rewriteDay(scope, day, isPerson);
      }
      const rollupDays = new Set<string>();
      for (const day of days) {
        for (let i = 0; i <= ROLLING_DAYS_AFTER; i++) {
          rollupDays.add(addDays(day, i));
        }
      }
      await store.rebuildTeamRollups(scope, [...rollupDays]);
      await store.updateSyncState(scope, {
        rollupsPendingFrom: pendingFrom,
        rollupsPendingTo: pendingTo,
      });
    }
    await store.deleteUserRows(login, found.userIds);
    return answer(true);
  }

  /** Stores the day's user-teams and users reports again without the person (one transaction). */
  async #rewriteDay(
    scope: ScopeKey,
    day: string,
    isPerson: (line: string) => boolean,
  ) {
    const store = this.#store;
    const lines = await store.getReportLines(scope, day);
    const log = new Map<ReportKind, IngestionLogEntry>(
      (await store.getIngestionLog(scope, day, day)).map(entry => [
        entry.report,
        entry,
      ]),
    );
    const input = (report: ReportKind, reportLines: string[]) =>
      log.get(report)?.status === 'complete'
        ? {
            status: 'ok' as const,
            entries: entriesOf(reportLines.filter(line => !isPerson(line))),
          }
        : { status: 'no_data' as const };
    await store.writeDay(scope, day, async writer => {
      await writeReportDay({
        scope,
        day,
        reports: {
          aggregate: { status: 'no_data' },
          'user-teams': input('user-teams', lines.userTeams),
          users: input('users', lines.users),
        },
        writer: withoutAggregate(writer, log),
        source: 'github',
      });
    });
  }
}

/**
 * The day writer for an erase: GitHub's aggregate and the org breakdowns stay as
 * they are (no per-person data), and the ingestion log keeps each report's source.
 */
function withoutAggregate(
  writer: DayWriter,
  log: Map<ReportKind, IngestionLogEntry>,
): DayWriter {
  return {
    replaceAggregate: async () => {},
    clearUserTeams: () => writer.clearUserTeams(),
    insertUserTeams: rows => writer.insertUserTeams(rows),
    clearUserDays: () => writer.clearUserDays(),
    insertUserDays: rows => writer.insertUserDays(rows),
    replaceBreakdowns: async (subjects, rows) => {
      if (subjects === 'all-teams') {
        await writer.replaceBreakdowns(subjects, rows);
      }
    },
    logIngestion: async entry => {
      const stored = log.get(entry.report);
      if (entry.report !== 'aggregate' && stored?.status === 'complete') {
        await writer.logIngestion({ ...entry, source: stored.source });
      }
    },
  };
}

async function* entriesOf(lines: string[]): ReportEntries {
  for (const [index, line] of lines.entries()) {
    yield { record: JSON.parse(line), line: index + 1 };
  }
}

/** Whether a report or seat line is the person's: by login (any case) or user id. */
export function personMatcher(
  login: string,
  userIds: number[],
): (line: string) => boolean {
  const lower = login.toLocaleLowerCase('en-US');
  const ids = new Set(userIds);
  const isLogin = (value: unknown) =>
    typeof value === 'string' && value.toLocaleLowerCase('en-US') === lower;
  const isId = (value: unknown) => typeof value === 'number' && ids.has(value);
  return line => {
    let record: any;
    try {
      record = JSON.parse(line);
    } catch {
      return false;
    }
    if (!record || typeof record !== 'object') return false;
    const assignee = record.assignee ?? {};
    return (
      isLogin(record.user_login) ||
      isId(record.user_id) ||
      isLogin(assignee.login) ||
      isId(assignee.id)
    );
  };
}
