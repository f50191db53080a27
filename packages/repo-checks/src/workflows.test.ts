import { parse } from 'yaml';
import { readJson, readText } from './repo';

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

/** The README's "Two commands" block: the command whose comment says it runs every test. */
function readmeTestCommand(): string {
  const block = readText('README.md').match(
    /## Two commands[\s\S]*?```sh\n([\s\S]*?)```/,
  );
  const line = block?.[1]
    .split('\n')
    .find(candidate => /#\s*every test/.test(candidate));
  if (!line) {
    throw new Error(
      'README.md has no "# every test" command in its Two commands block',
    );
  }
  return line.replace(/#.*$/, '').trim();
}

function workflow(file: string): Workflow {
  return parse(readText(`.github/workflows/${file}`));
}

function steps(flow: Workflow): Step[] {
  return Object.values(flow.jobs).flatMap(job => job.steps);
}

describe('the GitHub workflows', () => {
  const testCommand = readmeTestCommand();

  it('.ci/run runs the README test command', () => {
    expect(testCommand).toBe('bash scripts/test.sh');
    expect(readText('.ci/run')).toMatch(
      new RegExp(`^exec ${testCommand.replace(/[.]/g, '\\.')}\\s*$`, 'm'),
    );
  });

  it('CI runs the README test command on pull requests', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toContain('pull_request');
    expect(steps(ci).map(step => step.run)).toContain(testCommand);
    expect(ci.permissions).toEqual({ contents: 'read' });
  });

  it('the release tests, builds, then versions or publishes with provenance', () => {
    const release = workflow('release.yml');
    expect(release.on).toEqual({ push: { branches: ['main'] } });
    expect(release.permissions?.['id-token']).toBe('write');
    const all = steps(release);
    const test = all.findIndex(step => step.run === testCommand);
    const build = all.findIndex(step => step.run === 'yarn build:plugins');
    const publish = all.findIndex(step =>
      step.uses?.startsWith('changesets/action@'),
    );
    expect(test).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(test);
    expect(publish).toBeGreaterThan(build);

    const scripts = readJson('package.json').scripts as Record<string, string>;
    const { version, publish: publishCommand } = all[publish].with!;
    expect(version).toBe('yarn changeset version');
    const releaseScript = scripts[publishCommand.replace(/^yarn /, '')];
    expect(releaseScript).toMatch(/npm publish .*--provenance/);
    expect(releaseScript).toMatch(/--no-private/);
    expect(scripts['build:plugins']).toBeDefined();
    // The token comes from a secret, never from the file.
    expect(all[publish].env?.YARN_NPM_AUTH_TOKEN).toBe(
      '${{ secrets.NPM_TOKEN }}',
    );
  });
});
