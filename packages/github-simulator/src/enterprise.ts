/*
 * The enterprise: the first org (exactly as `createSyntheticOrg` builds it) plus
 * smaller orgs, some users members of two orgs, and enterprise teams.
 *
 * A user's Copilot activity belongs to the user, not to an org (IDE telemetry
 * carries no org): GitHub reports it in full in every org the user is a member
 * of ("org-level metrics follow org membership") and once in the enterprise
 * ("deduplicated only in enterprise reports"). So a shared user's row is the
 * same in each org's users-1-day, the enterprise has one row per user per day,
 * and the enterprise aggregate counts distinct users: less than the orgs' sum.
 */
import { addDays, formatDay, timestampOn, toDayNumber } from './days';
import { buildEnterpriseTeams } from './enterpriseTeams';
import { assembleOrg, firstOrgParts, OrgParts, resolveOrgOptions } from './org';
import { buildPeople, MIN_REPORTED_TEAM_SIZE, UserProfile } from './people';
import { hashInts, randomFor, shuffled } from './random';
import {
  Aggregate28DayReport,
  AggregateDayRecord,
  EnterpriseCopilotSeat,
  ExtraOrgOptions,
  OrganizationSimple,
  SyntheticOrg,
  SyntheticOrgOptions,
  SyntheticTeam,
  SyntheticUser,
  TeamMembership,
  UserDayRecord,
  UserTeamRecord,
} from './types';
import { UsageModel } from './usage';

/** What the report files of an org or of the enterprise are generated from. */
export type ReportSource = Pick<
  SyntheticOrg,
  | 'users'
  | 'iterateUsersReport'
  | 'userTeamsReport'
  | 'aggregateReport'
  | 'latest28DayWindow'
  | 'aggregate28DayReport'
>;

/**
 * The enterprise: its orgs (the first one exactly as `createSyntheticOrg` builds
 * it) and its own reports, which hold each user once and its enterprise teams.
 */
export interface SyntheticEnterprise extends ReportSource {
  readonly enterprise: string;
  readonly enterpriseId: string;
  /** The first org (`org` option) first. */
  readonly orgs: readonly SyntheticOrg[];
  org(name: string): SyntheticOrg | undefined;
  /** The orgs the user is a member of. */
  orgsOf(userId: number): string[];
  /** Every user of every org, once; the index into this list is the report order. */
  readonly users: readonly SyntheticUser[];
  /** Enterprise teams (slug `ent:<name>`). */
  readonly teams: readonly SyntheticTeam[];
  readonly firstDay: string;
  readonly lastDay: string;
  days(): string[];
  /** Point-in-time membership of the enterprise teams (small ones included). */
  membersOn(day: string): TeamMembership[];
  /** The enterprise users-1-day rows: one per active user, no organization_id. */
  usersReport(day: string): UserDayRecord[];
  /** membersOn(day) as enterprise user-teams rows, leaving out teams under 5 members. */
  userTeamsReport(day: string): UserTeamRecord[];
  /** enterprise-1-day: distinct users over all orgs. */
  aggregateReport(day: string): AggregateDayRecord | undefined;
  /**
   * The enterprise seat list: every org's seats (orgs in order, then user id),
   * each naming its org, so a person in two orgs holds two seat objects.
   */
  seats(): EnterpriseCopilotSeat[];
  /** GitHub's enterprise `total_seats`: distinct seat holders. */
  seatHolders(): number;
  revisionOf(day: string): number;
  /** GitHub revised that day: every org's and the enterprise's reports change. */
  revise(day: string): void;
}

const SALT_ORG = 31;
const SALT_SHARE = 32;

/** The orgs next to the first one unless `extraOrgs` says otherwise. */
export const DEFAULT_EXTRA_ORGS: readonly ExtraOrgOptions[] = [
  {
    org: 'acme-labs',
    users: 14,
    teams: 3,
    smallTeams: 1,
    teamNames: ['Research', 'Model Evaluation', 'Prototyping'],
    smallTeamNames: ['Paper Club'],
    sharedWith: { acme: 4 },
  },
  {
    org: 'acme-cloud',
    users: 12,
    teams: 2,
    smallTeams: 1,
    teamNames: ['Cloud Runtime', 'Edge Network'],
    smallTeamNames: ['On-call Leads'],
    sharedWith: { acme: 2, 'acme-labs': 2 },
  },
];

/** Who may be shared: people who use Copilot, so the overlap shows in the figures. */
function usesCopilot(user: UserProfile): boolean {
  return !user.neverUsed && !Number.isFinite(user.lapsedAfter);
}

/** Builds the deterministic enterprise and its orgs; no server needed. */
export function createSyntheticEnterprise(
  options: SyntheticOrgOptions = {},
): SyntheticEnterprise {
  const resolved = resolveOrgOptions(options);
  const { seed } = resolved;
  const first = firstOrgParts(resolved);
  const { firstDayNumber, lastDayNumber, revisions, enterpriseId } = first;
  const takenLogins = new Set(first.people.users.map(u => u.login));
  const allParts: OrgParts[] = [first];
  /** Each org's own users (not the ones it shares with an earlier org). */
  const ownUsers = new Map<string, UserProfile[]>([
    [first.org, first.people.users],
  ]);

  (options.extraOrgs ?? DEFAULT_EXTRA_ORGS).forEach((extra, position) => {
    const k = position + 1;
    if (ownUsers.has(extra.org)) {
      throw new TypeError(`Org '${extra.org}' appears twice in the enterprise`);
    }
    const imported = Object.entries(extra.sharedWith ?? {}).flatMap(
      ([from, count]) => {
        const candidates = ownUsers.get(from);
        if (!candidates) {
          throw new TypeError(
            `Org '${extra.org}' shares users with '${from}', which is not an earlier org`,
          );
        }
        const fromIndex = allParts.findIndex(p => p.org === from);
        const random = randomFor(seed, SALT_SHARE, k, fromIndex);
        return shuffled(random, candidates.filter(usesCopilot)).slice(0, count);
      },
    );
    const people = buildPeople(
      {
        ...resolved,
        seed: hashInts(seed, SALT_ORG, k),
        users: extra.users,
        teams: extra.teams,
        smallTeams: extra.smallTeams ?? 0,
        lastDayNumber,
      },
      {
        idBase: 10_000_000 + k * 1_000_000,
        teamIdBase: 4_100_000 + k * 1_000_000,
        teamNames: extra.teamNames,
        smallTeamNames: extra.smallTeamNames,
        takenLogins,
        imported,
      },
    );
    ownUsers.set(extra.org, people.users.slice(imported.length));
    allParts.push({
      ...first,
      org: extra.org,
      organizationNumber:
        10_000_000 + (hashInts(seed, SALT_ORG, k, 1) % 90_000_000),
      people,
      aggregateSeed: hashInts(seed, SALT_ORG, k, 2),
    });
  });

  const orgs = allParts.map(assembleOrg);
  const orgsOfUser = new Map<number, string[]>();
  for (const parts of allParts) {
    for (const user of parts.people.users) {
      orgsOfUser.set(user.id, [...(orgsOfUser.get(user.id) ?? []), parts.org]);
    }
  }
  // One profile per person; the same profile (and seed) as in each org, so
  // the enterprise row of a user equals their row in any of their orgs.
  const distinct = [...ownUsers.values()]
    .flat()
    .map((user, index) => ({ ...user, index }));
  const usage = new UsageModel({
    seed,
    users: distinct,
    firstDayNumber,
    lastDayNumber,
    organizationId: enterpriseId,
    enterpriseId,
    revisionOf: dayNumber => revisions.get(dayNumber) ?? 0,
    aggregateSeed: hashInts(seed, SALT_ORG, 0, 2),
  });
  const teams = buildEnterpriseTeams({
    seed,
    lastDayNumber,
    orgs: allParts.map(p => ({
      org: p.org,
      users: ownUsers.get(p.org)!,
      shared: p.people.users.filter(u => !ownUsers.get(p.org)!.includes(u)),
    })),
  });
  const organizationSimple = (org: SyntheticOrg): OrganizationSimple => {
    const api = `https://api.github.com/orgs/${org.org}`;
    return {
      login: org.org,
      id: Number(org.organizationId),
      node_id: Buffer.from(`04:Organization${org.organizationId}`).toString(
        'base64',
      ),
      url: api,
      repos_url: `${api}/repos`,
      events_url: `${api}/events`,
      hooks_url: `${api}/hooks`,
      issues_url: `${api}/issues`,
      members_url: `${api}/members{/member}`,
      public_members_url: `${api}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${org.organizationId}?v=4`,
      description: null,
    };
  };
  let seatCache: EnterpriseCopilotSeat[] | undefined;
  const seats = () => {
    seatCache ??= orgs.flatMap(o => {
      const organization = organizationSimple(o);
      return o.seats().map(seat => ({ ...seat, organization }));
    });
    return seatCache;
  };
  const aggregateCache = new Map<string, AggregateDayRecord>();
  const inRange = (day: string) => usage.inRange(toDayNumber(day));

  function aggregateReport(day: string) {
    if (!inRange(day)) return undefined;
    const dayNumber = toDayNumber(day);
    const key = `${dayNumber}:${revisions.get(dayNumber) ?? 0}`;
    let record = aggregateCache.get(key);
    if (!record) {
      record = usage.aggregate(dayNumber, 'enterprise');
      aggregateCache.set(key, record);
    }
    return record;
  }

  function latest28DayWindow() {
    return {
      startDay: formatDay(Math.max(firstDayNumber, lastDayNumber - 27)),
      endDay: formatDay(lastDayNumber),
    };
  }

  return {
    enterprise: resolved.enterprise,
    enterpriseId,
    orgs,
    org: name => orgs.find(o => o.org === name),
    orgsOf: userId => orgsOfUser.get(userId) ?? [],
    users: distinct.map(({ id, login, name }) => ({ id, login, name })),
    teams: teams.teams,
    firstDay: formatDay(firstDayNumber),
    lastDay: formatDay(lastDayNumber),
    days: () => orgs[0].days(),
    membersOn: day => teams.membersOn(toDayNumber(day)),
    usersReport(day) {
      return [...usage.userRows(toDayNumber(day), 'enterprise')];
    },
    iterateUsersReport(day, o) {
      return usage.userRows(
        toDayNumber(day),
        'enterprise',
        o?.userIndexes?.from,
        o?.userIndexes?.to,
      );
    },
    userTeamsReport(day) {
      if (!inRange(day)) return [];
      const members = teams.membersOn(toDayNumber(day));
      const sizes = new Map<number, number>();
      for (const m of members)
        sizes.set(m.teamId, (sizes.get(m.teamId) ?? 0) + 1);
      return members
        .filter(m => (sizes.get(m.teamId) ?? 0) >= MIN_REPORTED_TEAM_SIZE)
        .map((m): UserTeamRecord => ({
          user_id: m.userId,
          user_login: m.userLogin,
          day,
          enterprise_id: enterpriseId,
          team_id: m.teamId,
          slug: m.teamSlug,
        }));
    },
    aggregateReport,
    latest28DayWindow,
    aggregate28DayReport(): Aggregate28DayReport {
      const { startDay, endDay } = latest28DayWindow();
      const dayTotals: AggregateDayRecord[] = [];
      for (let day = startDay; day <= endDay; day = addDays(day, 1)) {
        dayTotals.push(aggregateReport(day)!);
      }
      return {
        report_start_day: startDay,
        report_end_day: endDay,
        enterprise_id: enterpriseId,
        created_at: timestampOn(lastDayNumber + 2, 5 * 3600),
        day_totals: dayTotals,
      };
    },
    seats,
    seatHolders: () => new Set(seats().map(s => s.assignee.id)).size,
    revisionOf: day => revisions.get(toDayNumber(day)) ?? 0,
    revise(day) {
      const dayNumber = toDayNumber(day);
      revisions.set(dayNumber, (revisions.get(dayNumber) ?? 0) + 1);
    },
  };
}
