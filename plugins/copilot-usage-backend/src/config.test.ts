import { ConfigReader } from '@backstage/config';
import { readCopilotUsageConfig, resolveBackfillFrom } from './config';

const PER_REPLICA = 'local';

const read = (copilotUsage: unknown) =>
  readCopilotUsageConfig(new ConfigReader({ copilotUsage } as any));

describe('readCopilotUsageConfig', () => {
  it('applies the documented defaults', () => {
    const config = read({ organizations: ['acme'] });
    expect(config).toEqual({
      githubHost: 'github.com',
      organizations: ['acme'],
      refreshDays: 3,
      concurrency: 2,
      minTeamSize: 5,
      trustedGroupOrigins: [],
      download: { allowedHosts: ['*.azurefd.net', '*.blob.core.windows.net'] },
      schedule: {
        frequency: { cron: '0 4 * * *' },
        timeout: { minutes: 60 },
        initialDelay: { seconds: 15 },
        scope: 'global',
      },
    });
  });

  it('accepts a missing block (nothing to sync)', () => {
    expect(readCopilotUsageConfig(new ConfigReader({})).organizations).toEqual(
      [],
    );
  });

  it('reads every key', () => {
    const config = read({
      githubHost: 'ghe.example.com',
      organizations: ['acme', 'umbrella'],
      enterprise: 'big-corp',
      backfillFrom: '2026-01-01',
      refreshDays: 5,
      concurrency: 4,
      minTeamSize: 3,
      download: { allowedHosts: ['127.0.0.1'] },
      archive: { s3: { bucket: 'history', region: 'eu-west-2' } },
      // An adopter asking for a per-replica schedule still gets a global one.
      schedule: {
        frequency: { hours: 6 },
        timeout: 'PT30M',
        scope: PER_REPLICA,
      },
    });
    expect(config).toMatchObject({
      githubHost: 'ghe.example.com',
      organizations: ['acme', 'umbrella'],
      enterprise: 'big-corp',
      backfillFrom: '2026-01-01',
      refreshDays: 5,
      concurrency: 4,
      minTeamSize: 3,
      download: { allowedHosts: ['127.0.0.1'] },
      archive: {
        s3: {
          bucket: 'history',
          region: 'eu-west-2',
          prefix: 'copilot-usage/',
        },
      },
    });
    // scope is forced to global: one replica syncs at a time.
    expect(config.schedule).toEqual({
      frequency: { hours: 6 },
      timeout: expect.objectContaining({ minutes: 30 }),
      initialDelay: { seconds: 15 },
      scope: 'global',
    });
  });

  it.each([
    [
      { organizations: ['acme'], backfillFrom: '2026-13-01' },
      'copilotUsage.backfillFrom: must be a real calendar day in YYYY-MM-DD format',
    ],
    [
      { organizations: ['acme'], backfillFrom: '1/1/2026' },
      'copilotUsage.backfillFrom: must be a real calendar day in YYYY-MM-DD format',
    ],
    [{ organizations: ['acme'], refreshDays: -1 }, 'copilotUsage.refreshDays'],
    [
      { organizations: [''] },
      'copilotUsage.organizations[0]: must not be empty',
    ],
    [
      { organizations: ['acme'], archive: { s3: {} } },
      'copilotUsage.archive.s3.bucket',
    ],
    [
      { organizations: ['acme'], schedule: { frequency: 'often' } },
      'copilotUsage.schedule',
    ],
  ])('rejects %j naming the key', (block, message) => {
    expect(() => read(block)).toThrow(message);
  });
});

describe('resolveBackfillFrom', () => {
  it('defaults to the 28 days ending two days ago', () => {
    expect(resolveBackfillFrom({}, 'org', '2026-11-21')).toBe('2026-10-23');
  });

  it('never goes before the first day GitHub serves', () => {
    expect(
      resolveBackfillFrom({ backfillFrom: '2025-01-01' }, 'org', '2026-11-21'),
    ).toBe('2025-12-12');
    expect(
      resolveBackfillFrom(
        { backfillFrom: '2025-01-01' },
        'enterprise',
        '2026-11-21',
      ),
    ).toBe('2025-10-10');
    expect(
      resolveBackfillFrom({ backfillFrom: '2026-02-03' }, 'org', '2026-11-21'),
    ).toBe('2026-02-03');
  });
});
