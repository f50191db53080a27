import {
  addDays,
  formatDay,
  parseDay,
  timestampOn,
  toDayNumber,
  utcToday,
} from './days';
import { buildPeople, MIN_REPORTED_TEAM_SIZE, People } from './people';
import { hashInts, randomFor, randomInt } from './random';
import {
  Aggregate28DayReport,
  AggregateDayRecord,
  CatalogEntityOptions,
  CopilotSeat,
  GithubTeam,
  GithubTeamSimple,
  ReportOptions,
  SimpleUser,
  SyntheticOrg,
  SyntheticOrgOptions,
  SyntheticTeam,
  UserTeamRecord,
} from './types';
import { UsageModel } from './usage';
import { buildCatalogEntities } from './catalog';

const SALT_SEAT = 21;
const SALT_IDS = 22;

/** Fills in the defaults the simulator documents. */
export function resolveOrgOptions(options: SyntheticOrgOptions = {}) {
  const today = options.today ?? utcToday();
  if (parseDay(today) === undefined) {
    throw new TypeError(
      `Invalid 'today' option '${today}', expected YYYY-MM-DD`,
    );
  }
  return {
    org: options.org ?? 'acme',
    enterprise: options.enterprise ?? 'acme-corp',
    seed: options.seed ?? 42,
    users: options.users ?? 60,
    teams: options.teams ?? 8,
    smallTeams: options.smallTeams ?? 2,
    multiTeamRatio: options.multiTeamRatio ?? 0.2,
    unteamedUsers: options.unteamedUsers ?? 1,
    historyDays: options.historyDays ?? 365,
    today,
  };
}

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

/** What an org is made of; the enterprise builds several from one set of options. */
export interface OrgParts {
  org: string;
  enterprise: string;
  seed: number;
  organizationNumber: number;
  enterpriseId: string;
  people: People;
  firstDayNumber: number;
  lastDayNumber: number;
  /** Shared by the orgs of an enterprise: GitHub revises a day for everyone. */
  revisions: Map<number, number>;
  /** Seeds the aggregate-only numbers (pull requests); default `seed`. */
  aggregateSeed?: number;
}

/** The first org's ids and people, as every version of the simulator built them. */
export function firstOrgParts(
  resolved: ReturnType<typeof resolveOrgOptions>,
): OrgParts {
  const { seed } = resolved;
  const lastDayNumber = toDayNumber(resolved.today) - 2;
  return {
    org: resolved.org,
    enterprise: resolved.enterprise,
    seed,
    organizationNumber: 10_000_000 + (hashInts(seed, SALT_IDS, 1) % 90_000_000),
    enterpriseId: String(100_000 + (hashInts(seed, SALT_IDS, 2) % 900_000)),
    people: buildPeople({ ...resolved, lastDayNumber }),
    firstDayNumber: lastDayNumber - resolved.historyDays,
    lastDayNumber,
    revisions: new Map(),
  };
}

/** Builds the deterministic synthetic org; no server needed. */
export function createSyntheticOrg(
  options: SyntheticOrgOptions = {},
): SyntheticOrg {
  return assembleOrg(firstOrgParts(resolveOrgOptions(options)));
}

/** The org's reports, seats and teams from its parts. */
export function assembleOrg(parts: OrgParts): SyntheticOrg {
  const { org, enterprise, seed, people, organizationNumber, enterpriseId } =
    parts;
  const { firstDayNumber, lastDayNumber, revisions } = parts;
  const organizationId = String(organizationNumber);
  const usersById = new Map(people.users.map(u => [u.id, u]));
  const usage = new UsageModel({
    seed,
    users: people.users,
    firstDayNumber,
    lastDayNumber,
    organizationId,
    enterpriseId,
    revisionOf: dayNumber => revisions.get(dayNumber) ?? 0,
    aggregateSeed: parts.aggregateSeed,
  });
  // Aggregates need every user row of the day plus 28 days of plans; 28-day
  // reports ask for the same days over and over, so keep them.
  const aggregateCache = new Map<string, AggregateDayRecord>();

  const scopeOf = (o?: ReportOptions) => o?.scope ?? 'organization';
  const inRange = (day: string) => {
    const dayNumber = toDayNumber(day);
    return { dayNumber, inRange: usage.inRange(dayNumber) };
  };

  function aggregateReport(day: string, o?: ReportOptions) {
    const { dayNumber, inRange: ok } = inRange(day);
    if (!ok) return undefined;
    const scope = scopeOf(o);
    const key = `${scope}:${dayNumber}:${revisions.get(dayNumber) ?? 0}`;
    let record = aggregateCache.get(key);
    if (!record) {
      record = usage.aggregate(dayNumber, scope);
      aggregateCache.set(key, record);
    }
    return record;
  }

  function simpleUser(userId: number): SimpleUser {
    const user = usersById.get(userId);
    if (!user) throw new RangeError(`No user ${userId} in the synthetic org`);
    const api = `https://api.github.com/users/${user.login}`;
    return {
      login: user.login,
      id: user.id,
      node_id: base64(`04:User${user.id}`),
      avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: `https://github.com/${user.login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: 'User',
      site_admin: false,
      user_view_type: 'public',
    };
  }

  function teamSimple(team: SyntheticTeam): GithubTeamSimple {
    const api = `https://api.github.com/organizations/${organizationNumber}/team/${team.id}`;
    return {
      id: team.id,
      node_id: base64(`04:Team${team.id}`),
      url: api,
      html_url: `https://github.com/orgs/${org}/teams/${team.slug}`,
      name: team.name,
      slug: team.slug,
      description: team.description,
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      members_url: `${api}/members{/member}`,
      repositories_url: `${api}/repos`,
      type: 'organization',
      organization_id: organizationNumber,
    };
  }

  function githubTeam(team: SyntheticTeam): GithubTeam {
    const parent = team.parentSlug
      ? people.teams.find(t => t.slug === team.parentSlug)
      : undefined;
    return { ...teamSimple(team), parent: parent ? teamSimple(parent) : null };
  }

  function currentMembers() {
    return people.membersOn(lastDayNumber);
  }

  // Seats depend on the whole history (last activity), so build them once.
  let seatCache: CopilotSeat[] | undefined;
  function seats(): CopilotSeat[] {
    seatCache ??= buildSeats();
    return seatCache;
  }

  function buildSeats(): CopilotSeat[] {
    const lastDay = formatDay(lastDayNumber);
    const teamsNow = currentMembers();
    const nextMonth = new Date(`${lastDay}T00:00:00Z`);
    nextMonth.setUTCMonth(nextMonth.getUTCMonth() + 1, 1);
    const cancellationDate = nextMonth.toISOString().slice(0, 10);
    return [...people.users]
      .sort((a, b) => a.id - b.id)
      .map(user => {
        const random = randomFor(seed, SALT_SEAT, user.id);
        const createdDay = firstDayNumber - randomInt(random, 10, 400);
        const created = timestampOn(createdDay, randomInt(random, 0, 86_399));
        let lastActive: number | undefined;
        if (!user.neverUsed) {
          lastActive =
            usage.lastActiveDay(user.index) ??
            (Number.isFinite(user.lapsedAfter)
              ? Math.min(user.lapsedAfter, firstDayNumber - 1)
              : firstDayNumber - 1);
        }
        const lastActivityAt =
          lastActive === undefined
            ? null
            : timestampOn(lastActive, randomInt(random, 28_800, 64_800));
        const ide = user.ides[0];
        const viaTeam =
          random() < 0.3 ? teamsNow.find(m => m.userId === user.id) : undefined;
        const team = viaTeam && people.teams.find(t => t.id === viaTeam.teamId);
        return {
          created_at: created,
          updated_at: created,
          pending_cancellation_date:
            random() < 0.05 ||
            (Number.isFinite(user.lapsedAfter) && random() < 0.4)
              ? cancellationDate
              : null,
          last_activity_at: lastActivityAt,
          last_activity_editor: lastActivityAt
            ? `${ide.ide}/${ide.ideVersion}/${ide.plugin}/${ide.pluginVersion}`
            : null,
          last_authenticated_at:
            lastActivityAt ?? (random() < 0.5 ? created : null),
          plan_type: 'business',
          assignee: simpleUser(user.id),
          assigning_team: team ? githubTeam(team) : null,
        };
      });
  }

  const catalogEntities = (o: CatalogEntityOptions = {}) =>
    buildCatalogEntities(org, people, currentMembers(), o);

  return {
    org,
    enterprise,
    seed,
    organizationId,
    enterpriseId,
    users: people.users.map(({ id, login, name }) => ({ id, login, name })),
    teams: people.teams,
    firstDay: formatDay(firstDayNumber),
    lastDay: formatDay(lastDayNumber),
    days() {
      const days: string[] = [];
      for (let d = firstDayNumber; d <= lastDayNumber; d++)
        days.push(formatDay(d));
      return days;
    },
    membersOn(day) {
      return people.membersOn(toDayNumber(day));
    },
    usersReport(day, o) {
      return [...usage.userRows(toDayNumber(day), scopeOf(o))];
    },
    iterateUsersReport(day, o) {
      return usage.userRows(
        toDayNumber(day),
        scopeOf(o),
        o?.userIndexes?.from,
        o?.userIndexes?.to,
      );
    },
    userTeamsReport(day, o) {
      const { dayNumber, inRange: ok } = inRange(day);
      if (!ok) return [];
      const members = people.membersOn(dayNumber);
      const sizes = new Map<number, number>();
      for (const m of members)
        sizes.set(m.teamId, (sizes.get(m.teamId) ?? 0) + 1);
      const scope = scopeOf(o);
      return members
        .filter(m => (sizes.get(m.teamId) ?? 0) >= MIN_REPORTED_TEAM_SIZE)
        .map((m): UserTeamRecord => ({
          user_id: m.userId,
          user_login: m.userLogin,
          day,
          ...(scope === 'organization'
            ? { organization_id: organizationId }
            : { enterprise_id: enterpriseId }),
          team_id: m.teamId,
          slug: m.teamSlug,
        }));
    },
    aggregateReport,
    latest28DayWindow() {
      return {
        startDay: formatDay(Math.max(firstDayNumber, lastDayNumber - 27)),
        endDay: formatDay(lastDayNumber),
      };
    },
    aggregate28DayReport(o): Aggregate28DayReport {
      const { startDay, endDay } = this.latest28DayWindow();
      const scope = scopeOf(o);
      const dayTotals: AggregateDayRecord[] = [];
      for (let day = startDay; day <= endDay; day = addDays(day, 1)) {
        dayTotals.push(aggregateReport(day, o)!);
      }
      return {
        report_start_day: startDay,
        report_end_day: endDay,
        ...(scope === 'organization'
          ? { organization_id: organizationId }
          : {}),
        enterprise_id: enterpriseId,
        created_at: timestampOn(lastDayNumber + 2, 5 * 3600),
        day_totals: dayTotals,
      };
    },
    seats,
    githubTeams: () => people.teams.map(githubTeam),
    simpleUser,
    catalogEntities,
    revisionOf(day) {
      return revisions.get(toDayNumber(day)) ?? 0;
    },
    revise(day) {
      const dayNumber = toDayNumber(day);
      revisions.set(dayNumber, (revisions.get(dayNumber) ?? 0) + 1);
    },
  };
}
