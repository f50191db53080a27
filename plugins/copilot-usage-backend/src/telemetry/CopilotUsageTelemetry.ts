/*
 * The plugin's OpenTelemetry metrics, through Backstage's metrics service (one
 * meter per plugin; the adopter's OpenTelemetry SDK exports them, e.g. to
 * Prometheus). docs/operations.md lists every name, unit and attribute.
 */
import {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceGauge,
  MetricsServiceHistogram,
} from '@backstage/backend-plugin-api/alpha';
import { SyncStatus } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { daysBehindToday } from '../lib/days';
import { AnyReportKind as ReportKind, Scope, scopeKey } from '../lib/scope';
import { TtlCache } from '../lib/ttlCache';
import { CopilotReportSource, ReportFileReader } from '../ingest/ReportFetcher';
import { ScopeSyncSummary, SyncObserver } from '../ingest/syncTypes';

/** The metric names, as docs/operations.md documents them. */
export const COPILOT_USAGE_METRICS = {
  syncRuns: 'copilot_usage.sync.runs',
  syncDays: 'copilot_usage.sync.days',
  phaseDuration: 'copilot_usage.sync.phase.duration',
  reportRows: 'copilot_usage.report.rows',
  downloadSize: 'copilot_usage.download.size',
  rateLimitRemaining: 'copilot_usage.github.rate_limit.remaining',
  daysStored: 'copilot_usage.days.stored',
  daysMissing: 'copilot_usage.days.missing',
  daysBehind: 'copilot_usage.days.behind',
  archiveBacklog: 'copilot_usage.archive.backlog',
} as const;

/** What a scope's unit of work came to, as the `outcome` attribute says it. */
export function syncOutcome(summary: ScopeSyncSummary): string {
  if (summary.error) return 'failed';
  if (summary.aborted) return 'aborted';
  if (summary.failed.length > 0) return 'partial';
  return summary.finished ? 'success' : 'continues';
}

/** Download links remembered at most (a few days' worth of report files). */
const MAX_LINKS = 10_000;

/** Status gauges read the store at most this often, however many gauges ask. */
const STATUS_TTL_MS = 5_000;

/**
 * Records the sync as it runs (the {@link SyncObserver} and wrappers of the
 * GitHub client, the report reader and their fetches) and reports the stored
 * state as observable gauges from the sync status the `/status` route serves.
 */
export class CopilotUsageTelemetry implements SyncObserver {
  readonly #runs: MetricsServiceCounter;
  readonly #days: MetricsServiceCounter;
  readonly #phases: MetricsServiceHistogram;
  readonly #rows: MetricsServiceCounter;
  readonly #bytes: MetricsServiceCounter;
  readonly #rateLimit: MetricsServiceGauge;
  /** Download URL → the scope and report it belongs to (links are one-off signed URLs). */
  readonly #links = new Map<string, { scope: string; report: ReportKind }>();

  constructor(
    metrics: MetricsService,
    options: {
      /** The sync status (SyncStatusReport.get): the gauges' source. */
      status: () => Promise<SyncStatus>;
      now?: () => Date;
    },
  ) {
    const m = COPILOT_USAGE_METRICS;
    const now = options.now ?? (() => new Date());
    this.#runs = metrics.createCounter(m.syncRuns, {
      description: 'Units of sync work per scope, by outcome',
      unit: '{run}',
    });
    this.#days = metrics.createCounter(m.syncDays, {
      description: 'Days fetched, by result (stored, no_data, failed)',
      unit: '{day}',
    });
    this.#phases = metrics.createHistogram(m.phaseDuration, {
      description:
        'Time per sync phase: unit (a scope, end to end), report_links, download, seats',
      unit: 's',
    });
    this.#rows = metrics.createCounter(m.reportRows, {
      description: 'Records read from the report files, per report',
      unit: '{row}',
    });
    this.#bytes = metrics.createCounter(m.downloadSize, {
      description: 'Bytes of report files downloaded (as sent, before gunzip)',
      unit: 'By',
    });
    this.#rateLimit = metrics.createGauge(m.rateLimitRemaining, {
      description: 'GitHub API requests left in the rate-limit window',
      unit: '{request}',
    });

    const cache = new TtlCache<SyncStatus>({
      ttlMs: STATUS_TTL_MS,
      maxSize: 1,
      now,
    });
    const gauge = (
      name: string,
      description: string,
      unit: string,
      observe: (
        scope: SyncStatus['scopes'][number],
        record: (value: number, extra?: Record<string, string>) => void,
      ) => void,
    ) =>
      metrics
        .createObservableGauge(name, { description, unit })
        .addCallback(async result => {
          const status = await cache.get('status', options.status);
          for (const scope of status.scopes) {
            observe(scope, (value, extra) =>
              result.observe(value, { scope: scope.scope, ...extra }),
            );
          }
        });
    gauge(m.daysStored, 'Days stored completely', '{day}', (s, record) =>
      record(s.daysComplete),
    );
    gauge(
      m.daysMissing,
      'Days GitHub holds that are not stored (yet)',
      '{day}',
      (s, record) => record(s.daysMissing),
    );
    gauge(
      m.daysBehind,
      'Days from the last complete day to today (2 is current)',
      'd',
      (s, record) => {
        const behind = daysBehindToday(s.lastCompleteDay, now());
        if (behind !== null) record(behind);
      },
    );
    gauge(
      m.archiveBacklog,
      'Days and imports not yet archived to S3',
      '{item}',
      (s, record) => {
        if (!s.archive) return;
        record(s.archive.daysPending, { kind: 'days' });
        record(s.archive.importsPending, { kind: 'imports' });
      },
    );
  }

  scopeUnitDone(summary: ScopeSyncSummary, durationMs: number): void {
    const scope = summary.scope;
    this.#runs.add(1, { scope, outcome: syncOutcome(summary) });
    this.#phases.record(durationMs / 1000, { scope, phase: 'unit' });
    const days = [
      ['stored', summary.stored.length],
      ['no_data', summary.noData.length],
      ['failed', summary.failed.length],
    ] as const;
    for (const [result, count] of days) {
      if (count > 0) this.#days.add(count, { scope, result });
    }
  }

  /** The GitHub client, timing its calls (phases report_links and seats). */
  instrumentSource(source: CopilotReportSource): CopilotReportSource {
    const timed = (scope: string, phase: string) => this.#timer(scope, phase);
    const links = this.#links;
    return {
      async getReportLinks(scope: Scope, report: ReportKind, day: string) {
        const key = scopeKey(scope);
        const done = timed(key, 'report_links');
        const answer = await source.getReportLinks(scope, report, day);
        done();
        if (answer.status === 'ok') {
          // Links never read (the day failed first) must not pile up.
          if (links.size > MAX_LINKS) links.clear();
          for (const url of answer.links)
            links.set(url, { scope: key, report });
        }
        return answer;
      },
      async *listSeats(scope: Scope) {
        const done = timed(scopeKey(scope), 'seats');
        yield* source.listSeats(scope);
        done();
      },
    };
  }

  /** The report reader, counting records per report and timing each file. */
  instrumentReader(reader: ReportFileReader): ReportFileReader {
    const links = this.#links;
    const link = (url: string) => this.#link(url);
    const timed = (scope: string, phase: string) => this.#timer(scope, phase);
    const rowsCounter = this.#rows;
    return {
      async *entries(url, options) {
        const of = link(url);
        const done = timed(of.scope, 'download');
        let rows = 0;
        try {
          for await (const entry of reader.entries(url, options)) {
            rows += 1;
            yield entry;
          }
        } finally {
          links.delete(url);
          rowsCounter.add(rows, of);
          done();
        }
      },
      ...(reader.spool && {
        spool: async (url: string, options) => {
          const of = link(url);
          const done = timed(of.scope, 'download');
          try {
            const spooled = await reader.spool!(url, options);
            return {
              ...spooled,
              async *entries() {
                let rows = 0;
                try {
                  for await (const entry of spooled.entries()) {
                    rows += 1;
                    yield entry;
                  }
                } finally {
                  rowsCounter.add(rows, of);
                }
              },
            };
          } finally {
            links.delete(url);
            done();
          }
        },
      }),
    };
  }

  /** A fetch for the GitHub API that records the rate-limit headers of every answer. */
  githubFetch(base: typeof fetch = fetch): typeof fetch {
    return async (input, init) => {
      const response = await base(input, init);
      const remaining = Number(response.headers.get('x-ratelimit-remaining'));
      if (response.headers.has('x-ratelimit-remaining') && remaining >= 0) {
        this.#rateLimit.record(remaining, {
          resource: response.headers.get('x-ratelimit-resource') ?? 'core',
        });
      }
      return response;
    };
  }

  /** A fetch for the report downloads that counts their bytes (Content-Length). */
  downloadFetch(base: typeof fetch = fetch): typeof fetch {
    return async (input, init) => {
      const response = await base(input, init);
      const size = Number(response.headers.get('content-length'));
      if (response.ok && size > 0) {
        const url = input instanceof Request ? input.url : String(input);
        this.#bytes.add(size, this.#link(url));
      }
      return response;
    };
  }

  /** Starts timing a phase; the function returned records its duration. */
  #timer(scope: string, phase: string): () => void {
    const started = Date.now();
    return () =>
      this.#phases.record((Date.now() - started) / 1000, { scope, phase });
  }

  /** The scope and report of a download; `unknown` for a URL no link listed (a redirect). */
  #link(url: string) {
    return this.#links.get(url) ?? { scope: 'unknown', report: 'unknown' };
  }
}
