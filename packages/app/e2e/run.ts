/* eslint-disable no-console */
/*
 * End-to-end tests of the app in headless Chromium against a running backend.
 * Usually started by scripts/e2e.sh, which builds the app and starts the backend.
 *
 * Env: BACKEND_URL (default http://localhost:7007), APP_PORT (3000, the port of
 * app.baseUrl), APP_DIST (packages/app/dist), APP_URL (test an app that is
 * already served, e.g. by `yarn start`, instead of serving APP_DIST), ARTIFACTS_DIR (artifacts/e2e),
 * CHROMIUM_PATH (/usr/bin/chromium), SYNC_TIMEOUT_SECONDS (180).
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Backend } from './lib/backend';
import { launchChromium, runScenarios } from './lib/harness';
import { serveStatic } from './lib/staticServer';
import { scenarios } from './scenarios';

async function main() {
  const repoRoot = resolve(__dirname, '../../..');
  const artifactsDir = resolve(
    process.env.ARTIFACTS_DIR ?? `${repoRoot}/artifacts/e2e`,
  );
  await mkdir(artifactsDir, { recursive: true });

  const backend = new Backend(
    process.env.BACKEND_URL ?? 'http://localhost:7007',
  );
  const syncTimeoutMs = Number(process.env.SYNC_TIMEOUT_SECONDS ?? 180) * 1000;
  const waitStarted = Date.now();
  await backend.waitForFirstSync({ admin: 'admin', timeoutMs: syncTimeoutMs });
  console.log(
    `Backend up and first sync done (waited ${Date.now() - waitStarted} ms)`,
  );

  const app = process.env.APP_URL
    ? { url: process.env.APP_URL.replace(/\/$/, ''), close: async () => {} }
    : await serveStatic(
        resolve(process.env.APP_DIST ?? `${__dirname}/../dist`),
        Number(process.env.APP_PORT ?? 3000),
      );
  const chromium = await launchChromium();
  try {
    const { passed, failed } = await runScenarios({
      scenarios,
      browser: chromium.browser,
      backend,
      appUrl: app.url,
      artifactsDir,
    });
    console.log(`Screenshots in ${artifactsDir}`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await chromium.close();
    await app.close();
  }
}

main().catch(error => {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
