/* Backstage Users and Groups for an org, as Backstage's GitHub org provider writes them. */
import { People, UserProfile } from './people';
import { CatalogEntity, CatalogEntityOptions, TeamMembership } from './types';

export function buildCatalogEntities(
  org: string,
  people: People,
  members: TeamMembership[],
  o: CatalogEntityOptions = {},
): CatalogEntity[] {
  const namespace = o.namespace ? { namespace: o.namespace } : {};
  const adminGroup = o.adminGroup ?? 'platform-admins';
  const teamsOfUser = new Map<number, string[]>();
  const membersOfTeam = new Map<string, string[]>();
  for (const m of members) {
    teamsOfUser.set(m.userId, [
      ...(teamsOfUser.get(m.userId) ?? []),
      m.teamSlug,
    ]);
    membersOfTeam.set(m.teamSlug, [
      ...(membersOfTeam.get(m.teamSlug) ?? []),
      m.userLogin,
    ]);
  }
  const users: CatalogEntity[] = people.users.map((user: UserProfile) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: user.login,
      ...namespace,
      annotations: { 'github.com/user-login': user.login },
    },
    spec: {
      profile: {
        displayName: user.name,
        email: `${user.login}@${org}.example.com`,
      },
      memberOf: teamsOfUser.get(user.id) ?? [],
    },
  }));
  const groups: CatalogEntity[] = people.teams.map(team => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: team.slug,
      ...namespace,
      description: team.description,
      annotations: { 'github.com/team-slug': `${org}/${team.slug}` },
    },
    spec: {
      type: 'team',
      profile: { displayName: team.name },
      ...(team.parentSlug ? { parent: team.parentSlug } : {}),
      children: people.teams
        .filter(t => t.parentSlug === team.slug)
        .map(t => t.slug),
      members: membersOfTeam.get(team.slug) ?? [],
    },
  }));
  const admin: CatalogEntity[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'admin', ...namespace },
      spec: {
        profile: {
          displayName: 'Platform Admin',
          email: `admin@${org}.example.com`,
        },
        memberOf: [adminGroup],
      },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: adminGroup,
        ...namespace,
        description: 'Backstage administrators',
      },
      spec: {
        type: 'team',
        profile: { displayName: 'Platform admins' },
        children: [],
        members: ['admin'],
      },
    },
  ];
  return [...users, ...groups, ...admin];
}
