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
      trustedComponentOrigins: [],
      download: { allowedHosts: ['*.azurefd.net', '*.blob.core.windows.net'] },
      schedule: {
        frequency: { cron: '0 4 * * *' },
        timeout: { minutes: 60 },
        initialDelay: { seconds: 15 },
        scope: 'global',
      },
    });
  });

  it('reads backfillFrom, the fixed first day, instead of backfillDays', () => {
    const config = read({
      organizations: ['acme'],
      backfillFrom: '2026-06-01',
    });
    expect(config.backfillFrom).toBe('2026-06-01');
    expect(config).not.toHaveProperty('backfillDays');
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
      backfillDays: 90,
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
      backfillDays: 90,
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
    [{ organizations: ['acme'], backfillDays: 0 }, 'copilotUsage.backfillDays'],
    [
      { organizations: ['acme'], backfillDays: 90, backfillFrom: '2026-01-01' },
      'copilotUsage.backfillDays: set either backfillFrom or backfillDays, not both',
    ],
  ])('rejects %j naming the key', (block, message) => {
    expect(() => read(block)).toThrow(message);
  });
});

describe('resolveBackfillFrom', () => {
  it('defaults to the whole window GitHub still holds', () => {
    // org reports start 2025-12-12
    expect(resolveBackfillFrom({}, 'org', '2026-11-21')).toBe('2025-12-12');
    // a year back from today, once that is after the API's first day
    expect(resolveBackfillFrom({}, 'org', '2027-03-01')).toBe('2026-03-01');
    expect(resolveBackfillFrom({}, 'enterprise', '2026-11-21')).toBe(
      '2025-11-21',
    );
  });

  it('takes backfillDays ending on the last day GitHub publishes', () => {
    // today - 2 is 2026-11-19; 28 days end there
    expect(resolveBackfillFrom({ backfillDays: 28 }, 'org', '2026-11-21')).toBe(
      '2026-10-23',
    );
    expect(resolveBackfillFrom({ backfillDays: 1 }, 'org', '2026-11-21')).toBe(
      '2026-11-19',
    );
    expect(
      resolveBackfillFrom({ backfillDays: 5000 }, 'org', '2026-11-21'),
    ).toBe('2025-12-12');
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
    ).toBe('2025-11-21');
    expect(
      resolveBackfillFrom({ backfillFrom: '2026-02-03' }, 'org', '2026-11-21'),
    ).toBe('2026-02-03');
  });
});

describe('copilotUsage.retention', () => {
  it('keeps every day unless userDays is set', () => {
    expect(read({ organizations: ['acme'] }).retention).toBeUndefined();
    expect(
      read({ organizations: ['acme'], retention: { userDays: 90 } }).retention,
    ).toEqual({ userDays: 90 });
  });

  it('refuses fewer than 28 days, or a fraction, naming the key', () => {
    expect(() => read({ retention: { userDays: 7 } })).toThrow(
      /copilotUsage\.retention\.userDays.*at least 28/,
    );
    expect(() => read({ retention: { userDays: 30.5 } })).toThrow(
      /copilotUsage\.retention\.userDays/,
    );
  });
});
