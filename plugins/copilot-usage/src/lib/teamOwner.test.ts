import { hasSeveralOwners, teamOwnerLabel } from './teamOwner';

describe('teamOwnerLabel', () => {
  it('names an org by its name', () => {
    expect(teamOwnerLabel({ kind: 'org', name: 'acme-labs' })).toBe(
      'acme-labs',
    );
  });

  it('says when the owner is the enterprise', () => {
    expect(teamOwnerLabel({ kind: 'enterprise', name: 'acme-corp' })).toBe(
      'acme-corp (enterprise)',
    );
  });
});

describe('hasSeveralOwners', () => {
  it('is false for no teams and for teams of one org', () => {
    expect(hasSeveralOwners([])).toBe(false);
    expect(
      hasSeveralOwners([
        { kind: 'org', name: 'acme' },
        { kind: 'org', name: 'acme' },
      ]),
    ).toBe(false);
  });

  it('is true for teams of two orgs', () => {
    expect(
      hasSeveralOwners([
        { kind: 'org', name: 'acme' },
        { kind: 'org', name: 'acme-labs' },
      ]),
    ).toBe(true);
  });

  it('tells an org from an enterprise of the same name', () => {
    expect(
      hasSeveralOwners([
        { kind: 'org', name: 'acme' },
        { kind: 'enterprise', name: 'acme' },
      ]),
    ).toBe(true);
  });
});
