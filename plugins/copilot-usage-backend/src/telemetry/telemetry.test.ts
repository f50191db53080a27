import { metricsServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  GithubSimulator,
  startGithubSimulator,
} from '@copilot-usage/github-simulator';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPoint,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import request from 'supertest';
import { addDays, toDay } from '../lib/days';
import { copilotUsagePlugin } from '../plugin';
import { COPILOT_USAGE_METRICS as M } from './CopilotUsageTelemetry';

jest.setTimeout(120_000);

/** An in-memory reader: `collect()` returns what an exporter would send now. */
class InMemoryReader extends MetricReader {
  constructor() {
    super({
      aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
    });
  }
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

const TOKEN = 'ghs_simulated-token';
const TODAY = toDay(new Date());

/*
 * The plugin as installed, with Backstage's own metrics service on a global
 * OpenTelemetry MeterProvider (what an adopter's instrumentation sets up), syncing
 * the GitHub simulator: the metrics are what the sync did and what is stored.
 */
describe('Copilot usage metrics', () => {
  const reader = new InMemoryReader();
  let simulator: GithubSimulator;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    simulator = await startGithubSimulator({
      users: 12,
      teams: 2,
      today: TODAY,
      historyDays: 10,
      token: TOKEN,
    });
    backend = await startTestBackend({
      features: [
        copilotUsagePlugin,
        metricsServiceFactory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                { host: 'github.com', apiBaseUrl: simulator.url, token: TOKEN },
              ],
            },
            copilotUsage: {
              organizations: ['acme'],
              backfillFrom: addDays(TODAY, -6),
              download: { allowedHosts: ['127.0.0.1'] },
              // Only the sync the test asks for.
              schedule: {
                frequency: { hours: 24 },
                initialDelay: { hours: 1 },
              },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await simulator?.close();
    metrics.disable();
  });

  /** The points of one metric, by name. */
  async function points(name: string): Promise<DataPoint<any>[]> {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics
      .filter(s => s.scope.name === 'backstage-plugin-copilot-usage')
      .flatMap(s => s.metrics)
      .filter(m => m.descriptor.name === name)
      .flatMap(m => m.dataPoints as DataPoint<any>[]);
  }

  async function syncAndWait() {
    const admin = mockCredentials.user.header();
    const started = await request(backend.server)
      .post('/api/copilot-usage/sync')
      .set('Authorization', admin);
    expect(started.status).toBe(202);
    for (;;) {
      const { body } = await request(backend.server)
        .get('/api/copilot-usage/status')
        .set('Authorization', admin);
      const [scope] = body.scopes;
      if (!scope.running && scope.lastRunFinishedAt) return scope;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  it('records the sync: runs, days, rows per report, bytes, phases, rate limit', async () => {
    const status = await syncAndWait();
    // backfillFrom is 6 days back, GitHub publishes 2 days later: 5 days.
    expect(status.daysComplete).toBe(5);

    expect(await points(M.syncRuns)).toEqual([
      expect.objectContaining({
        attributes: { scope: 'org:acme', outcome: 'success' },
        value: 1,
      }),
    ]);
    expect(await points(M.syncDays)).toEqual([
      expect.objectContaining({
        attributes: { scope: 'org:acme', result: 'stored' },
        value: 5,
      }),
    ]);

    const rows = await points(M.reportRows);
    const rowsOf = (report: string) =>
      rows.find(p => p.attributes.report === report)?.value;
    expect(rows.map(p => p.attributes.report).sort()).toEqual([
      'aggregate',
      'repos',
      'user-teams',
      'users',
    ]);
    expect(rowsOf('aggregate')).toBe(5); // one org record a day
    expect(rowsOf('users')).toBeGreaterThan(0);

    const bytes = await points(M.downloadSize);
    expect(bytes.length).toBe(4);
    for (const point of bytes) {
      expect(point.attributes.scope).toBe('org:acme');
      expect(point.value).toBeGreaterThan(100);
    }

    const phases = await points(M.phaseDuration);
    expect(phases.map(p => p.attributes.phase).sort()).toEqual([
      'download',
      'report_links',
      'seats',
      'unit',
    ]);
    // 4 reports a day (repos-1-day included), each its own links request and download.
    const countOf = (phase: string) =>
      phases.find(p => p.attributes.phase === phase)!.value.count;
    expect(countOf('report_links')).toBe(20);
    expect(countOf('download')).toBeGreaterThanOrEqual(20);
    expect(countOf('unit')).toBe(1);

    const [rateLimit] = await points(M.rateLimitRemaining);
    expect(rateLimit.attributes).toEqual({ resource: 'core' });
    expect(rateLimit.value).toBeLessThan(5000);
    expect(rateLimit.value).toBeGreaterThan(0);
  });

  it('reports the stored state as gauges: days stored, missing, behind', async () => {
    const value = async (name: string) => {
      const found = await points(name);
      expect(found.map(p => p.attributes)).toEqual([{ scope: 'org:acme' }]);
      return found[0].value;
    };
    await expect(value(M.daysStored)).resolves.toBe(5);
    await expect(value(M.daysMissing)).resolves.toBe(0);
    await expect(value(M.daysBehind)).resolves.toBe(2);
    // No archive configured: no backlog to report.
    await expect(points(M.archiveBacklog)).resolves.toEqual([]);
  });
});
