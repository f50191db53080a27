import { METRICS_COUNTER_KEYS } from '@copilot-usage/backstage-plugin-copilot-usage-common';
import { Knex } from 'knex';
import {
  MetricsQueries,
  TeamMembershipReader,
  TeamRangeSummary,
} from '../CopilotUsageStore';
import {
  DbRecord,
  aggregateDayFromRecord,
  breakdownTotalFromRecord,
  seatFromRecord,
  teamDayFromRecord,
  toNumber,
  userDayFromRecord,
} from '../records';
import {
  countTeamUsersOnDays,
  countUsersInRange,
  countUsersOnDays,
} from './dayBits';
import { daysBetween } from '../../lib/days';
import { getBreakdownTotals } from './breakdownMonths';
import { countActiveSince, countTeamUsersSince } from './lastDays';
import { getScopeDays } from './scopeDays';
import { getLastTeamDays, getTeamSums } from './teamMonths';

/** The read side of the metrics: pre-aggregated rows, a scope and a range at a time. */
export function metricsQueries(db: Knex): MetricsQueries {
  return {
    async getTeamDays(scope, teamSlug, from, to) {
      const records = await db('team_day')
        .where({ scope, team_slug: teamSlug })
        .whereBetween('day', [from, to])
        .orderBy('day');
      return records.map(teamDayFromRecord);
    },

    countTeamActiveUsers(scope, teamSlug, from, to, onlyDays) {
      return countUsersInRange(
        db,
        'team_user_year',
        'active',
        { scope, team_slug: teamSlug },
        { from, to, onlyDays },
      );
    },

    countTeamMembers(scope, teamSlug, days) {
      return countUsersOnDays(
        db,
        'team_user_year',
        'member',
        { scope, team_slug: teamSlug },
        days,
      );
    },

    async getTeamRangeSummaries(scope, from, to, minMembers) {
      // Whole months from team_month, the rest from team_day (./teamMonths); the
      // distinct counts from the last days (a range that ends today, ./lastDays) or
      // the day bits: a few grouped reads for every team.
      const [sums, users] = await Promise.all([
        getTeamSums(db, scope, from, to, minMembers),
        countTeamUsersSince(db, scope, from, to).then(
          counted =>
            counted ?? countTeamUsersOnDays(db, scope, daysBetween(from, to)),
        ),
      ]);
      return [...sums].map(([teamSlug, sum]) => {
        const summary = {
          teamSlug,
          days: sum.days,
          eligibleDays: sum.eligibleDays,
          reportDays: sum.reportDays,
          lastMemberCount: sum.lastMemberCount,
          activeUserDays: sum.activeUserDays,
          memberDays: sum.memberDays,
          // Each day's credits have six decimals; so has their sum (not its float noise).
          aiCredits:
            sum.creditDays > 0 ? Math.round(sum.aiCredits * 1e6) / 1e6 : null,
          activeUsers: users.get(teamSlug)?.active ?? 0,
          members: users.get(teamSlug)?.member ?? 0,
        } as TeamRangeSummary;
        // A loop, not a spread of built pairs: 5,000 teams make garbage enough.
        for (const key of METRICS_COUNTER_KEYS) summary[key] = sum[key];
        return summary;
      });
    },

    async getAggregateDays(scope, from, to) {
      const records = await db('aggregate_day')
        .where({ scope })
        .whereBetween('day', [from, to])
        .orderBy('day');
      return records.map(aggregateDayFromRecord);
    },

    async countActiveUsers(scope, from, to) {
      // A range that ends today: from the people's last active days (./lastDays).
      return (
        (await countActiveSince(db, scope, from, to)) ??
        countUsersInRange(
          db,
          'scope_user_year',
          'active',
          { scope },
          { from, to },
        )
      );
    },

    async getDailyFeatureUsers(scope, from, to) {
      // Pre-aggregated by the rollup rebuild: one row a day, not the day's user rows.
      const days = await getScopeDays(db, scope, from, to);
      return days.map(({ day, chatUsers, agentUsers, cliUsers }) => ({
        day,
        chatUsers,
        agentUsers,
        cliUsers,
      }));
    },

    getBreakdownTotals(scope, subject, from, to, dimension, onlyDays) {
      // Whole months from breakdown_month, the rest from breakdown_day.
      return getBreakdownTotals(
        db,
        scope,
        subject,
        from,
        to,
        dimension,
        onlyDays,
      );
    },

    async getBreakdownDays(scope, subject, from, to) {
      const records: DbRecord[] = await db('breakdown_day')
        .where({ scope, subject })
        .whereBetween('day', [from, to])
        .orderBy(['day', 'dimension', 'key']);
      return records.map(record => ({
        day: record.day as string,
        ...breakdownTotalFromRecord(record),
      }));
    },

    async getUserDays(scope, user, from, to) {
      const query = db('user_day')
        .where({ scope })
        .whereBetween('day', [from, to])
        .orderBy('day');
      // The id survives renames, so it wins when both are given.
      if (user.userId !== undefined) {
        query.where({ user_id: user.userId });
      } else if (user.userLogin !== undefined) {
        query.where({ user_login: user.userLogin });
      } else {
        return [];
      }
      const records = await query;
      return records.map(userDayFromRecord);
    },

    async getLatestSeats(scope) {
      const records = await db('seat_snapshot')
        .where({ scope })
        .where(
          'snapshot_day',
          db('seat_snapshot').max('snapshot_day').where({ scope }),
        )
        .orderBy('user_login');
      return records.map(seatFromRecord);
    },
  };
}

/** Teams and their members as GitHub's user-teams reports list them. */
export function teamMembershipReader(db: Knex): TeamMembershipReader {
  return {
    listTeams(scope) {
      // From team_month and the imported rows: not a scan of every team_day row.
      return getLastTeamDays(db, scope);
    },

    async getLatestTeamMemberLogins(scope, teamSlug) {
      const lastDay = db('user_team_day')
        .where({ scope, team_slug: teamSlug })
        .max('day');
      const records = await db('user_team_day')
        .where({ scope, team_slug: teamSlug })
        .where('day', lastDay)
        .select('user_login')
        .orderBy('user_login');
      return records.map(record => record.user_login);
    },

    async getLatestMembership(scope) {
      // The newest day is one primary-key seek; its rows one day's range of it.
      const [latest] = await db('user_team_day')
        .where({ scope })
        .max({ day: 'day' });
      if (!latest?.day) {
        return undefined;
      }
      const records: DbRecord[] = await db('user_team_day')
        .select('team_slug')
        .count({ member_count: '*' })
        .where({ scope, day: latest.day })
        .groupBy('team_slug')
        .orderBy('team_slug');
      return {
        day: latest.day,
        teams: records.map(record => ({
          teamSlug: record.team_slug,
          memberCount: toNumber(record.member_count),
        })),
      };
    },

    async getTeamIds(scope) {
      const records: DbRecord[] = await db('user_team_day')
        .select('team_slug')
        .max({ team_id: 'team_id' })
        .where({ scope })
        .groupBy('team_slug');
      return new Map(
        records.map(record => [record.team_slug, toNumber(record.team_id)]),
      );
    },
  };
}
