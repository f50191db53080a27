import { isTeamMember } from './rules';

const teamA = {
  groupRef: 'group:default/team-a',
  membershipTrusted: true,
  ancestorRefs: ['group:default/platform', 'group:default/engineering'],
  githubMemberRefs: [],
};

// A Group from an untrusted origin claiming the same GitHub team.
const claimOfTeamA = {
  groupRef: 'group:default/claim-team-a',
  membershipTrusted: false,
  ancestorRefs: [],
  githubMemberRefs: ['user:default/alice'],
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

    it('gives catalog members of an untrusted Group nothing', () => {
      expect(
        isTeamMember.apply(claimOfTeamA, {
          claims: ['user:default/mallory', 'group:default/claim-team-a'],
        }),
      ).toBe(false);
      expect(
        isTeamMember.apply(
          { ...claimOfTeamA, ancestorRefs: ['group:default/engineering'] },
          { claims: ['group:default/engineering'] },
        ),
      ).toBe(false);
    });

    it("allows the people GitHub's membership report puts in the team", () => {
      expect(
        isTeamMember.apply(claimOfTeamA, { claims: ['User:default/Alice'] }),
      ).toBe(true);
      expect(
        isTeamMember.apply(
          { ...teamA, githubMemberRefs: ['user:default/bob'] },
          { claims: ['user:default/bob'] },
        ),
      ).toBe(true);
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
