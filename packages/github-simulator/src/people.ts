import {
  ADOPTION_PHASES,
  CLI_VERSIONS,
  FIRST_NAMES,
  IDES,
  LANGUAGES,
  LAST_NAMES,
  MODELS,
  SMALL_TEAM_NAMES,
  TEAM_NAMES,
} from './names';
import {
  hashInts,
  pickWeighted,
  randomFor,
  randomInt,
  shuffled,
} from './random';
import { SyntheticTeam, TeamMembership } from './types';

/** Salts keep the PRNG streams for different purposes apart. */
const SALT_USER = 1;
const SALT_TEAMS = 2;
const SALT_MOVE = 3;

/** GitHub's user-teams threshold; normal teams are built to stay at or above it. */
export const MIN_REPORTED_TEAM_SIZE = 5;
/** Movers change team about this often. */
const MOVE_PERIOD_DAYS = 10;

export type Ide = (typeof IDES)[number][0];

/** Everything that stays the same about a user from day to day. */
export interface UserProfile {
  index: number;
  id: number;
  login: string;
  name: string;
  /** Probability of being active on a weekday. */
  engagement: number;
  /** Has a seat but never used Copilot. */
  neverUsed: boolean;
  /** Day number after which the user stopped using Copilot (Infinity = still active). */
  lapsedAfter: number;
  ides: Ide[];
  languages: string[];
  models: string[];
  chat: boolean;
  agent: boolean;
  cli: boolean;
  cliVersion: string;
  codingAgent: boolean;
  codeReview: boolean;
  adoptionPhase: { phase_number: number; phase: string; version: string };
  /** Team index the user always belongs to (movers: when not away). */
  homeTeam: number;
  /** Moves between normal teams every ~10 days. */
  mover: boolean;
  moveOffset: number;
  secondTeam?: number;
  smallTeams: number[];
  /** In no team at all (has a seat and usage, appears in no user-teams row). */
  unteamed: boolean;
}

export interface People {
  users: UserProfile[];
  teams: SyntheticTeam[];
  /** Index of the first small team; teams before it are normal teams. */
  normalTeamCount: number;
  membersOn(dayNumber: number): TeamMembership[];
}

/** Heavier users sit in later adoption phases; a few are not in a cohort yet. */
function adoptionPhaseFor(engagement: number, roll: number) {
  if (roll < 0.1) return ADOPTION_PHASES[0];
  if (engagement < 0.65) return ADOPTION_PHASES[1];
  return engagement < 0.82 ? ADOPTION_PHASES[2] : ADOPTION_PHASES[3];
}

function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function teamNames(pool: readonly string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const round = Math.floor(i / pool.length);
    const base = pool[i % pool.length];
    return round === 0 ? base : `${base} ${round + 1}`;
  });
}

function buildTeams(
  seed: number,
  normalCount: number,
  smallCount: number,
  naming: TeamNaming,
): SyntheticTeam[] {
  const random = randomFor(seed, SALT_TEAMS);
  let id = naming.teamIdBase + randomInt(random, 0, 99_999);
  const names = [
    ...teamNames(naming.teamNames, normalCount),
    ...teamNames(naming.smallTeamNames, smallCount),
  ];
  return names.map((name, index) => {
    id += randomInt(random, 1, 500);
    const team: SyntheticTeam = {
      id,
      slug: slugify(name),
      name,
      description:
        index < normalCount
          ? `The ${name} team`
          : `${name}: a small cross-team group`,
    };
    // A child team, so consumers meet nested teams (Platform SRE under Platform).
    if (index === 1 && normalCount >= 2) {
      team.parentSlug = slugify(names[0]);
    }
    return team;
  });
}

interface TeamNaming {
  teamNames: readonly string[];
  smallTeamNames: readonly string[];
  teamIdBase: number;
}

/** How an org other than the first one tells its people apart from the first org's. */
export interface PeopleSpace {
  /** User ids start a little above this; default 580,000. */
  idBase?: number;
  /** Team ids start a little above this; default 4,100,000. */
  teamIdBase?: number;
  teamNames?: readonly string[];
  smallTeamNames?: readonly string[];
  /** Logins taken in other orgs of the enterprise; new logins are added to it. */
  takenLogins?: Set<string>;
  /**
   * Users of other orgs who are members here too: they keep their profile (so
   * their activity is the same in every org) and get this org's teams.
   */
  imported?: readonly UserProfile[];
}

export function buildPeople(
  options: {
    seed: number;
    users: number;
    teams: number;
    smallTeams: number;
    multiTeamRatio: number;
    unteamedUsers: number;
    lastDayNumber: number;
  },
  space: PeopleSpace = {},
): People {
  const { seed, lastDayNumber } = options;
  const normalCount = Math.max(0, options.teams);
  const teams = buildTeams(seed, normalCount, Math.max(0, options.smallTeams), {
    teamNames: space.teamNames ?? TEAM_NAMES,
    smallTeamNames: space.smallTeamNames ?? SMALL_TEAM_NAMES,
    teamIdBase: space.teamIdBase ?? 4_100_000,
  });
  const random = randomFor(seed, SALT_USER);

  const takenLogins = space.takenLogins ?? new Set<string>();
  let nextId = (space.idBase ?? 580_000) + randomInt(random, 0, 9_999);
  // Imported users come first; the org's own users are drawn as if they were alone.
  const users: UserProfile[] = (space.imported ?? []).map((user, index) => ({
    ...user,
    index,
    homeTeam: 0,
    mover: false,
    secondTeam: undefined,
    smallTeams: [],
    unteamed: false,
  }));
  const importedCount = users.length;
  for (
    let index = importedCount;
    index < importedCount + options.users;
    index++
  ) {
    const first = FIRST_NAMES[randomInt(random, 0, FIRST_NAMES.length - 1)];
    const last = LAST_NAMES[randomInt(random, 0, LAST_NAMES.length - 1)];
    let login = `${first}-${last}`.toLowerCase();
    for (let n = 2; takenLogins.has(login); n++) {
      login = `${first}-${last}${n}`.toLowerCase();
    }
    takenLogins.add(login);
    nextId += randomInt(random, 1, 40);

    const ideCount = random() < 0.15 ? 2 : 1;
    const ides: Ide[] = [];
    while (ides.length < ideCount) {
      const ide = pickWeighted(random, IDES);
      if (!ides.includes(ide)) ides.push(ide);
    }
    const languages: string[] = [];
    const languageCount = randomInt(random, 1, 3);
    while (languages.length < languageCount) {
      const language = pickWeighted(random, LANGUAGES);
      if (!languages.includes(language)) languages.push(language);
    }
    const models = [pickWeighted(random, MODELS), pickWeighted(random, MODELS)];
    const engagement = 0.5 + random() * 0.47;
    const neverUsed = random() < 0.04;
    const lapsed = !neverUsed && random() < 0.05;
    const phaseRoll = random();
    users.push({
      index,
      id: nextId,
      login,
      name: `${first} ${last}`,
      engagement,
      neverUsed,
      lapsedAfter: lapsed
        ? lastDayNumber - randomInt(random, 31, 60)
        : Number.POSITIVE_INFINITY,
      ides,
      languages,
      models,
      chat: random() < 0.8,
      agent: random() < 0.5,
      cli: random() < 0.25,
      cliVersion: CLI_VERSIONS[randomInt(random, 0, CLI_VERSIONS.length - 1)],
      codingAgent: random() < 0.1,
      codeReview: random() < 0.35,
      adoptionPhase: {
        ...adoptionPhaseFor(engagement, phaseRoll),
        version: 'v1',
      },
      homeTeam: 0,
      mover: false,
      moveOffset: randomInt(random, 0, MOVE_PERIOD_DAYS - 1),
      smallTeams: [],
      unteamed: false,
    });
  }

  // Team assignment: the first 5 users of a shuffled order per team are
  // anchored there for good, so every normal team keeps 5+ members even while
  // others move around.
  if (normalCount > 0) {
    const order = shuffled(random, users);
    // The last users of the order (never anchored ones) belong to no team.
    const firstUnteamed = Math.max(
      normalCount * MIN_REPORTED_TEAM_SIZE,
      order.length - Math.max(0, options.unteamedUsers),
    );
    order.forEach((user, position) => {
      user.unteamed = position >= firstUnteamed;
      const anchored = position < normalCount * MIN_REPORTED_TEAM_SIZE;
      user.homeTeam = anchored
        ? position % normalCount
        : randomInt(random, 0, normalCount - 1);
      user.mover = !anchored && normalCount > 1 && random() < 0.4;
      if (normalCount > 1 && random() < options.multiTeamRatio) {
        const offset = randomInt(random, 1, normalCount - 1);
        user.secondTeam = (user.homeTeam + offset) % normalCount;
      }
    });
  }
  for (let small = normalCount; small < teams.length; small++) {
    const size = Math.min(users.length, randomInt(random, 2, 4));
    const candidates = users.filter(u => !u.unteamed);
    for (const user of shuffled(random, candidates).slice(0, size)) {
      user.smallTeams.push(small);
    }
  }

  function teamOfMover(user: UserProfile, dayNumber: number): number {
    const period = Math.floor((dayNumber + user.moveOffset) / MOVE_PERIOD_DAYS);
    const roll = hashInts(seed, SALT_MOVE, user.id, period);
    // A third of the time at home, otherwise visiting some team.
    return roll % 3 === 0 ? user.homeTeam : (roll >>> 2) % normalCount;
  }

  function membersOn(dayNumber: number): TeamMembership[] {
    const rows: TeamMembership[] = [];
    const add = (user: UserProfile, teamIndex: number) => {
      const team = teams[teamIndex];
      rows.push({
        userId: user.id,
        userLogin: user.login,
        teamId: team.id,
        teamSlug: team.slug,
      });
    };
    for (const user of users) {
      if (user.unteamed) continue;
      if (normalCount > 0) {
        const primary = user.mover
          ? teamOfMover(user, dayNumber)
          : user.homeTeam;
        add(user, primary);
        if (user.secondTeam !== undefined && user.secondTeam !== primary) {
          add(user, user.secondTeam);
        }
      }
      for (const small of user.smallTeams) {
        add(user, small);
      }
    }
    return rows;
  }

  return { users, teams, normalTeamCount: normalCount, membersOn };
}
