/*
 * Enterprise teams: teams of the enterprise, not of an org, whose members come
 * from several orgs. GitHub names their slug after the team with the prefix
 * `ent:`, and lists them (not org teams) in the enterprise user-teams report.
 *
 * `ent:ai-champions` spans the first two orgs, keeps at least 7 members every
 * day and changes on two days (a member leaves, another joins), so only a
 * point-in-time join attributes its activity right. `ent:design-council` has 3
 * members: below GitHub's threshold of 5, it never appears in the report.
 */
import { formatDay } from './days';
import { UserProfile } from './people';
import { hashInts, randomFor, shuffled } from './random';
import { SyntheticTeam, TeamMembership } from './types';

const SALT_ENTERPRISE_TEAMS = 41;
/** The leaver's last day and the joiner's first day, before the last day with data. */
export const AI_CHAMPIONS_LEAVER_LAST_DAY_OFFSET = 7;
export const AI_CHAMPIONS_JOINER_FIRST_DAY_OFFSET = 4;

interface EnterpriseOrgPeople {
  org: string;
  /** The org's own users. */
  users: readonly UserProfile[];
  /** Users of earlier orgs who are members of this one too. */
  shared: readonly UserProfile[];
}

interface Member {
  user: UserProfile;
  /** First and last day numbers of the membership; open when undefined. */
  from?: number;
  until?: number;
}

function usesCopilot(user: UserProfile): boolean {
  return !user.neverUsed && !Number.isFinite(user.lapsedAfter);
}

export function buildEnterpriseTeams(input: {
  seed: number;
  lastDayNumber: number;
  orgs: readonly EnterpriseOrgPeople[];
}) {
  const { seed, lastDayNumber, orgs } = input;
  const random = randomFor(seed, SALT_ENTERPRISE_TEAMS);
  const [first, second, third] = orgs;
  const taken = new Set<number>();
  /** Takes `count` users not in any enterprise team yet. */
  const take = (pool: readonly UserProfile[] | undefined, count: number) => {
    const picked = shuffled(
      random,
      (pool ?? []).filter(u => usesCopilot(u) && !taken.has(u.id)),
    ).slice(0, count);
    picked.forEach(u => taken.add(u.id));
    return picked;
  };
  const firstIds = new Set(first.users.map(u => u.id));
  // Users of the first org who are in the second org too are not "first org only".
  const sharedWithSecond = (second?.shared ?? []).filter(u =>
    firstIds.has(u.id),
  );
  sharedWithSecond.forEach(u => taken.add(u.id));
  // The champions are of the first two orgs only: keep users of later orgs out.
  orgs.slice(2).forEach(o => o.shared.forEach(u => taken.add(u.id)));
  const [shared] = shuffled(random, sharedWithSecond.filter(usesCopilot));
  const secondPool = second?.users ?? first.users;

  const champions: Member[] = [
    ...take(first.users, 4),
    ...(shared ? [shared] : take(first.users, 1)),
    ...take(secondPool, 2),
  ].map(user => ({ user }));
  const [leaver] = take(first.users, 1);
  const [joiner] = take(secondPool, 1);
  if (leaver) {
    champions.push({
      user: leaver,
      until: lastDayNumber - AI_CHAMPIONS_LEAVER_LAST_DAY_OFFSET,
    });
  }
  if (joiner) {
    champions.push({
      user: joiner,
      from: lastDayNumber - AI_CHAMPIONS_JOINER_FIRST_DAY_OFFSET,
    });
  }
  const council: Member[] = [
    ...take(first.users, 1),
    ...take((third ?? second ?? first).users, 2),
  ].map(user => ({ user }));

  const specs = [
    {
      name: 'AI Champions',
      description: 'AI Champions: Copilot advocates across the orgs',
      members: champions,
    },
    {
      name: 'Design Council',
      description: 'Design Council: a small cross-org group',
      members: council,
    },
  ];
  const teams: Array<SyntheticTeam & { members: Member[] }> = specs.map(
    (spec, i) => ({
      id: 9_000_000 + (hashInts(seed, SALT_ENTERPRISE_TEAMS, i) % 900_000),
      slug: `ent:${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      name: spec.name,
      description: spec.description,
      members: spec.members,
    }),
  );

  return {
    teams: teams.map(({ members: _, ...team }): SyntheticTeam => team),
    /** Point-in-time membership of the enterprise teams. */
    membersOn(dayNumber: number): TeamMembership[] {
      return teams.flatMap(team =>
        team.members
          .filter(
            m =>
              (m.from === undefined || dayNumber >= m.from) &&
              (m.until === undefined || dayNumber <= m.until),
          )
          .map(m => ({
            userId: m.user.id,
            userLogin: m.user.login,
            teamId: team.id,
            teamSlug: team.slug,
          })),
      );
    },
    /** When the membership changes, as days: for docs and tests. */
    changes: {
      leaverLastDay: formatDay(
        lastDayNumber - AI_CHAMPIONS_LEAVER_LAST_DAY_OFFSET,
      ),
      joinerFirstDay: formatDay(
        lastDayNumber - AI_CHAMPIONS_JOINER_FIRST_DAY_OFFSET,
      ),
    },
  };
}
