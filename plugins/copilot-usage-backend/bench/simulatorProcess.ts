/*
 * Runs the GitHub simulator in its own process for the benchmark, so its memory is not
 * counted with the sync's. Talks to the parent over IPC:
 *   parent -> { type: 'stats' | 'resetStats' }   child -> { type: 'ready', url } | { type: 'stats', stats }
 */
import { startGithubSimulator } from '@copilot-usage/github-simulator';

async function main() {
  const simulator = await startGithubSimulator({
    users: Number(process.env.BENCH_USERS),
    teams: Number(process.env.BENCH_TEAMS),
    today: process.env.BENCH_TODAY,
    historyDays: 40,
  });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'resetStats') {
      simulator.resetStats();
      process.send!({ type: 'stats', stats: simulator.stats });
    } else if (message.type === 'stats') {
      process.send!({ type: 'stats', stats: simulator.stats });
    }
  });
  process.on('disconnect', () => {
    simulator.close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: simulator.url });
}

main().catch(error => {
  process.stderr.write(`simulator failed: ${error.stack}\n`);
  process.exit(1);
});
