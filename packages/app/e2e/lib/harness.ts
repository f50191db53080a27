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
  /**
   * Screenshots the page at both sizes (`<name>-1440x900.png`,
   * `<name>-390x844.png`) and fails when it is wider than the phone's screen.
   */
  capture(name: string): Promise<void>;
  artifactsDir: string;
};

/**
 * React's development build logs its warnings (deprecated APIs in Backstage's
 * and MUI's components) as console errors; the production build that
 * scripts/e2e.sh tests has none. Set E2E_ALLOW_REACT_DEV_WARNINGS=1 to run the
 * scenarios against `yarn start` (APP_URL) without failing on them.
 */
const allowReactDevWarnings = process.env.E2E_ALLOW_REACT_DEV_WARNINGS === '1';

/** The sizes every page is looked at: a laptop and a phone. */
export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** How far the page reaches past the viewport's right edge, in CSS pixels. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      Math.max(
        document.documentElement.scrollWidth,
        document.body.scrollWidth,
      ) - window.innerWidth,
  );
}

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
      viewport: DESKTOP,
      locale: 'en-US',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    // Every page of every scenario must keep the console free of errors
    // (failed requests included: Chromium logs them as errors too).
    const consoleErrors: string[] = [];
    page.on('console', message => {
      if (
        message.type() === 'error' &&
        !(allowReactDevWarnings && message.text().startsWith('Warning: '))
      ) {
        consoleErrors.push(`${page.url()}: ${message.text()}`);
      }
    });
    page.on('pageerror', error => {
      consoleErrors.push(`${page.url()}: uncaught ${error.message}`);
    });
    const screenshot = async (name: string) => {
      const path = join(artifactsDir, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    };
    const capture = async (name: string) => {
      await page.setViewportSize(DESKTOP);
      await page.waitForTimeout(300);
      await screenshot(`${name}-1440x900`);
      await page.setViewportSize(PHONE);
      // Let charts and tables re-measure for the narrow screen.
      await page.waitForTimeout(600);
      const overflow = await horizontalOverflow(page);
      await screenshot(`${name}-390x844`);
      await page.setViewportSize(DESKTOP);
      await page.waitForTimeout(300);
      if (overflow > 0) {
        throw new Error(
          `${name}: the page is ${overflow} px wider than a 390 px screen`,
        );
      }
    };
    try {
      await scenario.run({
        page,
        backend,
        appUrl,
        screenshot,
        capture,
        artifactsDir,
      });
      if (consoleErrors.length > 0) {
        throw new Error(
          `The browser console logged ${consoleErrors.length} error(s)`,
        );
      }
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
