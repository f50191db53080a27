import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Scenario } from './lib/harness';
import { signInAs } from './lib/signIn';

const SEARCH_TEAM_PAGE = '/catalog/default/group/search';
const SEARCH_METRICS_PATH = '/api/copilot-usage/teams/default/search/metrics';

type MetricsDocument = {
  from: string;
  to: string;
  eligible: boolean;
  days: Array<{ day: string; activeUsers: number }>;
  totals: { activeUsers: number; completionAcceptanceRate: number | null };
};

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Reads a figure as shown ("1,234", "63.2%") back into a number. */
function shownNumber(text: string): number {
  const value = Number(text.replace(/[,%\s]/g, ''));
  check(!Number.isNaN(value), `"${text}" is not a number`);
  return value;
}

/**
 * Opens the search team's Group page, then its Copilot tab, and returns the metrics URL the page
 * asked for its current range (it also fetches the previous period, which
 * ends before it).
 */
async function openSearchTeamTab(page: Page, appUrl: string) {
  const metricsUrls: URL[] = [];
  page.on('request', request => {
    const url = new URL(request.url());
    if (
      url.pathname === SEARCH_METRICS_PATH &&
      !url.searchParams.has('format')
    ) {
      metricsUrls.push(url);
    }
  });
  await page.goto(`${appUrl}${SEARCH_TEAM_PAGE}`);
  await page.getByText('Copilot', { exact: true }).click();
  await page.waitForURL(/\/group\/search\/copilot-usage$/);
  return () => {
    check(metricsUrls.length > 0, 'The tab requested no metrics');
    return metricsUrls.reduce((latest, url) =>
      url.searchParams.get('to')! > latest.searchParams.get('to')!
        ? url
        : latest,
    );
  };
}

const signInPage: Scenario = {
  name: 'sign-in page offers the dev sign-in and no unconfigured GitHub',
  async run({ page, appUrl, screenshot }) {
    await page.goto(appUrl);
    await page.getByText('Dev sign-in', { exact: true }).waitFor();
    await screenshot('01-sign-in');
    check(
      (await page.getByText('Sign in with GitHub').count()) === 0,
      'GitHub sign-in shown although the backend has no GitHub provider',
    );
    await signInAs(page, appUrl, 'bruno-walker');
    // `/` opens the catalog's teams.
    await page.getByRole('link', { name: 'Search', exact: true }).waitFor();
    await screenshot('02-teams');
  },
};

const memberSeesTeamUsage: Scenario = {
  name: 'a member sees the team tab with charts and the API’s numbers, and downloads the CSV',
  async run({ page, appUrl, backend, screenshot, artifactsDir }) {
    await signInAs(page, appUrl, 'bruno-walker');
    const currentMetricsUrl = await openSearchTeamTab(page, appUrl);

    const activeUsers = page.getByTestId('headline-activeUsers-value');
    await activeUsers.waitFor();
    await page.locator('[aria-label^="Chart:"] svg').first().waitFor();
    const charts = await page.locator('[aria-label^="Chart:"]').count();
    check(charts >= 2, `Expected the trend charts, found ${charts}`);

    // The same document, asked for by the same user, outside the browser.
    const url = currentMetricsUrl();
    const token = await backend.tokenFor('bruno-walker');
    const doc = await backend.getJson<MetricsDocument>(
      `${url.pathname}${url.search}`,
      token,
    );
    check(
      doc.eligible && doc.days.length > 0,
      'The API has no figures for search',
    );
    const shownActiveUsers = shownNumber(await activeUsers.innerText());
    check(
      shownActiveUsers === doc.totals.activeUsers,
      `Active users shown ${shownActiveUsers}, API ${doc.totals.activeUsers}`,
    );
    const shownRate = shownNumber(
      await page
        .getByTestId('headline-completionAcceptanceRate-value')
        .innerText(),
    );
    const apiRate = (doc.totals.completionAcceptanceRate ?? NaN) * 100;
    check(
      Math.abs(shownRate - apiRate) <= 0.05,
      `Acceptance rate shown ${shownRate}%, API ${apiRate}%`,
    );
    await screenshot('03-team-search-member');

    // The CSV the button saves: a header and one line per day of the document.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csvPath = join(artifactsDir, 'team-search.csv');
    await download.saveAs(csvPath);
    const [header, ...rows] = (await readFile(csvPath, 'utf8'))
      .split(/\r?\n/)
      .filter(line => line.length > 0);
    const columns = header.split(',');
    check(
      columns[0] === 'day' && columns.includes('activeUsers'),
      `Unexpected CSV header: ${header}`,
    );
    check(
      rows.length === doc.days.length,
      `CSV has ${rows.length} rows, the document ${doc.days.length} days`,
    );
    const csvDays = rows.map(row => row.split(',')[0]);
    check(
      csvDays.join() === doc.days.map(d => d.day).join(),
      'The CSV days differ from the document days',
    );
    const activeUsersColumn = columns.indexOf('activeUsers');
    check(
      rows.every(
        (row, i) =>
          Number(row.split(',')[activeUsersColumn]) === doc.days[i].activeUsers,
      ),
      'The CSV active users differ from the document',
    );
  },
};

const nonMemberIsRefused: Scenario = {
  name: 'a non-member opening the team tab is refused',
  async run({ page, appUrl, screenshot }) {
    await signInAs(page, appUrl, 'valentina-moore');
    await openSearchTeamTab(page, appUrl);
    await page.getByText('You are not a member of this team').waitFor();
    check(
      (await page.getByTestId('headline-activeUsers-value').count()) === 0,
      'A non-member sees the team figures',
    );
    await screenshot('04-team-search-non-member');
  },
};

const adminSeesOrgOverview: Scenario = {
  name: 'an admin finds the org page in the sidebar with the team comparison and seats',
  async run({ page, appUrl, screenshot }) {
    await signInAs(page, appUrl, 'admin');
    await page
      .getByRole('link', { name: 'Copilot usage', exact: true })
      .click();
    await page.waitForURL(/\/copilot-usage$/);
    await page.getByTestId('headline-activeUsers-value').first().waitFor();

    const comparison = page.getByTestId('team-comparison');
    await comparison.getByText(/Team comparison \(\d+ teams\)/).waitFor();
    const teamRows = await comparison.locator('tbody tr').count();
    check(teamRows >= 5, `The team comparison lists ${teamRows} teams`);
    await comparison
      .getByRole('link', { name: 'Search', exact: true })
      .waitFor();

    const seats = page.getByTestId('seats-panel');
    await seats.getByText('Seat utilisation').waitFor();
    const seatFigures = await seats.locator('[data-testid^="seats-"]').count();
    check(seatFigures >= 3, `The seats panel shows ${seatFigures} figures`);
    await screenshot('05-org-overview-admin');
  },
};

export const scenarios: Scenario[] = [
  signInPage,
  memberSeesTeamUsage,
  nonMemberIsRefused,
  adminSeesOrgOverview,
];
