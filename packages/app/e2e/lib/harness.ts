/* eslint-disable no-console */
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Backend } from './backend';

export type ScenarioContext = {
  page: Page;
  backend: Backend;
  appUrl: string;
  /** Saves a full-page screenshot as `artifacts/e2e/<name>.png`. */
  screenshot(name: string): Promise<string>;
  artifactsDir: string;
};

export type Scenario = {
  name: string;
  run(context: ScenarioContext): Promise<void>;
};

// Flags that work as root in containers with no GPU and no outside network.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<{
  browser: Browser;
  close(): Promise<void>;
}> {
  // `launch` (unlike launchPersistentContext) gives the browser a fresh
  // temporary profile, removed on close: nothing carries over between runs.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  return { browser, close: () => browser.close() };
}

/**
 * Runs each scenario in its own browser context (its own storage, so its own
 * sign-in), screenshots failures, and prints `N passed, N failed`.
 */
export async function runScenarios(options: {
  scenarios: Scenario[];
  browser: Browser;
  backend: Backend;
  appUrl: string;
  artifactsDir: string;
}): Promise<{ passed: number; failed: number }> {
  const { scenarios, browser, backend, appUrl, artifactsDir } = options;
  let passed = 0;
  let failed = 0;
  for (const scenario of scenarios) {
    const started = Date.now();
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const consoleErrors: string[] = [];
    page.on('console', message => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    const screenshot = async (name: string) => {
      const path = join(artifactsDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    };
    try {
      await scenario.run({ page, backend, appUrl, screenshot, artifactsDir });
      passed += 1;
      console.log(`✓ ${scenario.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`✗ ${scenario.name} (${Date.now() - started} ms)`);
      console.log(`  ${String((error as Error)?.stack ?? error)}`);
      if (consoleErrors.length > 0) {
        console.log(
          `  browser console errors:\n    ${consoleErrors.join('\n    ')}`,
        );
      }
      const slug = scenario.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await screenshot(`failed-${slug}`).catch(() => {});
    } finally {
      await context.close();
    }
  }
  return { passed, failed };
}
