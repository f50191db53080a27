import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { readCopilotUsagePolicyOptions } from '@copilot-usage/backstage-plugin-copilot-usage-node';
import { registerCopilotUsageActions } from './actions/registerCopilotUsageActions';
import { SyncAlerts } from './alerts/SyncAlerts';
import { CopilotUsageArchive } from './archive/CopilotUsageArchive';
import { S3ArchiveBucket } from './archive/S3ArchiveBucket';
import { readCopilotUsageConfig } from './config';
import { GithubCopilotClient } from './github/GithubCopilotClient';
import { ReportReader } from './github/ReportReader';
import { SyncRunner } from './ingest/SyncRunner';
import { SyncSchedule } from './ingest/SyncSchedule';
import { ImportService } from './import/ImportService';
import { registerPermissions } from './service/permissions';
import { LIVE_READS, StoreReadCache } from './lib/storeReadCache';
import { PermissionChecksCache } from './service/PermissionChecksCache';
import { UserRowRetention, applyRetention } from './store/operations/retention';
import { createRouter } from './service/router';
import { RepositoryClaims } from './service/RepositoryClaims';
import { TeamDirectory } from './service/TeamDirectory';
import { SyncStatusReport } from './service/SyncStatusReport';
import { UsageReads } from './service/UsageReads';
import { CopilotUsageTelemetry } from './telemetry/CopilotUsageTelemetry';
import { UserErasure } from './service/UserErasure';
import { DatabaseCopilotUsageStore } from './store/DatabaseCopilotUsageStore';
import { scopeKey } from './lib/scope';

/**
 * Copilot usage backend plugin: syncs GitHub's Copilot usage reports into the
 * plugin database on a schedule and serves permission-checked metrics.
 *
 * @public
 */
export const copilotUsagePlugin = createBackendPlugin({
  pluginId: 'copilot-usage',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        metrics: metricsServiceRef,
        notifications: notificationService,
        cache: coreServices.cache,
      },
      async init(deps) {
        const { rootConfig, logger, database, scheduler, httpRouter } = deps;
        const config = readCopilotUsageConfig(rootConfig);
        // Route reads kept until the next write (lib/storeReadCache.ts).
        const readCache = new StoreReadCache();
        const store = readCache.invalidatedBy(
          await DatabaseCopilotUsageStore.create({ database }),
        );

        const retention = new UserRowRetention(await database.getClient(), {
          userDays: config.retention?.userDays,
        });
        const s3 = config.archive?.s3;
        // OpenTelemetry metrics: the sync as it runs, the stored state as gauges.
        const syncStatus = () =>
          new SyncStatusReport({
            ...config,
            store,
            archiveConfigured: Boolean(s3),
          }).get();
        const telemetry = new CopilotUsageTelemetry(deps.metrics, {
          status: syncStatus,
        });
        // Admin notifications: failing syncs, stale data, an unreachable bucket.
        const alerts = new SyncAlerts({
          notifications: deps.notifications,
          cache: deps.cache,
          status: syncStatus,
          adminGroups: readCopilotUsagePolicyOptions(rootConfig).adminGroups,
          logger,
        });
        const checkAlerts = () =>
          alerts
            .check()
            .catch(error =>
              logger.warn(`Copilot usage alerts: ${(error as Error).message}`),
            );
        // Both need the runner, which asks them first: set right after it.
        const late: { archive?: CopilotUsageArchive; imports?: ImportService } =
          {};
        const runner = new SyncRunner({
          config,
          store,
          github: telemetry.instrumentSource(
            GithubCopilotClient.fromConfig(rootConfig, {
              githubHost: config.githubHost,
              logger,
              fetch: telemetry.githubFetch(),
            }),
          ),
          reader: telemetry.instrumentReader(
            new ReportReader({
              allowedHosts: config.download.allowedHosts,
              fetch: telemetry.downloadFetch(),
            }),
          ),
          observer: {
            scopeUnitDone: (summary, durationMs) => {
              telemetry.scopeUnitDone(summary, durationMs);
              alerts.recordRun(summary).then(checkAlerts, checkAlerts);
            },
          },
          // Restore and sync never run at once (docs/install.md).
          waitFor: async () =>
            (await late.archive?.isRestoring())
              ? 'a restore from the archive is running'
              : undefined,
          beforeUnit: async ({ logger: unitLogger }) => {
            await late.archive?.restoreIfEmpty({
              logger: unitLogger,
              imports: late.imports!,
            });
          },
        });
        const archive = s3
          ? new CopilotUsageArchive({
              bucket: S3ArchiveBucket.fromConfig(s3),
              prefix: s3.prefix,
              store,
              isSyncRunning: () => runner.isRunning(),
            })
          : undefined;
        const imports = new ImportService({ store, archive, logger });
        Object.assign(late, { archive, imports });
        const restoreFrom = archive;
        const sync = await SyncSchedule.start({
          scheduler,
          schedule: config.schedule,
          runner,
          logger,
          lifecycle: deps.lifecycle,
          afterRun:
            restoreFrom || retention.firstKeptDay()
              ? async () => {
                  await restoreFrom?.archive({
                    scopes: runner.scopes().map(scopeKey),
                    logger,
                  });
                  // After the archive, which writes the lines of these days first.
                  await applyRetention(retention, readCache, logger);
                }
              : undefined,
        });

        // Stale data builds up without any sync run: look every half hour too.
        await scheduler.scheduleTask({
          id: 'copilot-usage-alerts',
          scope: 'global',
          frequency: { minutes: 30 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 5 },
          fn: checkAlerts,
        });

        const teamDirectory = new TeamDirectory({
          catalog: deps.catalog,
          auth: deps.auth,
          membership: store,
          organizations: config.organizations,
          enterprise: config.enterprise,
          githubHost: config.githubHost,
          trustedGroupOrigins: config.trustedGroupOrigins,
          logger,
        });
        registerPermissions(deps.permissionsRegistry, {
          getResources: refs => teamDirectory.getResources(refs),
        });

        httpRouter.use(
          await createRouter({
            ...deps,
            store: readCache.cached(store, LIVE_READS),
            permissions: new PermissionChecksCache(deps.permissions),
            teamDirectory,
            config,
            repositoryClaims: new RepositoryClaims({
              githubHost: config.githubHost,
              trustedComponentOrigins: config.trustedComponentOrigins,
            }),
            triggerSync: () => sync.trigger(),
            imports,
            restoreArchive: restoreFrom
              ? () => restoreFrom.restore({ logger, imports })
              : undefined,
            userErasure: new UserErasure({
              store,
              archive: restoreFrom,
              busy: async () => {
                if (await runner.isRunning()) return 'a sync is running';
                return (await restoreFrom?.isRestoring())
                  ? 'a restore from the archive is running'
                  : undefined;
              },
            }),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        // MCP tools (through @backstage/plugin-mcp-actions-backend), as the calling user.
        registerCopilotUsageActions({
          actionsRegistry: deps.actionsRegistry,
          reads: new UsageReads({
            ...deps,
            store,
            teamDirectory,
            config,
            archiveConfigured: Boolean(restoreFrom),
          }),
          organizations: config.organizations,
        });
      },
    });
  },
});
