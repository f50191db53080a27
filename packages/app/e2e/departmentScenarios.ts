/*
 * Department rollups (issue 13 §1): the director of the demo's engineering
 * department (examples/departments.yaml) opens its Copilot tab and sees the API's
 * figures for the same range, each child Group linking to its own tab; a person
 * who is in none of its teams' parent Groups is refused.
 */
import type { Page } from 'playwright-core';
import type { Scenario } from './lib/harness';

const DEPARTMENT = 'engineering';
const DIRECTOR = 'dana-director';
/** A member of team search only: not a member of engineering nor of a Group above it. */
const TEAM_MEMBER = 'bruno-walker';

type DepartmentDocument = {
  from: string;
  to: string;
  scope: { teamCount: number };
  days: Array<{ day: string; memberCount: number | null }>;
  totals: { activeUsers: number; members?: number | null };
  children: Array<{
    entityRef: string;
    title: string;
    teamCount: number;
    totals: { activeUsers: number } | null;
  }>;
};

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const shownNumber = (text: string) => {
  const value = Number(text.replace(/[,%\s]/g, ''));
  check(!Number.isNaN(value), `"${text}" is not a number`);
  return value;
};

/** Signs in by User name (the director is not among the sign-in page's demo users). */
async function signInByName(page: Page, appUrl: string, user: string) {
  await page.goto(appUrl);
  await page.getByText('Dev sign-in', { exact: true }).waitFor();
  await page.getByLabel('Or another User name').fill(user);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('link', { name: user, exact: true }).waitFor();
}

/** Opens the department's Group page and its Copilot tab; returns the URL of the current range's request. */
async function openDepartmentTab(page: Page, appUrl: string) {
  const path = `/api/copilot-usage/groups/default/${DEPARTMENT}/metrics`;
  const urls: URL[] = [];
  page.on('request', request => {
    const url = new URL(request.url());
    if (url.pathname === path) urls.push(url);
  });
  await page.goto(`${appUrl}/catalog/default/group/${DEPARTMENT}`);
  await page.getByText('Copilot', { exact: true }).click();
  await page.waitForURL(new RegExp(`/group/${DEPARTMENT}/copilot-usage$`));
  return () => {
    check(urls.length > 0, 'The tab asked for no department document');
    return urls.reduce((latest, url) =>
      url.searchParams.get('to')! > latest.searchParams.get('to')!
        ? url
        : latest,
    );
  };
}

const directorSeesDepartment: Scenario = {
  name: 'the director opens the engineering department tab: the API’s distinct figures and its child Groups',
  async run({ page, appUrl, backend, capture }) {
    await signInByName(page, appUrl, DIRECTOR);
    const currentUrl = await openDepartmentTab(page, appUrl);
    const activeUsers = page.getByTestId('headline-activeUsers-value');
    await activeUsers.waitFor();
    await page.locator('[aria-label^="Chart:"] svg').first().waitFor();
    const url = currentUrl();
    const doc = await backend.getJson<DepartmentDocument>(
      `${url.pathname}${url.search}`,
      await backend.tokenFor(DIRECTOR),
    );
    // The demo's eight teams of acme, none under both child departments.
    const childTeams = doc.children.reduce((n, c) => n + c.teamCount, 0);
    check(
      doc.scope.teamCount >= 8 && doc.scope.teamCount === childTeams,
      `${doc.scope.teamCount} teams, ${childTeams} in the children`,
    );
    const shown = shownNumber(await activeUsers.innerText());
    check(
      shown === doc.totals.activeUsers,
      `Active users shown ${shown}, API ${doc.totals.activeUsers}`,
    );
    const lastDay = doc.days[doc.days.length - 1];
    const members = shownNumber(
      await page.getByTestId('team-members-value').innerText(),
    );
    check(
      members === lastDay.memberCount,
      `Members shown ${members}, API ${lastDay.memberCount} on ${lastDay.day}`,
    );
    check(
      /count once/.test(await page.getByTestId('department-intro').innerText()),
      'The tab does not say that people in several teams count once',
    );
    const rows = page.getByTestId('department-child');
    check(
      (await rows.count()) === doc.children.length && doc.children.length > 0,
      `${await rows.count()} child rows, API ${doc.children.length}`,
    );
    for (const [index, child] of doc.children.entries()) {
      const row = rows.nth(index);
      const link = row.getByRole('link', { name: child.title, exact: true });
      const name = child.entityRef.split('/').pop();
      check(
        (await link.getAttribute('href'))?.endsWith(
          `/group/${name}/copilot-usage`,
        ),
        `${child.title} does not link to its Copilot tab`,
      );
      if (child.totals) {
        const value = shownNumber(
          await row.getByTestId('child-active-users').innerText(),
        );
        check(
          value === child.totals.activeUsers,
          `${child.title}: ${value} shown, API ${child.totals.activeUsers}`,
        );
      }
    }
    // A person in two teams of different departments counts once above.
    const childSum = doc.children.reduce(
      (sum, child) => sum + (child.totals?.activeUsers ?? 0),
      0,
    );
    check(
      doc.totals.activeUsers <= childSum,
      `The department (${doc.totals.activeUsers}) exceeds its children's sum ${childSum}`,
    );
    await capture('21-department-director');
    await rows.first().scrollIntoViewIfNeeded();
    await capture('22-department-children');
  },
};

const teamMemberIsRefusedDepartment: Scenario = {
  name: 'a member of one team only is refused the engineering department tab',
  async run({ page, appUrl, backend, capture }) {
    await signInByName(page, appUrl, TEAM_MEMBER);
    await openDepartmentTab(page, appUrl);
    await page.getByText('You are not a member of Engineering').waitFor();
    check(
      (await page.getByTestId('headline-activeUsers-value').count()) === 0,
      'A non-member sees figures',
    );
    const token = await backend.tokenFor(TEAM_MEMBER);
    const refused = await backend
      .getJson(`/api/copilot-usage/groups/default/${DEPARTMENT}/metrics`, token)
      .then(
        () => false,
        (error: Error) => /403/.test(String(error)),
      );
    check(refused, 'The API does not refuse the non-member with a 403');
    await capture('23-department-non-member');
  },
};

export const departmentScenarios: Scenario[] = [
  directorSeesDepartment,
  teamMemberIsRefusedDepartment,
];
