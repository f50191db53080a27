import type { Page } from 'playwright-core';

/** Signs in through the app's sign-in page, picking a demo user of the dev sign-in. */
export async function signInAs(page: Page, appUrl: string, user: string) {
  await page.goto(appUrl);
  await page.getByText('Dev sign-in', { exact: true }).waitFor();
  await page.getByTestId('dev-sign-in-user').selectOption(user);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // Signed in: the app, naming the user in its sidebar, replaces the sign-in page.
  await page.getByRole('link', { name: user, exact: true }).waitFor();
}
