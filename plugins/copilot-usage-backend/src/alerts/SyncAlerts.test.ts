import {
  CacheService,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  DefaultNotificationService,
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  ScopeSyncStatus,
  SyncStatus,
} from '@copilot-usage/backstage-plugin-copilot-usage-common';
import request from 'supertest';
import { ScopeSyncSummary } from '../ingest/syncTypes';
import { SYNC_STATUS_LINK, SyncAlerts } from './SyncAlerts';

jest.setTimeout(60_000);

const ADMINS = 'group:default/platform-admins';
const NOW = new Date('2026-12-02T08:00:00Z');

/** A scope's status as /status reports it: synced up to the last published day. */
function scopeStatus(patch: Partial<ScopeSyncStatus> = {}): ScopeSyncStatus {
  return {
    scope: 'org:acme',
    running: false,
    lastRunStartedAt: null,
    lastRunFinishedAt: null,
    progress: { daysDone: 0, daysTotal: 0 },
    lastError: null,
    firstDay: '2026-11-01',
    lastCompleteDay: '2026-11-30',
    daysComplete: 30,
    daysWithData: 30,
    daysNoData: 0,
    daysMissing: 0,
    recentFailures: [],
    ...patch,
  };
}

const run = (patch: Partial<ScopeSyncSummary> = {}): ScopeSyncSummary => ({
  scope: 'org:acme',
  days: ['2026-11-30'],
  stored: ['2026-11-30'],
  noData: [],
  failed: [],
  userRows: 3,
  aborted: false,
  finished: true,
  ...patch,
});
const failedRun = run({
  stored: [],
  failed: [{ day: '2026-11-30', error: 'GitHub answered 502' }],
});

/*
 * The alerts as an admin sees them: Backstage's notification service and the real
 * notifications backend, which resolves the admin Group to its members from the
 * catalog; the admin reads their inbox from the notifications API.
 */
describe('SyncAlerts', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let services: { notifications: NotificationService; cache: CacheService };

  beforeAll(async () => {
    // Hands the test the plugin-scoped services an installed plugin would get.
    const servicesOf = createBackendPlugin({
      pluginId: 'copilot-usage',
      register(env) {
        env.registerInit({
          deps: {
            notifications: notificationService,
            cache: coreServices.cache,
          },
          async init(deps) {
            services = deps;
          },
        });
      },
    });
    backend = await startTestBackend({
      features: [
        servicesOf,
        notificationsPlugin,
        mockServices.rootConfig.factory({
          data: { app: { baseUrl: 'http://localhost:3000' } },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'platform-admins', namespace: 'default' },
              spec: { type: 'team', children: [] },
              relations: [
                { type: 'hasMember', targetRef: 'user:default/carol' },
              ],
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'carol', namespace: 'default' },
              spec: { memberOf: ['platform-admins'] },
              relations: [{ type: 'memberOf', targetRef: ADMINS }],
            },
          ],
        }),
      ],
    });
  });

  afterAll(() => backend?.stop());

  /** Carol's inbox, newest first: title, severity, link. */
  async function inbox() {
    const response = await request(backend.server)
      .get('/api/notifications')
      .set('Authorization', mockCredentials.user.header('user:default/carol'));
    expect(response.status).toBe(200);
    return (response.body.notifications as any[]).map(n => ({
      id: n.id as string,
      title: n.payload.title,
      severity: n.payload.severity,
      link: n.payload.link,
      read: Boolean(n.read),
    }));
  }

  /** Carol reads her notifications (a notification sent again would be unread). */
  async function readAll() {
    const ids = (await inbox()).map(n => n.id);
    const response = await request(backend.server)
      .post('/api/notifications/update')
      .set('Authorization', mockCredentials.user.header('user:default/carol'))
      .send({ ids, read: true });
    expect(response.status).toBe(200);
  }

  it('tells the admins once per incident and once when it is resolved', async () => {
    let status: SyncStatus = { scopes: [scopeStatus()] };
    const alerts = new SyncAlerts({
      ...services,
      status: async () => status,
      adminGroups: [ADMINS],
      logger: mockServices.logger.mock(),
      now: () => NOW,
    });

    // One failed run is not yet an incident.
    await alerts.recordRun(failedRun);
    await alerts.check();
    await expect(inbox()).resolves.toEqual([]);

    await alerts.recordRun(failedRun);
    status = {
      scopes: [
        scopeStatus({ lastError: '1 day not stored: GitHub answered 502' }),
      ],
    };
    await alerts.check();
    await expect(inbox()).resolves.toEqual([
      {
        id: expect.any(String),
        title: 'Copilot usage sync of org:acme is failing',
        severity: 'high',
        link: SYNC_STATUS_LINK,
        read: false,
      },
    ]);
    // Still the same incident: not sent again, so it stays read.
    await readAll();
    await alerts.recordRun(failedRun);
    await alerts.check();
    await expect(inbox()).resolves.toEqual([
      expect.objectContaining({ read: true }),
    ]);

    // Stale data and an unreachable bucket are incidents of their own.
    status = {
      scopes: [
        scopeStatus({
          lastCompleteDay: '2026-11-25',
          archive: {
            lastRunAt: null,
            lastSuccessAt: null,
            lastError: 'connect ECONNREFUSED 127.0.0.1:9000',
            daysPending: 4,
            importsPending: 0,
          },
        }),
      ],
    };
    await alerts.recordRun(run({ finished: false })); // an unfinished run counts for nothing
    await alerts.check();
    expect((await inbox()).map(n => n.title).sort()).toEqual([
      'Copilot usage archive of org:acme is unreachable',
      'Copilot usage data of org:acme is out of date',
      'Copilot usage sync of org:acme is failing',
    ]);

    // All well again: each incident's notification becomes its resolution.
    await alerts.recordRun(run());
    status = { scopes: [scopeStatus()] };
    await alerts.check();
    await alerts.check();
    const resolved = await inbox();
    expect(resolved.map(n => n.title).sort()).toEqual([
      'Resolved: Copilot usage archive of org:acme was unreachable',
      'Resolved: Copilot usage data of org:acme was out of date',
      'Resolved: Copilot usage sync of org:acme was failing',
    ]);
    expect(resolved.every(n => n.severity === 'normal')).toBe(true);
  });

  it('goes on without the notifications backend, and tells once it is there', async () => {
    const logger = mockServices.logger.mock();
    const { port } = backend.server.address() as { port: number };
    const status: SyncStatus = {
      scopes: [
        scopeStatus({ scope: 'org:other', lastCompleteDay: '2026-11-01' }),
      ],
    };
    // A backend without the notifications plugin: nothing answers at its URL.
    const unavailable = DefaultNotificationService.create({
      auth: mockServices.auth({ pluginId: 'copilot-usage' }),
      discovery: {
        getBaseUrl: async () => `http://localhost:${port}/api/not-installed`,
        getExternalBaseUrl: async () => '',
      },
    });
    const withoutBackend = new SyncAlerts({
      ...services,
      notifications: unavailable,
      status: async () => status,
      adminGroups: [ADMINS],
      logger,
      now: () => NOW,
    });
    await expect(withoutBackend.check()).resolves.toBeUndefined();
    await expect(withoutBackend.check()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);

    // The incident was not marked as told: a later check with the backend tells it.
    await new SyncAlerts({
      ...services,
      status: async () => status,
      adminGroups: [ADMINS],
      logger,
      now: () => NOW,
    }).check();
    expect((await inbox()).map(n => n.title)).toContain(
      'Copilot usage data of org:other is out of date',
    );
  });
});
