/*
 * Repositories on Component pages (issue 13 §2): a member of team search opens the
 * Copilot tab of the Component search-service (github.com/project-slug:
 * acme/search-service, examples/components.yaml) and sees the API's figures for
 * the same range; the Group tab of search lists the repository with the API's
 * figures; an admin gets the org's repository table.
 *
 * Refusals: the demo's permission policy lets every signed-in user read every
 * Component (it decides only the Copilot usage permissions), so no demo user is
 * refused a Component. The scenario shows what the rule refuses instead: a
 * repository that no Component the caller may read carries (404, for a member;
 * an admin may see it), the org-wide table for a member (403), and a caller
 * without credentials (401). The refusal by the catalog's own permission policy
 * is covered by the backend's route tests (service/repoRoutes.test.ts).
 */
import type { Page } from 'playwright-core';
import type { Scenario } from './lib/harness';
import { signInAs } from './lib/signIn';

const MEMBER = 'bruno-walker';
const COMPONENT = 'search-service';
const SLUG = 'acme/search-service';
const GROUP = 'search';

type Figures = Record<string, number | null>;
type RepositoryMetrics = {
  from: string;
  to: string;
  entityRef: string | null;
  coverage: { daysWithData: number };
  days: Array<{ day: string } & Figures>;
  totals: { activeDays: number } & Figures;
};
type RepositoryTable = {
  repositories: Array<{
    repository: { slug: string };
    entityRef: string | null;
    totals: Figures;
  }>;
};

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

const shownNumber = (text: string) => {
  const value = Number(text.replace(/[,\s]|min/g, ''));
  check(!Number.isNaN(value), `"${text}" is not a number`);
  return value;
};

/** Records the requests of `path` from now on; the last one's URL. */
function watch(page: Page, path: string) {
  const urls: URL[] = [];
  page.on('request', request => {
    const url = new URL(request.url());
    if (url.pathname === path) urls.push(url);
  });
  return () => {
    check(urls.length > 0, `The page asked for no ${path}`);
    return urls[urls.length - 1];
  };
}

const memberSeesRepository: Scenario = {
  name: 'a member of search opens the Copilot tab of its Component search-service: the API’s repository figures',
  async run({ page, appUrl, backend, capture }) {
    await signInAs(page, appUrl, MEMBER);
    const last = watch(page, `/api/copilot-usage/repositories/${SLUG}/metrics`);
    await page.goto(`${appUrl}/catalog/default/component/${COMPONENT}`);
    await page.getByText('Copilot', { exact: true }).click();
    await page.waitForURL(new RegExp(`/component/${COMPONENT}/copilot-usage$`));
    const agent = page.getByTestId('repository-total-agentCreated-value');
    await agent.waitFor();
    await page.locator('[aria-label^="Chart:"] svg').first().waitFor();
    const url = last();
    const token = await backend.tokenFor(MEMBER);
    const doc = await backend.getJson<RepositoryMetrics>(
      `${url.pathname}${url.search}`,
      token,
    );
    check(
      doc.entityRef === `component:default/${COMPONENT}`,
      `The API names ${doc.entityRef}`,
    );
    check(doc.coverage.daysWithData > 0, 'No day of the range has the report');
    check(doc.totals.activeDays > 0, 'No pull request activity in the range');
    for (const key of [
      'agentCreated',
      'agentMerged',
      'codeReviewReviewed',
      'suggestions',
      'prsMerged',
    ]) {
      const shown = shownNumber(
        await page.getByTestId(`repository-total-${key}-value`).innerText(),
      );
      check(
        shown === doc.totals[key],
        `${key}: shown ${shown}, API ${doc.totals[key]}`,
      );
    }
    // The review-stage times: GitHub times merges from 2026-09-21 on.
    const median = doc.totals.medianReadyToFirstReview;
    const shownMedian = await page
      .getByTestId('repository-total-medianReadyToFirstReview-value')
      .innerText();
    check(
      median === null
        ? shownMedian.trim() === '–'
        : Math.abs(shownNumber(shownMedian) - median) < 0.05,
      `Median ready to first review: shown ${shownMedian}, API ${median}`,
    );
    for (const chart of [
      'Copilot cloud agent pull requests',
      'Copilot code review',
    ]) {
      await page
        .getByRole('img', { name: `Chart: ${chart}`, exact: true })
        .waitFor();
    }
    // The chart's table holds one row per day of the API's series.
    const rows = await page
      .getByRole('table', { name: 'Copilot cloud agent pull requests' })
      .locator('tbody tr')
      .count();
    check(
      rows === doc.days.length,
      `${rows} table rows, API ${doc.days.length} days`,
    );
    await capture('31-repository-component-tab');

    // The Group tab of search lists its Component with the same figures.
    const group = watch(
      page,
      `/api/copilot-usage/groups/default/${GROUP}/repositories`,
    );
    await page.goto(`${appUrl}/catalog/default/group/${GROUP}/copilot-usage`);
    const row = page.getByTestId(`repository-row-${SLUG}`);
    await row.waitFor();
    const groupUrl = group();
    const table = await backend.getJson<RepositoryTable>(
      `${groupUrl.pathname}${groupUrl.search}`,
      token,
    );
    const entry = table.repositories.find(r => r.repository.slug === SLUG);
    check(entry, `The Group's table of the API has no ${SLUG}`);
    const cell = shownNumber(
      await page.getByTestId(`repository-${SLUG}-agentCreated`).innerText(),
    );
    check(
      cell === entry.totals.agentCreated,
      `Group table: shown ${cell}, API ${entry.totals.agentCreated}`,
    );
    check(
      (await row.getByRole('link').getAttribute('href'))?.endsWith(
        `/component/${COMPONENT}/copilot-usage`,
      ),
      'The row does not link to the Component’s Copilot tab',
    );
    await row.scrollIntoViewIfNeeded();
    await capture('32-repository-group-table');
  },
};

const refusalsAndAdminTable: Scenario = {
  name: 'a member is refused a repository no Component carries and the org-wide table; an admin gets the repository',
  async run({ page, appUrl, backend, capture }) {
    const memberToken = await backend.tokenFor(MEMBER);
    const status = (path: string, token?: string) =>
      backend.getJson(path, token ?? '').then(
        () => 200,
        (error: Error) => Number(/\b(40\d)\b/.exec(String(error))?.[1] ?? 0),
      );
    // acme/design-system has a Component; acme-labs/prototypes has none.
    const unlisted =
      '/api/copilot-usage/repositories/acme-labs/prototypes/metrics';
    check(
      (await status(unlisted, memberToken)) === 404,
      'A member gets a repository no Component carries',
    );
    check(
      (await status(
        '/api/copilot-usage/orgs/acme/repositories',
        memberToken,
      )) === 403,
      'A member gets the org-wide repository table',
    );
    check(
      (await status(`/api/copilot-usage/repositories/${SLUG}/metrics`)) === 401,
      'A caller without credentials gets figures',
    );
    const adminToken = await backend.tokenFor('admin');
    check(
      (await status(unlisted, adminToken)) === 200,
      'An admin is refused a repository without a Component',
    );

    await signInAs(page, appUrl, MEMBER);
    await page.goto(`${appUrl}/copilot-usage`);
    await page.getByRole('tab', { name: 'My usage' }).waitFor();
    check(
      (await page.getByRole('tab', { name: 'Repositories' }).count()) === 0,
      'A member is offered the Repositories tab',
    );

    await capture('33-repository-member-overview');
  },
};

const adminSeesOrgTable: Scenario = {
  name: 'an admin opens the Repositories tab of the org overview: every repository of the API, linked to its Component',
  async run({ page, appUrl, backend, capture }) {
    const adminToken = await backend.tokenFor('admin');
    await signInAs(page, appUrl, 'admin');
    const orgRequest = watch(page, '/api/copilot-usage/orgs/acme/repositories');
    await page.goto(`${appUrl}/copilot-usage?scope=org:acme#repositories`);
    const row = page.getByTestId(`repository-row-${SLUG}`);
    await row.waitFor();
    const orgUrl = orgRequest();
    const org = await backend.getJson<RepositoryTable>(
      `${orgUrl.pathname}${orgUrl.search}`,
      adminToken,
    );
    check(
      org.repositories.some(
        r => r.entityRef === `component:default/${COMPONENT}`,
      ),
      'The org table does not name the Component of search-service',
    );
    check(
      (await page.locator('[data-testid^="repository-row-"]').count()) ===
        org.repositories.length,
      'The org tab does not show every repository of the API',
    );
    await capture('34-repository-org-table');
  },
};

const untrustedClaim: Scenario = {
  name: 'a Component anyone could register, naming a repository it does not come from, gives its readers no figures',
  async run({ backend }) {
    // examples/untrusted-component-claim.yaml: claim-prototypes (origin: that file, not
    // trusted) names acme-labs/prototypes, which has figures and no other Component.
    const path = '/api/copilot-usage/repositories/acme-labs/prototypes/metrics';
    const status = (token: string) =>
      backend.getJson(path, token).then(
        () => 200,
        (error: Error) => Number(/\b(40\d)\b/.exec(String(error))?.[1] ?? 0),
      );
    const component = await backend.getJson<{ metadata: { name: string } }>(
      '/api/catalog/entities/by-name/component/default/claim-prototypes',
      await backend.tokenFor(MEMBER),
    );
    check(
      component.metadata.name === 'claim-prototypes',
      'The member cannot read the self-made claim in the catalog',
    );
    check(
      (await status(await backend.tokenFor(MEMBER))) === 404,
      'A reader of the self-made claim gets the repository’s figures',
    );
    check(
      (await status(await backend.tokenFor('admin'))) === 200,
      'An admin is refused the repository',
    );
  },
};

export const repositoryScenarios: Scenario[] = [
  memberSeesRepository,
  refusalsAndAdminTable,
  adminSeesOrgTable,
  untrustedClaim,
];
