/* Runs the simulator until SIGINT/SIGTERM: `yarn workspace @copilot-usage/github-simulator start`. */
import { startGithubSimulator } from './server';

function numberFromEnv(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) {
    throw new Error(`${name} must be a number, got '${value}'`);
  }
  return parsed;
}

async function main() {
  const simulator = await startGithubSimulator({
    host: process.env.SIMULATOR_HOST || '127.0.0.1',
    port: numberFromEnv('SIMULATOR_PORT') ?? 7010,
    org: process.env.SIMULATOR_ORG || undefined,
    users: numberFromEnv('SIMULATOR_USERS'),
    teams: numberFromEnv('SIMULATOR_TEAMS'),
    seed: numberFromEnv('SIMULATOR_SEED'),
  });
  const orgs = simulator.orgs.map(o => o.org).join(', ');
  process.stdout.write(
    `GitHub simulator for enterprise ${simulator.enterprise.enterprise} (orgs ${orgs}) listening on ${simulator.url}\n`,
  );
  const stop = () => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch(error => {
  process.stderr.write(`GitHub simulator failed to start: ${error.message}\n`);
  process.exit(1);
});
