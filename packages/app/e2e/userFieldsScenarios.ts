/*
 * The per-user report fields of issue 13 on the team tab: AI credits and client
 * versions, as a member (counts only) and as an admin (whom to ask to upgrade),
 * each compared with the API's own document.
 */
import type { Page } from 'playwright-core';
import type { Scenario } from './lib/harness';
import { signInAs } from './lib/signIn';

const TEAM = 'search';
const MEMBER = 'bruno-walker';
const ADMIN = 'admin';

type Doc = {
  totals: { aiCredits?: number | null };
  clientVersions?: {
    users: number;
    flaggedUsers: number;
    flaggedLogins?: string[];
    clients: Array<{
      client: string;
      versions: Array<{ version: string; flag?: unknown }>;
    }>;
  };
};

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Opens the team tab and returns the metrics URL the page asked for. */
async function openTab(page: Page, appUrl: string): Promise<() => URL> {
  const path = `/api/copilot-usage/teams/default/${TEAM}/metrics`;
  const urls: URL[] = [];
  page.on('request', request => {
    const url = new URL(request.url());
    if (url.pathname === path && !url.searchParams.has('format'))
      urls.push(url);
  });
  await page.goto(`${appUrl}/catalog/default/group/${TEAM}`);
  await page.getByText('Copilot', { exact: true }).click();
  await page.waitForURL(new RegExp(`/group/${TEAM}/copilot-usage$`));
  await page.getByTestId('headline-activeUsers-value').waitFor();
  return () => {
    check(urls.length > 0, 'The tab asked for no metrics document');
    // The period shown, not the previous one it is compared with.
    return urls.reduce((latest, url) =>
      url.searchParams.get('to')! > latest.searchParams.get('to')!
        ? url
        : latest,
    );
  };
}

function scenario(user: string, admin: boolean): Scenario {
  return {
    name: `${admin ? 'an admin' : 'a member'} sees the team's AI credits and client versions${
      admin ? ', with whom to ask to upgrade' : ', counts only'
    }`,
    async run({ page, appUrl, backend, capture }) {
      await signInAs(page, appUrl, user);
      const metricsUrl = await openTab(page, appUrl);
      const url = metricsUrl();
      const doc = await backend.getJson<Doc>(
        `${url.pathname}${url.search}`,
        await backend.tokenFor(user),
      );
      check(
        typeof doc.totals.aiCredits === 'number' && doc.totals.aiCredits > 0,
        `The API has no credits for ${TEAM}: ${doc.totals.aiCredits}`,
      );
      const total = page.getByTestId('credits-total-value');
      await total.scrollIntoViewIfNeeded();
      const shown = Number((await total.innerText()).replace(/[,\s]/g, ''));
      check(
        Math.abs(shown - doc.totals.aiCredits) < 0.06,
        `Credits shown ${shown}, API ${doc.totals.aiCredits}`,
      );
      check(
        /not a billed total/.test(
          await page.getByTestId('credits-signal').innerText(),
        ),
        'The credits panel does not say they are not a bill',
      );
      const versions = doc.clientVersions;
      check(versions && versions.users > 0, 'The API has no client versions');
      const flagged = page.getByTestId('client-versions-flagged');
      await flagged.scrollIntoViewIfNeeded();
      const flaggedText = await flagged.innerText();
      check(
        versions.flaggedUsers === 0 ||
          flaggedText.includes(`${versions.flaggedUsers} user`),
        `Flagged users shown "${flaggedText}", API ${versions.flaggedUsers}`,
      );
      const flags = versions.clients
        .flatMap(c => c.versions)
        .filter(v => v.flag);
      check(
        (await page.getByTestId('client-version-flag').count()) ===
          flags.length,
        'The panel flags other versions than the API',
      );
      const logins = page.getByTestId('client-versions-logins');
      if (admin) {
        check(
          (versions.flaggedLogins?.length ?? 0) === versions.flaggedUsers,
          'An admin gets no logins on flagged versions',
        );
        check(
          versions.flaggedUsers === 0 || (await logins.count()) === 1,
          'An admin sees nobody to ask to upgrade',
        );
      } else {
        check(
          versions.flaggedLogins === undefined,
          'A member gets the logins on flagged versions',
        );
        check((await logins.count()) === 0, 'A member sees logins');
      }
      await page.getByTestId('client-versions-panel').scrollIntoViewIfNeeded();
      await capture(
        `20-team-credits-and-versions-${admin ? 'admin' : 'member'}`,
      );
    },
  };
}

/** The scenarios of this file, run after the others. */
export const userFieldsScenarios: Scenario[] = [
  scenario(MEMBER, false),
  scenario(ADMIN, true),
];
