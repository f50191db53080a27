import { copilotUsagePermissionRules } from '@copilot-usage/backstage-plugin-copilot-usage-node';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { CopilotUsageArchive } from '../archive/CopilotUsageArchive';
import { TestS3, unreachableBucket } from '../archive/__testUtils__/s3';
import {
  PREFIX,
  SCOPE,
  SyncedArchive,
  startSyncedArchive,
} from '../archive/__testUtils__/syncedArchive';
import { ImportService } from '../import/ImportService';
import { DatabaseCopilotUsageStore } from '../store/DatabaseCopilotUsageStore';
import { createRouter } from './router';
import { TeamDirectory } from './TeamDirectory';
import { UserErasure } from './UserErasure';
import { readReportLines } from '../store/operations/reportLines';

jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'erasing one person (%s)',
  databaseId => {
    let s3: TestS3;
    let knex: Knex;
    let store: DatabaseCopilotUsageStore;
    let archive: CopilotUsageArchive;
    const logger = mockServices.logger.mock();

    let harness: SyncedArchive;
    beforeAll(async () => {
      harness = await startSyncedArchive(
        databases,
        databaseId as TestDatabaseId,
      );
      ({ s3, knex, store, archive } = harness);
      await harness.sync();
      await archive.archive({ scopes: [SCOPE], logger });
    });
    afterAll(() => harness.close());

    const gunzipLines = async (key: string) =>
      gunzipSync((await s3.bucket.get(key))!)
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
    const reportKeys = async () =>
      (await s3.bucket.list(PREFIX)).filter(key =>
        /(users-1-day|user-teams-1-day|seats)\//.test(key),
      );
    async function archiveLines() {
      const result = new Map<string, string[]>();
      for (const key of await reportKeys()) {
        result.set(key, await gunzipLines(key));
      }
      return result;
    }
    /** GitHub's users lines the store keeps, every day in order. */
    async function storedUserLines() {
      const days: string[] = await knex('user_day')
        .distinct('day')
        .orderBy('day')
        .pluck('day');
      const lines: string[] = [];
      for (const day of days) {
        lines.push(...(await readReportLines(knex, SCOPE, day, 'users')));
      }
      return lines;
    }
    const personal = async (table: string, userId: number) =>
      knex(table).where({ user_id: userId });

    /** The person with rows on most days (an active member of some team). */
    async function activeMember() {
      const records: any[] = await knex('user_day')
        .join('user_team_day', join =>
          join
            .on('user_team_day.user_id', 'user_day.user_id')
            .andOn('user_team_day.day', 'user_day.day'),
        )
        .select('user_day.user_id', 'user_day.user_login')
        .count({ n: '*' })
        .groupBy('user_day.user_id', 'user_day.user_login')
        .orderBy([{ column: 'n', order: 'desc' }, 'user_day.user_id']);
      return {
        userId: Number(records[0].user_id),
        login: String(records[0].user_login),
      };
    }

    async function router(allow: boolean, erasure: UserErasure) {
      const catalog = catalogServiceMock({ entities: [] });
      const auth = mockServices.auth();
      const auditor = mockServices.auditor.mock();
      const app = express()
        .use(
          await createRouter({
            logger,
            httpAuth: mockServices.httpAuth(),
            userInfo: mockServices.userInfo(),
            auth,
            auditor,
            permissions: mockServices.permissions({
              result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
            }),
            permissionsRegistry: mockServices.permissionsRegistry.mock({
              getPermissionRuleset: () =>
                ({
                  getRuleByName: (name: string) =>
                    Object.values(copilotUsagePermissionRules).find(
                      rule => rule.name === name,
                    ),
                }) as any,
            }),
            catalog,
            store,
            teamDirectory: new TeamDirectory({
              catalog,
              auth,
              membership: store,
              organizations: ['acme'],
            }),
            config: { organizations: ['acme'], minTeamSize: 1 },
            triggerSync: async () => 'started',
            userErasure: erasure,
          }),
        )
        .use(mockErrorHandler());
      return { app, auditor };
    }
    const admin = mockCredentials.user.header('user:default/admin');

    it('refuses bad logins (400) and callers without the permission (403), audited', async () => {
      const erasure = new UserErasure({ store, archive });
      const erase = jest.spyOn(erasure, 'erase');
      const { app, auditor } = await router(false, erasure);
      const bad = await request(app)
        .delete('/users/-not_a login')
        .set('Authorization', admin);
      expect(bad.status).toBe(400);
      const denied = await request(app)
        .delete('/users/someone')
        .set('Authorization', admin);
      expect(denied.status).toBe(403);
      expect(erase).not.toHaveBeenCalled();
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'user-erase',
          severityLevel: 'high',
        }),
      );
    });

    it('answers 409 while a sync or a restore runs', async () => {
      const erasure = new UserErasure({
        store,
        archive,
        busy: async () => 'a sync is running',
      });
      const { app } = await router(true, erasure);
      const response = await request(app)
        .delete('/users/someone')
        .set('Authorization', admin);
      expect(response.status).toBe(409);
    });

    it('keeps the database as it was when the bucket is unreachable', async () => {
      const person = await activeMember();
      const offline = new CopilotUsageArchive({
        bucket: unreachableBucket(),
        prefix: PREFIX,
        store,
      });
      const answer = await new UserErasure({ store, archive: offline }).erase(
        person.login,
      );
      expect(answer.complete).toBe(false);
      expect(answer.archive.error).toMatch(/could not be rewritten/);
      expect(
        (await personal('user_day', person.userId)).length,
      ).toBeGreaterThan(0);
    });

    it('removes the rows and archive lines of the person, and only theirs; team figures are rebuilt', async () => {
      const person = await activeMember();
      const otherUsersBefore = await knex('user_day')
        .whereNot({ user_id: person.userId })
        .orderBy(['day', 'user_id'])
        .select('day', 'user_id', 'interactions');
      const otherLinesBefore = (await storedUserLines()).filter(
        line => JSON.parse(line).user_id !== person.userId,
      );
      expect(otherLinesBefore.length).toBeLessThan(
        (await storedUserLines()).length,
      );
      const linesBefore = await archiveLines();
      const aggregateBefore = await knex('aggregate_day').orderBy('day');
      const teamDayBefore = await knex('team_day').orderBy([
        'day',
        'team_slug',
      ]);
      // The org's distinct active users come from the per-user rows.
      const orgActiveBefore = await store.countActiveUsers(
        SCOPE,
        '2000-01-01',
        '2100-01-01',
      );

      const erasure = new UserErasure({ store, archive });
      const { app, auditor } = await router(true, erasure);
      const response = await request(app)
        .delete(`/users/${person.login.toUpperCase()}`)
        .set('Authorization', admin);
      expect(response.status).toBe(200);
      const answer = response.body;
      expect(answer.complete).toBe(true);
      expect(
        await store.countActiveUsers(SCOPE, '2000-01-01', '2100-01-01'),
      ).toBe(orgActiveBefore - 1);
      expect(answer.removed.userDay).toBeGreaterThan(0);
      expect(answer.removed.userTeamDay).toBeGreaterThan(0);
      expect(answer.removed.teamActiveUserDay).toBeGreaterThan(0);
      expect(answer.scopes[0].scope).toBe(SCOPE);
      expect(answer.archive.filesRewritten.length).toBeGreaterThan(0);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({ eventId: 'user-erase' }),
      );

      for (const table of [
        'user_day',
        'user_team_day',
        'team_active_user_day',
        'seat_snapshot',
      ]) {
        expect(await personal(table, person.userId)).toEqual([]);
      }
      expect(
        await knex('seat_snapshot').whereRaw('LOWER(user_login) = ?', [
          person.login.toLowerCase(),
        ]),
      ).toEqual([]);
      // Everyone else's rows are as they were; GitHub's aggregate too.
      expect(
        await knex('user_day')
          .orderBy(['day', 'user_id'])
          .select('day', 'user_id', 'interactions'),
      ).toEqual(otherUsersBefore);
      // GitHub's stored lines too: the person's are gone, the others' unchanged.
      expect(await storedUserLines()).toEqual(otherLinesBefore);
      expect(await knex('aggregate_day').orderBy('day')).toEqual(
        aggregateBefore,
      );
      expect(await knex('team_day').orderBy(['day', 'team_slug'])).not.toEqual(
        teamDayBefore,
      );

      // Archive: the person's lines are gone, every other line is byte-identical.
      const linesAfter = await archiveLines();
      expect([...linesAfter.keys()]).toEqual([...linesBefore.keys()]);
      for (const [key, before] of linesBefore) {
        const mine = (line: string) => {
          const record = JSON.parse(line);
          return (
            record.user_id === person.userId ||
            record.assignee?.id === person.userId
          );
        };
        expect(linesAfter.get(key)).toEqual(before.filter(line => !mine(line)));
      }

      // The figures equal a recomputation without the person: a database restored from
      // the rewritten archive alone.
      const freshKnex = await databases.init(databaseId as TestDatabaseId);
      try {
        const fresh = await DatabaseCopilotUsageStore.create({
          database: mockServices.database({ knex: freshKnex }),
        });
        const freshArchive = new CopilotUsageArchive({
          bucket: s3.bucket,
          prefix: PREFIX,
          store: fresh,
        });
        await freshArchive.restore({
          logger,
          imports: new ImportService({
            store: fresh,
            archive: freshArchive,
            logger,
          }),
        });
        const figures = (db: Knex, table: string, order: string[]) =>
          db(table)
            .where({ scope: SCOPE })
            .orderBy(order)
            .then(rows => rows.map(({ updated_at, source, ...rest }) => rest));
        expect(await figures(knex, 'team_day', ['day', 'team_slug'])).toEqual(
          await figures(freshKnex, 'team_day', ['day', 'team_slug']),
        );
        expect(
          await figures(knex, 'team_active_user_day', [
            'day',
            'team_slug',
            'user_id',
          ]),
        ).toEqual(
          await figures(freshKnex, 'team_active_user_day', [
            'day',
            'team_slug',
            'user_id',
          ]),
        );
        const teamBreakdowns = (db: Knex) =>
          db('breakdown_day')
            .where({ scope: SCOPE })
            .where('subject', 'like', 'team:%')
            .orderBy(['day', 'subject', 'dimension', 'key']);
        expect(await teamBreakdowns(knex)).toEqual(
          await teamBreakdowns(freshKnex),
        );
      } finally {
        await freshKnex.destroy();
      }

      // Calling again finds nothing left.
      const again = await erasure.erase(person.login);
      expect(again.removed).toEqual({
        userDay: 0,
        userTeamDay: 0,
        teamActiveUserDay: 0,
        seatSnapshot: 0,
      });
      expect(again.archive.filesRewritten).toEqual([]);
    });
  },
);
