import { isTeamMember } from './rules';

const teamA = {
  groupRef: 'group:default/team-a',
  ancestorRefs: ['group:default/platform', 'group:default/engineering'],
};

describe('isTeamMember', () => {
  describe('apply', () => {
    it('allows a claim on the team itself', () => {
      expect(
        isTeamMember.apply(teamA, {
          claims: ['user:default/alice', 'group:default/team-a'],
        }),
      ).toBe(true);
    });

    it('ignores case, like entity refs in the catalog', () => {
      expect(
        isTeamMember.apply(teamA, { claims: ['Group:default/Team-A'] }),
      ).toBe(true);
    });

    it('allows a claim on any ancestor unless parents are excluded', () => {
      const claims = ['group:default/engineering'];
      expect(isTeamMember.apply(teamA, { claims })).toBe(true);
      expect(isTeamMember.apply(teamA, { claims, includeParents: true })).toBe(
        true,
      );
      expect(isTeamMember.apply(teamA, { claims, includeParents: false })).toBe(
        false,
      );
    });

    it('refuses claims on other Groups', () => {
      expect(
        isTeamMember.apply(teamA, {
          claims: ['user:default/team-a', 'group:default/team-b'],
        }),
      ).toBe(false);
      expect(isTeamMember.apply(teamA, { claims: [] })).toBe(false);
    });
  });

  describe('toQuery', () => {
    it('filters on the claimed Groups and their descendants by default', () => {
      expect(
        isTeamMember.toQuery({
          claims: ['group:default/Team-A', 'user:default/bob'],
        }),
      ).toEqual({
        groupRefs: ['group:default/team-a', 'user:default/bob'],
        includeDescendants: true,
      });
    });

    it('leaves descendants out when parents are excluded', () => {
      expect(
        isTeamMember.toQuery({
          claims: ['group:default/team-a'],
          includeParents: false,
        }),
      ).toEqual({
        groupRefs: ['group:default/team-a'],
        includeDescendants: false,
      });
    });
  });
});
