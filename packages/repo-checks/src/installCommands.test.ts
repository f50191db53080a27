import fs from 'fs';
import path from 'path';
import semver from 'semver';
import { readJson, readText, repoRoot } from './repo';

/** Every document that tells an adopter to `yarn add` one of the packages. */
const documents = [
  'README.md',
  'docs/install.md',
  ...fs
    .readdirSync(path.join(repoRoot, 'plugins'))
    .map(dir => `plugins/${dir}/README.md`)
    .filter(file => fs.existsSync(path.join(repoRoot, file))),
];

const versions = new Map<string, string>(
  fs
    .readdirSync(path.join(repoRoot, 'plugins'))
    .filter(dir =>
      fs.existsSync(path.join(repoRoot, 'plugins', dir, 'package.json')),
    )
    .map(dir => readJson(`plugins/${dir}/package.json`))
    .map(pkg => [pkg.name, pkg.version]),
);

/** `yarn ... add` lines naming our packages, with the range each gives. */
function addedPackages(text: string): Array<{ name: string; range?: string }> {
  return text
    .split('\n')
    .filter(line => /\byarn\b.*\badd\b/.test(line))
    .flatMap(line => [
      ...line.matchAll(/(@copilot-usage\/[a-z0-9-]+)(?:@(\S+))?/g),
    ])
    .map(match => ({ name: match[1], range: match[2] }));
}

describe('install commands', () => {
  it('are found', () => {
    expect(
      addedPackages(readText('docs/install.md')).length,
    ).toBeGreaterThanOrEqual(4);
  });

  // Before the first release the tarballs are installed through resolutions, which
  // `yarn add` only reaches with a range; after it, the same range installs from npm.
  it.each(documents)(
    '%s names each package with a range its version satisfies',
    file => {
      const wrong = addedPackages(readText(file)).filter(
        ({ name, range }) =>
          !versions.has(name) ||
          !range ||
          !semver.satisfies(versions.get(name)!, range),
      );
      expect(wrong).toEqual([]);
    },
  );

  it('tells a range that no longer fits', () => {
    expect(
      addedPackages(
        'yarn add @copilot-usage/backstage-plugin-copilot-usage@^9.0.0 @copilot-usage/backstage-plugin-copilot-usage-node',
      ),
    ).toEqual([
      {
        name: '@copilot-usage/backstage-plugin-copilot-usage',
        range: '^9.0.0',
      },
      {
        name: '@copilot-usage/backstage-plugin-copilot-usage-node',
        range: undefined,
      },
    ]);
    expect(semver.satisfies('0.1.0', '^9.0.0')).toBe(false);
  });
});
