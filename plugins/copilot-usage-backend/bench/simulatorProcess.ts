/*
 * Runs the GitHub simulator, or the replay of a recording of it (BENCH_REPLAY_DIR), in
 * its own process for the benchmark, so its memory and CPU are not counted with the
 * sync's. Talks to the parent over IPC:
 *   parent -> { type: 'stats' | 'resetStats' }   child -> { type: 'ready', url } | { type: 'stats', stats }
 */
import { startGithubSimulator } from '@copilot-usage/github-simulator';
import { startReplayServer } from './recordedGithub';

async function start() {
  const replayDir = process.env.BENCH_REPLAY_DIR;
  if (replayDir) return startReplayServer(replayDir);
  return startGithubSimulator({
    users: Number(process.env.BENCH_USERS),
    teams: Number(process.env.BENCH_TEAMS),
    today: process.env.BENCH_TODAY,
    historyDays: 40,
  });
}

async function main() {
  const server = await start();
  process.on('message', (message: { type: string }) => {
    if (message.type === 'resetStats') server.resetStats();
    process.send!({ type: 'stats', stats: server.stats });
  });
  process.on('disconnect', () => {
    server.close().finally(() => process.exit(0));
  });
  process.send!({ type: 'ready', url: server.url });
}

main().catch(error => {
  process.stderr.write(`simulator failed: ${error.stack}\n`);
  process.exit(1);
});
