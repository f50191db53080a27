/*
 * Writes the simulated org's Users and Groups as a catalog file for the adopter app,
 * the way an adopter without the GitHub org provider would: Groups annotated by hand
 * with `github.com/team-slug`. Also picks the people the checks sign in as.
 *
 *   node -r @backstage/cli/config/nodeTransform.cjs adopter-test/write-catalog.ts <org.yaml> <people.json>
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { createSyntheticOrg } from '../packages/github-simulator/src';

const [catalogFile, peopleFile] = process.argv.slice(2);
// The simulator CLI's defaults: the same org the backend will sync.
const entities = createSyntheticOrg().catalogEntities();
fs.writeFileSync(
  catalogFile,
  entities.map(e => YAML.stringify(e)).join('---\n'),
);

type Group = {
  metadata: { name: string };
  spec: { members?: string[]; parent?: string };
};
const groups = entities.filter(e => e.kind === 'Group') as unknown as Group[];
const teams = groups.filter(g => g.metadata.name !== 'platform-admins');
const membersOf = (g: Group) => g.spec.members ?? [];
const parentOf = new Map(teams.map(g => [g.metadata.name, g.spec.parent]));
const isUnder = (team: string, ancestor: string): boolean => {
  for (let t: string | undefined = team; t; t = parentOf.get(t)) {
    if (t === ancestor) return true;
  }
  return false;
};

// A member of a team big enough to show numbers, and a big team that person is not in
// (not even through a parent Group).
const big = teams.filter(g => membersOf(g).length >= 5);
for (const memberTeam of big) {
  for (const user of membersOf(memberTeam)) {
    const own = teams
      .filter(g => membersOf(g).includes(user))
      .map(g => g.metadata.name);
    const outsiderTeam = big.find(
      g => !own.some(t => isUnder(g.metadata.name, t)),
    );
    if (outsiderTeam) {
      fs.writeFileSync(
        peopleFile,
        JSON.stringify({
          user,
          memberTeam: memberTeam.metadata.name,
          outsiderTeam: outsiderTeam.metadata.name,
          org: createSyntheticOrg().org,
        }),
      );
      process.exit(0);
    }
  }
}
throw new Error('no member/outsider pair in the simulated org');
