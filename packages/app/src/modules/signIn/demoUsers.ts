/**
 * Users of the GitHub simulator's org that show each side of the product. The dev
 * sign-in accepts any catalog User; these are the ones worth trying first.
 */
export const demoUsers: ReadonlyArray<{ name: string; description: string }> = [
  {
    name: 'bruno-walker',
    description: 'member of team search: sees that team’s Copilot tab',
  },
  {
    name: 'kenji-king',
    description: 'member of architecture-guild, a team too small to show',
  },
  {
    name: 'valentina-moore',
    description: 'in no team: sees no team’s numbers',
  },
  {
    name: 'admin',
    description: 'platform admin: org overview, seats and every team',
  },
];
