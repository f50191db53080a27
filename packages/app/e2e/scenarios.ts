import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { horizontalOverflow, PHONE, type Scenario } from './lib/harness';
import { signInAs } from './lib/signIn';
import { departmentScenarios } from './departmentScenarios';
import { repositoryScenarios } from './repositoryScenarios';
import { userFieldsScenarios } from './userFieldsScenarios';

const SEARCH_TEAM_PAGE = '/catalog/default/group/search';
/** The Group of the enterprise team acme-corp/ent:ai-champions (examples/ai-champions.yaml). */
const CHAMPIONS_GROUP = 'ai-champions';
/** A member of ent:ai-champions who is in the demo's catalog (an acme user). */
const CHAMPION = 'grace-stewart';
/** GitHub's breaks in the series (copilot-usage-common's GITHUB_SERIES_BREAKS). */
const GITHUB_BREAK_DAYS = ['2026-07-28', '2026-10-06'];

type MetricsDocument = {
  from: string;
  to: string;
  eligible: boolean;
  days: Array<{ day: string; activeUsers: number; memberCount: number | null }>;
  totals: {
    activeUsers: number;
    members?: number | null;
    completionAcceptanceRate: number | null;
  };
};

type SyncStatus = {
  scopes: Array<{
    scope: string;
    running: boolean;
    lastRunStartedAt: string | null;
    lastRunFinishedAt: string | null;
  }>;
};

/** The ids of the headline figures on the page (`headline-<id>-value`), in order. */
async function headlineSet(page: Page): Promise<string[]> {
  const ids = await page
    .locator('[data-testid^="headline-"][data-testid$="-value"]')
    .evaluateAll(nodes =>
      nodes.map(node => node.getAttribute('data-testid') ?? ''),
    );
  return ids.map(id => id.replace(/^headline-|-value$/g, ''));
}

/** The headline set every scope shows; set by the first scope looked at. */
let teamHeadlineSet: string[] | undefined;

/** The rows of a chart's table alternative, by column header. */
async function chartTable(page: Page, chart: string) {
  const table = page.getByRole('table', { name: chart, exact: true });
  const headers = await table.locator('thead th').allInnerTexts();
  const rows = await table
    .locator('tbody tr')
    .evaluateAll(trs =>
      trs.map(tr =>
        Array.from(tr.querySelectorAll('td')).map(td => td.textContent ?? ''),
      ),
    );
  return rows.map(cells =>
    Object.fromEntries(headers.map((h, i) => [h.trim(), cells[i]])),
  );
}

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
 * A team tab's headline figures equal the API's document: active users, completion
 * acceptance rate, the last day's members. Returns that last day.
 */
async function checkTabHeadlines(
  page: Page,
  activeUsers: Locator,
  doc: MetricsDocument,
) {
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
  const lastDay = doc.days[doc.days.length - 1];
  const shownMembers = shownNumber(
    await page.getByTestId('team-members-value').innerText(),
  );
  check(
    shownMembers === lastDay.memberCount,
    `Members shown ${shownMembers}, API ${lastDay.memberCount} on ${lastDay.day}`,
  );
  return lastDay;
}

/**
 * Opens the search team's Group page, then its Copilot tab, and returns the metrics URL the page
 * asked for its current range (it also fetches the previous period, which
 * ends before it).
 */
async function openSearchTeamTab(page: Page, appUrl: string) {
  return openTeamTab(page, appUrl, 'search');
}

/** As openSearchTeamTab, for any Group of the default namespace. */
async function openTeamTab(page: Page, appUrl: string, group: string) {
  const metricsPath = `/api/copilot-usage/teams/default/${group}/metrics`;
  const metricsUrls: URL[] = [];
  page.on('request', request => {
    const url = new URL(request.url());
    if (url.pathname === metricsPath && !url.searchParams.has('format')) {
      metricsUrls.push(url);
    }
  });
  await page.goto(`${appUrl}/catalog/default/group/${group}`);
  await page.getByText('Copilot', { exact: true }).click();
  await page.waitForURL(new RegExp(`/group/${group}/copilot-usage$`));
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
  name: 'sign-in page offers the dev sign-in and no unconfigured GitHub, with labelled fields',
  async run({ page, appUrl, capture }) {
    await page.goto(appUrl);
    await page.getByText('Dev sign-in', { exact: true }).waitFor();
    check(
      (await page.getByText('Sign in with GitHub').count()) === 0,
      'GitHub sign-in shown although the backend has no GitHub provider',
    );
    // Every field has a label tied to it.
    await page.getByLabel('Demo user').waitFor();
    await page.getByLabel('Or another User name').waitFor();
    await capture('01-sign-in');
    await signInAs(page, appUrl, 'bruno-walker');
    // `/` opens the catalog's teams.
    await page.getByRole('link', { name: 'Search', exact: true }).waitFor();
    await capture('02-teams');
  },
};

const memberSeesTeamUsage: Scenario = {
  name: 'a member sees the team tab: members ≥ each day’s active users, the API’s numbers, the CSV',
  async run({ page, appUrl, backend, capture, artifactsDir }) {
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
    // The team list agrees: search has figures to show.
    const teamList = await backend.getJson<{
      items: Array<{ slug: string; eligible: boolean }>;
    }>('/api/copilot-usage/teams', token);
    check(
      teamList.items.some(team => team.slug === 'search' && team.eligible),
      `GET /teams does not list search as eligible: ${JSON.stringify(teamList.items)}`,
    );
    const lastDay = await checkTabHeadlines(page, activeUsers, doc);
    // Members: never below a day's active users (in the API and in the chart's table on the page).
    for (const day of doc.days) {
      check(
        day.memberCount !== null && day.memberCount >= day.activeUsers,
        `${day.day}: ${day.memberCount} members, ${day.activeUsers} active users`,
      );
    }
    const rows = await chartTable(page, 'Active users and members');
    check(rows.length === doc.days.length, 'The chart table misses days');
    for (const row of rows) {
      check(
        shownNumber(row.Members) >= shownNumber(row['Active users']),
        `${row.Day}: the page shows ${row.Members} members, ${row['Active users']} active users`,
      );
    }
    // Members over the period too: the API's distinct members, never fewer
    // than the period's active users.
    check(
      typeof doc.totals.members === 'number' &&
        doc.totals.members >= doc.totals.activeUsers,
      `The API counts ${doc.totals.members} members over the period, ${doc.totals.activeUsers} active users`,
    );
    const rangeText = await page.getByTestId('team-members-range').innerText();
    const periodMembers = rangeText.match(
      /([\d,]+) different people were members/,
    );
    check(
      periodMembers !== null &&
        shownNumber(periodMembers[1]) === doc.totals.members,
      `The page says "${rangeText}", the API ${doc.totals.members} members over the period`,
    );
    const membersText = await page.getByTestId('team-members').innerText();
    check(
      /used Copilot on a day they were a member/.test(membersText),
      'The page does not say what active users count',
    );

    teamHeadlineSet = await headlineSet(page);
    check(
      teamHeadlineSet.length >= 8,
      `Only ${teamHeadlineSet.length} headline figures`,
    );
    // Averages say which days they average.
    const averageNote = await page
      .getByTestId('headline-averageActiveUsers-note')
      .innerText();
    check(
      /^Average of \d+ days? with data/.test(averageNote),
      `The average says "${averageNote}"`,
    );
    // Raw keys have names people know.
    await page
      .getByRole('table', { name: 'By editor' })
      .getByText('VS Code', { exact: true })
      .waitFor({ state: 'attached' });
    await capture('03-team-search-member');

    // The CSV the button saves: a header and one line per day of the document.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const csvPath = join(artifactsDir, 'team-search.csv');
    await download.saveAs(csvPath);
    const [header, ...csvRows] = (await readFile(csvPath, 'utf8'))
      .split(/\r?\n/)
      .filter(line => line.length > 0);
    const columns = header.split(',');
    check(
      columns[0] === 'day' && columns.includes('activeUsers'),
      `Unexpected CSV header: ${header}`,
    );
    check(
      csvRows.length === doc.days.length,
      `CSV has ${csvRows.length} rows, the document ${doc.days.length} days`,
    );
    const csvDays = csvRows.map(row => row.split(',')[0]);
    check(
      csvDays.join() === doc.days.map(d => d.day).join(),
      'The CSV days differ from the document days',
    );
    const activeUsersColumn = columns.indexOf('activeUsers');
    check(
      csvRows.every(
        (row, i) =>
          Number(row.split(',')[activeUsersColumn]) === doc.days[i].activeUsers,
      ),
      'The CSV active users differ from the document',
    );

    // An invalid custom range says what is wrong and leaves no figures up.
    await page.getByRole('button', { name: /Period/ }).click();
    await page.getByRole('option', { name: 'Custom' }).click();
    const to = await page.getByLabel('To', { exact: true }).inputValue();
    const later = new Date(Date.parse(`${to}T00:00:00Z`) + 5 * 86400000)
      .toISOString()
      .slice(0, 10);
    await page.getByLabel('From', { exact: true }).fill(later);
    const alert = page.getByRole('alert').filter({ hasText: '"From"' });
    await alert.waitFor();
    check(
      (await alert.innerText()).includes(`is after "To" (${to})`),
      `The range error says "${await alert.innerText()}"`,
    );
    check(
      (await page.getByTestId('headline-activeUsers-value').count()) === 0,
      'The figures of the previous range stay on screen',
    );
    await capture('04-team-search-invalid-range');
  },
};

const nonMemberIsRefused: Scenario = {
  name: 'a non-member opening the team tab is refused (without a refused request)',
  async run({ page, appUrl, capture }) {
    await signInAs(page, appUrl, 'valentina-moore');
    await openSearchTeamTab(page, appUrl);
    await page.getByText('You are not a member of this team').waitFor();
    check(
      (await page.getByTestId('headline-activeUsers-value').count()) === 0,
      'A non-member sees the team figures',
    );
    await capture('05-team-search-non-member');
  },
};

/** Opens the Copilot tab of architecture-guild (3 members) and checks the privacy-floor message. */
async function expectPrivacyFloor(page: Page, appUrl: string) {
  await page.goto(`${appUrl}/catalog/default/group/architecture-guild`);
  await page.getByText('Copilot', { exact: true }).click();
  await page.waitForURL(/\/group\/architecture-guild\/copilot-usage$/);
  const message = page.getByTestId('privacy-floor-message');
  await message.waitFor();
  const text = await message.innerText();
  check(
    /at least 5 members who hold a Copilot seat \(its privacy floor\)/.test(
      text,
    ),
    `The message does not name GitHub's privacy floor: ${text}`,
  );
  check(/What to do:/.test(text), `The message says nothing to do: ${text}`);
  check(
    /has 3 members in the catalog/.test(text),
    `The message does not count the team's members: ${text}`,
  );
  check(
    (await page.getByText(/try a longer period/i).count()) === 0,
    'The page still gives the wrong advice',
  );
}

const memberOfSmallTeam: Scenario = {
  name: 'a member of a team below the privacy floor is told why and what to do',
  async run({ page, appUrl, capture }) {
    await signInAs(page, appUrl, 'kenji-king');
    await expectPrivacyFloor(page, appUrl);
    await capture('06-team-architecture-guild-member');
  },
};

const adminOnSmallTeam: Scenario = {
  name: 'an admin on a team below the privacy floor is told why and what to do',
  async run({ page, appUrl, capture }) {
    await signInAs(page, appUrl, 'admin');
    await expectPrivacyFloor(page, appUrl);
    await capture('07-team-architecture-guild-admin');
  },
};

/** Reads a seat figure as shown. */
async function seatFigure(page: Page, key: string) {
  return shownNumber(await page.getByTestId(`seats-${key}-value`).innerText());
}

const adminSeesOrgOverview: Scenario = {
  name: 'an admin finds every section of the org page in tabs: the enterprise, then the org, comparison, seats that add up, sync',
  async run({ page, appUrl, backend, capture }) {
    await signInAs(page, appUrl, 'admin');
    await page
      .getByRole('link', { name: 'Copilot usage', exact: true })
      .click();
    await page.waitForURL(/\/copilot-usage(#.*)?$/);

    // The demo syncs the enterprise too: the overview opens on GitHub's
    // enterprise figures, with the team's headline set.
    const scopePicker = page.getByRole('button', { name: 'Scope' });
    await page.getByRole('tab', { name: 'Enterprise' }).waitFor();
    check(
      (await scopePicker.innerText()).includes('Enterprise acme-corp'),
      `The scope picker shows "${await scopePicker.innerText()}"`,
    );
    const enterpriseActive = page
      .getByTestId('headline-activeUsers-value')
      .first();
    await enterpriseActive.waitFor();
    const enterpriseSet = await headlineSet(page);
    check(
      teamHeadlineSet !== undefined &&
        enterpriseSet.join() === teamHeadlineSet.join(),
      `Enterprise headlines ${enterpriseSet.join()} differ from the team's ${teamHeadlineSet?.join()}`,
    );
    const enterpriseDoc = await backend.getJson<MetricsDocument>(
      '/api/copilot-usage/enterprises/acme-corp/metrics',
      await backend.tokenFor('admin'),
    );
    check(
      shownNumber(await enterpriseActive.innerText()) ===
        enterpriseDoc.totals.activeUsers,
      `Enterprise active users shown ${await enterpriseActive.innerText()}, API ${enterpriseDoc.totals.activeUsers}`,
    );
    await capture('08-org-overview-enterprise');

    // Switching to the org: its own address and its own figures.
    await scopePicker.click();
    await page
      .getByRole('option', { name: 'Organization acme', exact: true })
      .click();
    await page.getByRole('tab', { name: 'Organization' }).waitFor();
    check(
      new URL(page.url()).searchParams.get('scope') === 'org:acme',
      `The org's overview has no address of its own: ${page.url()}`,
    );
    await page.getByTestId('headline-activeUsers-value').first().waitFor();

    const tabs = await page.getByRole('tab').allInnerTexts();
    for (const tab of [
      'Organization',
      'Team comparison',
      'Seats',
      'Sync status',
    ]) {
      check(
        tabs.some(t => t.trim().toLowerCase() === tab.toLowerCase()),
        `No "${tab}" tab: ${tabs.join(', ')}`,
      );
    }
    // The org shows the team's headline set, with the same definitions.
    const orgSet = await headlineSet(page);
    check(
      teamHeadlineSet !== undefined && orgSet.join() === teamHeadlineSet.join(),
      `Org headlines ${orgSet.join()} differ from the team's ${teamHeadlineSet?.join()}`,
    );
    // Daily chat and agent users are figures on the org page too, averaged
    // over days the note names, as on a team's.
    for (const id of ['chatUsers', 'agentUsers', 'cliUsers']) {
      const value = await page.getByTestId(`headline-${id}-value`).innerText();
      shownNumber(value);
      const note = await page.getByTestId(`headline-${id}-note`).innerText();
      check(
        /^Average of \d+ days? with data/.test(note),
        `The org's ${id} note says "${note}"`,
      );
    }
    await capture('08-org-overview-organization');

    await page.getByRole('tab', { name: 'Team comparison' }).click();
    check(page.url().endsWith('#comparison'), 'The tab is not in the URL');
    const comparison = page.getByTestId('team-comparison');
    await comparison.getByText(/Team comparison \(\d+ teams\)/).waitFor();
    const teamRows = await comparison.locator('tbody tr').count();
    check(teamRows >= 5, `The team comparison lists ${teamRows} teams`);
    await comparison
      .getByRole('link', { name: 'Search', exact: true })
      .waitFor();
    await capture('09-org-overview-team-comparison');

    await page.getByRole('tab', { name: 'Seats' }).click();
    const seats = page.getByTestId('seats-panel');
    await seats.getByText('Seat utilisation').waitFor();
    await page.getByTestId('seats-total-value').waitFor();
    const [total, active30, inactive, neverUsed, assigned, pending, active7] =
      await Promise.all(
        [
          'total',
          'activeLast30Days',
          'inactive',
          'neverUsed',
          'assigned',
          'pendingCancellation',
          'activeLast7Days',
        ].map(key => seatFigure(page, key)),
      );
    check(total > 0, 'No seats shown');
    check(
      active30 + inactive + neverUsed === total,
      `Seats: ${active30} + ${inactive} + ${neverUsed} ≠ ${total}`,
    );
    check(
      assigned + pending === total,
      `Seats: ${assigned} assigned + ${pending} pending ≠ ${total}`,
    );
    check(
      active7 <= active30,
      `Active in 7 days ${active7} > 30 days ${active30}`,
    );
    // The unused seats by login: exactly the inactive and never-used ones.
    const unused = page.getByTestId('inactive-seats');
    await unused
      .getByText(`Seats not used in 30 days (${inactive + neverUsed})`)
      .waitFor();
    const unusedRows = await unused.locator('tbody tr').count();
    check(
      unusedRows === Math.min(inactive + neverUsed, 25),
      `The inactive-seat list shows ${unusedRows} rows for ${inactive} inactive + ${neverUsed} never used`,
    );
    await unused
      .getByRole('button', { name: 'Download inactive seats CSV' })
      .waitFor();
    await capture('10-org-overview-seats');

    await page.getByRole('tab', { name: 'Teams', exact: true }).click();
    await page.getByLabel('Team', { exact: true }).waitFor();
    await page.getByTestId('headline-activeUsers-value').first().waitFor();
    await capture('11-org-overview-teams');

    await page.getByRole('tab', { name: 'My usage' }).click();
    await page.getByTestId('my-usage-panel').waitFor();
    await capture('12-org-overview-my-usage');
  },
};

const adminSyncsNow: Scenario = {
  name: 'after "Sync now" the status panel shows the finished run within 2 s of it finishing',
  async run({ page, appUrl, backend, capture }) {
    await signInAs(page, appUrl, 'admin');
    await page.goto(`${appUrl}/copilot-usage#sync`);
    const panel = page.getByTestId('sync-status-panel');
    await panel.getByRole('button', { name: 'Sync now' }).waitFor();
    await capture('13-org-overview-sync-status');

    const token = await backend.tokenFor('admin');
    const before = await backend.getJson<SyncStatus>(
      '/api/copilot-usage/status',
      token,
    );
    await panel.getByRole('button', { name: 'Sync now' }).click();
    // Watch the backend from outside: when did the new run finish?
    let finishedAt: number | undefined;
    const deadline = Date.now() + 120_000;
    while (finishedAt === undefined && Date.now() < deadline) {
      const status = await backend.getJson<SyncStatus>(
        '/api/copilot-usage/status',
        token,
      );
      const done = status.scopes.every(scope => {
        const old = before.scopes.find(s => s.scope === scope.scope);
        return (
          !scope.running &&
          scope.lastRunStartedAt !== old?.lastRunStartedAt &&
          scope.lastRunFinishedAt !== null
        );
      });
      if (done) {
        finishedAt = Math.max(
          ...status.scopes.map(scope => Date.parse(scope.lastRunFinishedAt!)),
        );
      } else {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
    }
    check(finishedAt !== undefined, 'The sync did not finish in 2 minutes');
    const message = panel.getByRole('status');
    await message.filter({ hasText: 'Sync finished' }).waitFor({
      timeout: 10_000,
    });
    const shownAt = Date.now();
    check(
      shownAt - finishedAt! <= 2000,
      `The panel showed the finished run ${shownAt - finishedAt!} ms after it finished`,
    );
    await capture('14-org-overview-sync-finished');
  },
};

const phoneHasNoOverflow: Scenario = {
  name: 'on a 390 px phone no page is wider than the screen',
  async run({ page, appUrl }) {
    await signInAs(page, appUrl, 'admin');
    await page.setViewportSize(PHONE);
    for (const path of [
      '/copilot-usage#organization',
      '/copilot-usage#comparison',
      '/copilot-usage#seats',
      '/copilot-usage#sync',
      `${SEARCH_TEAM_PAGE}/copilot-usage`,
    ]) {
      await page.goto(`${appUrl}${path}`);
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(500);
      const overflow = await horizontalOverflow(page);
      check(overflow <= 0, `${path} is ${overflow} px wider than the screen`);
    }
    // The comparison is cards on a phone: every team's figures without scrolling sideways.
    await page.goto(`${appUrl}/copilot-usage#comparison`);
    const cards = page.getByTestId('comparison-card');
    await cards.first().waitFor();
    check(
      (await page.getByTestId('team-comparison').locator('table').count()) ===
        0,
      'The phone still gets the wide comparison table',
    );
    const firstCard = await cards.first().innerText();
    check(
      /Active users \(period\)\s*[\d,]+/.test(firstCard),
      `A comparison card shows no active users: ${firstCard}`,
    );
  },
};

/** Signs in as a User not among the sign-in page's demo users, by name. */
async function signInAsAnyUser(page: Page, appUrl: string, user: string) {
  await page.goto(appUrl);
  await page.getByText('Dev sign-in', { exact: true }).waitFor();
  await page.getByLabel('Or another User name').fill(user);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('link', { name: user, exact: true }).waitFor();
}

const championSeesEnterpriseTeam: Scenario = {
  name: 'a member of the enterprise team ent:ai-champions sees its Group tab with the API’s figures',
  async run({ page, appUrl, backend, capture }) {
    await signInAsAnyUser(page, appUrl, CHAMPION);
    const currentMetricsUrl = await openTeamTab(page, appUrl, CHAMPIONS_GROUP);
    const activeUsers = page.getByTestId('headline-activeUsers-value');
    await activeUsers.waitFor();
    await page.locator('[aria-label^="Chart:"] svg').first().waitFor();

    const url = currentMetricsUrl();
    const token = await backend.tokenFor(CHAMPION);
    const doc = await backend.getJson<MetricsDocument>(
      `${url.pathname}${url.search}`,
      token,
    );
    check(
      doc.eligible && doc.days.length > 0,
      `The API has no figures for ${CHAMPIONS_GROUP}`,
    );
    // The tab shows the enterprise team's figures, the same the comparison has.
    await checkTabHeadlines(page, activeUsers, doc);
    // The team list names the enterprise as the team's owner.
    const teams = await backend.getJson<{
      items: Array<{
        entityRef: string;
        owner: { kind: string; name: string };
      }>;
    }>('/api/copilot-usage/teams', token);
    const listed = teams.items.find(
      team => team.entityRef === `group:default/${CHAMPIONS_GROUP}`,
    );
    check(
      listed?.owner.kind === 'enterprise' && listed.owner.name === 'acme-corp',
      `GET /teams lists ${JSON.stringify(listed)} for ${CHAMPIONS_GROUP}`,
    );
    await capture('15-team-ai-champions-member');
  },
};

const nonMemberOfEnterpriseTeam: Scenario = {
  name: 'a non-member opening the enterprise team’s tab is refused, no figures',
  async run({ page, appUrl, capture }) {
    await signInAs(page, appUrl, 'bruno-walker');
    await openTeamTab(page, appUrl, CHAMPIONS_GROUP);
    await page.getByText('You are not a member of this team').waitFor();
    check(
      (await page.getByTestId('headline-activeUsers-value').count()) === 0,
      'A non-member sees the enterprise team’s figures',
    );
    await capture('16-team-ai-champions-non-member');
  },
};

const adminComparesEnterpriseTeams: Scenario = {
  name: 'an admin switches the Scope picker from an org to the enterprise and compares the enterprise teams',
  async run({ page, appUrl, backend, capture }) {
    await signInAs(page, appUrl, 'admin');
    await page.goto(`${appUrl}/copilot-usage?scope=org:acme#comparison`);
    const comparison = page.getByTestId('team-comparison');
    await comparison.getByText(/Team comparison \(\d+ teams\)/).waitFor();
    // One org's teams: no owner named, and the page fits a laptop.
    check(
      (await comparison
        .getByRole('columnheader', { name: 'Organization' })
        .count()) === 0,
      'One org’s comparison repeats the org in a column',
    );
    const tableWidth = await comparison
      .locator('table')
      .first()
      .evaluate(table => table.scrollWidth - table.clientWidth);
    const pageOverflow = await horizontalOverflow(page);
    check(
      pageOverflow <= 0,
      `The org's comparison page is ${pageOverflow} px wider than 1440 px (table ${tableWidth} px beyond its box)`,
    );

    const scopePicker = page.getByRole('button', { name: 'Scope' });
    await scopePicker.click();
    await page
      .getByRole('option', { name: 'Enterprise acme-corp (all organizations)' })
      .click();
    check(
      new URL(page.url()).searchParams.get('scope') === 'enterprise:acme-corp',
      `The enterprise's overview has no address of its own: ${page.url()}`,
    );
    await comparison.getByText('Enterprise teams of acme-corp').waitFor();
    const row = comparison
      .locator('tbody tr')
      .filter({ has: page.getByRole('link', { name: 'AI Champions' }) });
    await row.waitFor();
    // The owner is a line under each team's name, not a column (1440 px).
    check(
      (await row.getByTestId('comparison-row-owner').innerText()).trim() ===
        'acme-corp (enterprise)',
      'The enterprise comparison does not name the owner under the team',
    );
    check(
      (await row.innerText()).includes('acme-corp (enterprise)'),
      `The AI Champions row says: ${await row.innerText()}`,
    );
    // The row's active users are the enterprise route's.
    const token = await backend.tokenFor('admin');
    const status = await backend.getJson<{
      from: string;
      to: string;
      items: Array<{ slug: string; totals: { activeUsers: number } }>;
    }>('/api/copilot-usage/enterprises/acme-corp/teams', token);
    const api = status.items.find(item => item.slug === 'ent:ai-champions');
    check(api !== undefined, 'The enterprise route lists no ent:ai-champions');
    const headers = await comparison.getByRole('columnheader').allInnerTexts();
    const cells = await row.getByRole('cell').allInnerTexts();
    // Header cells are upper-cased by CSS, which innerText follows.
    const column = headers.findIndex(
      h => h.trim().toLowerCase() === 'active users (period)',
    );
    check(
      column >= 0 &&
        cells[column] !== undefined &&
        shownNumber(cells[column]) === api!.totals.activeUsers,
      `AI Champions active users shown ${cells[column]} (column ${column} of ${JSON.stringify(headers)}, cells ${JSON.stringify(cells)}), API ${api!.totals.activeUsers}`,
    );
    await capture('17-overview-enterprise-team-comparison');
  },
};

const trendChartsMarkBreaks: Scenario = {
  name: 'the trend charts mark GitHub’s breaks in the series where the data has one',
  async run({ page, appUrl, capture }) {
    await signInAs(page, appUrl, 'admin');
    await page.goto(`${appUrl}/copilot-usage?scope=org:acme#organization`);
    await page.getByTestId('headline-activeUsers-value').first().waitFor();
    // The longest period the picker offers, so that the stored days reach a break.
    await page.getByRole('button', { name: /Period/ }).click();
    await page.getByRole('option', { name: 'Last 365 days' }).click();
    await page.locator('[aria-label^="Chart:"] svg').first().waitFor();
    // The org's chart (no team membership): "Active users".
    const table = await chartTable(page, 'Active users');
    // The first column is the day.
    const days = table
      .map(r => Object.values(r)[0] ?? '')
      .filter(day => /^\d{4}-\d{2}-\d{2}$/.test(day))
      .sort();
    check(
      days.length > 0,
      `The chart's table has no days: ${JSON.stringify(table.slice(0, 2))}`,
    );
    const inRange = GITHUB_BREAK_DAYS.filter(
      day => day >= days[0] && day <= days[days.length - 1],
    );
    check(
      inRange.length > 0,
      `The stored days ${days[0]}..${days[days.length - 1]} reach none of GitHub's breaks (scripts/e2e.sh backfills to before 2026-10-06)`,
    );
    const notes = page.getByTestId('series-break-notes').first();
    await notes.waitFor();
    const text = await notes.innerText();
    for (const day of inRange) {
      check(text.includes(day), `The notes do not name ${day}: ${text}`);
    }
    const marked = table.filter(r => (r.Marked ?? '').length > 0);
    check(
      marked.length === inRange.length,
      `The chart's table marks ${marked.length} rows for ${inRange.length} breaks`,
    );
    const label = await page
      .locator('[aria-label^="Chart:"]')
      .first()
      .getAttribute('aria-label');
    check(
      inRange.every(day => label?.includes(day)),
      `The chart's accessible name names no break: ${label}`,
    );
    check(
      (await page.getByTestId('series-events-problems').count()) === 0,
      'The demo config has an unreadable series event',
    );
    await capture('18-org-overview-series-breaks');
  },
};

export const scenarios: Scenario[] = [
  signInPage,
  memberSeesTeamUsage,
  nonMemberIsRefused,
  memberOfSmallTeam,
  adminOnSmallTeam,
  adminSeesOrgOverview,
  adminSyncsNow,
  phoneHasNoOverflow,
  championSeesEnterpriseTeam,
  nonMemberOfEnterpriseTeam,
  adminComparesEnterpriseTeams,
  trendChartsMarkBreaks,
  ...departmentScenarios,
  ...repositoryScenarios,
  ...userFieldsScenarios,
];
