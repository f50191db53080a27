/**
 * Fetches from GitHub into the store. One scope+day: asks for the three reports'
 * links, streams the files into the store in one transaction (all or nothing), and
 * asks for fresh links when they expired or a download broke off. Seats: one
 * snapshot a day, one row per person (the enterprise lists a seat per granting org).
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ReportLinks, RawSeat } from '../github/GithubCopilotClient';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReportEntry, SpooledReport } from '../github/ReportReader';
import { isRetryable } from '../github/errors';
import { CopilotUsageStore } from '../store/CopilotUsageStore';
import { DayWriter } from '../store/types';
import {
  AnyReportKind,
  ReportKind,
  REPORT_KINDS,
  Scope,
  scopeKey,
} from '../lib/scope';
import { fetchRepoLinks } from './fetchRepoLinks';
import { parseSeat } from './parseRows';
import { SeatMerger } from './seatGrants';
import { DayError, ReportInput, writeReportDay } from './writeReportDay';

/** What the runner needs from the GitHub API (GithubCopilotClient). */
export interface CopilotReportSource {
  getReportLinks(
    scope: Scope,
    report: AnyReportKind,
    day: string,
  ): Promise<ReportLinks>;
  listSeats(scope: Scope): AsyncIterable<RawSeat>;
}

/** What the runner needs from the download side (ReportReader). */
export interface ReportFileReader {
  entries(
    url: string,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<ReportEntry>;
  /** Downloads to disk first (ReportReader.spool); without it a day streams inside its transaction. */
  spool?(
    url: string,
    options: { signal?: AbortSignal; dir: string },
  ): Promise<SpooledReport>;
}

/** The spooled files of each report of a day, removed with their directory. */
interface SpooledDay {
  files: Partial<Record<AnyReportKind, SpooledReport[]>>;
  dispose(): Promise<void>;
}

export interface ReportFetcherOptions {
  store: CopilotUsageStore;
  github: CopilotReportSource;
  reader: ReportFileReader;
  batchSize?: number;
  maxLinkRefreshes: number;
}

export class ReportFetcher {
  readonly #options: ReportFetcherOptions;

  constructor(options: ReportFetcherOptions) {
    this.#options = options;
  }

  /** Throws a {@link DayError}. `serialized` runs the write; SQLite has one writer, so the runner queues them. */
  async fetchDay(
    scope: Scope,
    day: string,
    serialized: <T>(fn: () => Promise<T>) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<{ userRows: number; noData: boolean }> {
    for (let refresh = 0; ; refresh++) {
      // Ask for links right before downloading: signed links expire quickly.
      const links = {} as Record<ReportKind, ReportLinks>;
      for (const report of REPORT_KINDS) {
        try {
          links[report] = await this.#options.github.getReportLinks(
            scope,
            report,
            day,
          );
        } catch (error) {
          throw new DayError(report, error);
        }
      }
      // Optional: GitHub has no repos-1-day before 2026-07-17 (see fetchRepoLinks).
      const repos = await fetchRepoLinks(this.#options.github, scope, day);
      let spooled: SpooledDay | undefined;
      try {
        // Downloaded before the day's transaction opens: no transaction waits on
        // the network, and the other day's write (SQLite: the one writer) runs meanwhile.
        spooled = await this.#spool({ ...links, repos }, signal);
        const files = spooled?.files;
        let userRows = 0;
        await serialized(() =>
          this.#options.store.writeDay(scopeKey(scope), day, async writer => {
            userRows = await this.#writeDay(
              scope,
              day,
              { ...links, repos },
              writer,
              signal,
              files,
            );
          }),
        );
        return {
          userRows,
          noData: REPORT_KINDS.every(r => links[r].status === 'no_data'),
        };
      } catch (error) {
        // Expired links and download hiccups get fresh links; bad content does not.
        const dayError =
          error instanceof DayError ? error : new DayError('aggregate', error);
        if (
          !isRetryable(dayError.cause) ||
          refresh >= this.#options.maxLinkRefreshes
        ) {
          throw dayError;
        }
      } finally {
        await spooled?.dispose();
      }
    }
  }

  /** Every file of the day's reports on disk, or undefined when the reader cannot spool. */
  async #spool(
    links: Record<AnyReportKind, ReportLinks>,
    signal?: AbortSignal,
  ): Promise<SpooledDay | undefined> {
    const reader = this.#options.reader;
    if (!reader.spool) return undefined;
    const dir = await fs.promises.mkdtemp(
      path.join(os.tmpdir(), 'copilot-usage-day-'),
    );
    const day: SpooledDay = {
      files: {},
      dispose: () => fs.promises.rm(dir, { recursive: true, force: true }),
    };
    try {
      for (const [report, reportLinks] of Object.entries(links) as Array<
        [AnyReportKind, ReportLinks]
      >) {
        if (reportLinks.status !== 'ok') continue;
        const files: SpooledReport[] = [];
        day.files[report] = files;
        for (const url of reportLinks.links) {
          try {
            files.push(await reader.spool(url, { signal, dir }));
          } catch (error) {
            throw new DayError(report, error);
          }
        }
      }
      return day;
    } catch (error) {
      await day.dispose();
      throw error;
    }
  }

  /**
   * Replaces the scope's seat snapshot of `snapshotDay`, one row per seat
   * holder; returns the number of holders, or the error.
   */
  async fetchSeats(
    scope: Scope,
    snapshotDay: string,
    logger: LoggerService,
  ): Promise<number | { error: string }> {
    const key = scopeKey(scope);
    try {
      // Merged as the pages come: only one row per person is held.
      const merger = new SeatMerger();
      for await (const seat of this.#options.github.listSeats(scope)) {
        const row = parseSeat(seat, key, snapshotDay);
        if (row) merger.add(row);
      }
      const holders = merger.rows();
      await this.#options.store.replaceSeats(key, snapshotDay, holders);
      return holders.length;
    } catch (error) {
      const message = (error as Error).message;
      logger.warn(`Copilot usage sync ${key}: seats not stored, ${message}`);
      return { error: message };
    }
  }

  /** Runs inside the day's transaction: any throw rolls the whole day back. Returns the user rows written. */
  #writeDay(
    scope: Scope,
    day: string,
    links: Record<AnyReportKind, ReportLinks>,
    writer: DayWriter,
    signal?: AbortSignal,
    spooled?: SpooledDay['files'],
  ): Promise<number> {
    const input = (report: AnyReportKind): ReportInput => {
      const reportLinks = links[report];
      if (reportLinks.status !== 'ok') return { status: 'no_data' };
      const files = spooled?.[report];
      return {
        status: 'ok',
        entries: files
          ? spooledRecords(files)
          : this.#records(reportLinks.links, signal),
      };
    };
    return writeReportDay({
      scope: scopeKey(scope),
      day,
      reports: {
        aggregate: input('aggregate'),
        'user-teams': input('user-teams'),
        users: input('users'),
        repos: input('repos'),
      },
      writer,
      source: 'github',
      batchSize: this.#options.batchSize,
    });
  }

  async *#records(links: string[], signal?: AbortSignal) {
    for (const url of links) {
      for await (const entry of this.#options.reader.entries(url, { signal })) {
        yield entry;
      }
    }
  }
}

async function* spooledRecords(files: SpooledReport[]) {
  for (const file of files) {
    yield* file.entries();
  }
}
