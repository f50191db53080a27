/*
 * The links of a day's repos-1-day report. GitHub added that report on 2026-07-17,
 * so it is optional: a 404 (a GitHub, or a GitHub Enterprise Server, without the
 * report; or a day before it existed) does not fail the day, which is stored
 * complete on its three required reports and with no repository rows. Any other
 * error (403, 5xx after retries, a bad answer) fails the day like the other reports:
 * the same credentials read all four, so a refusal there is worth showing.
 */
import { ReportLinks } from '../github/GithubCopilotClient';
import { GithubAccessError } from '../github/errors';
import { Scope } from '../lib/scope';
import type { CopilotReportSource } from './ReportFetcher';
import { DayError } from './writeReportDay';

export async function fetchRepoLinks(
  github: Pick<CopilotReportSource, 'getReportLinks'>,
  scope: Scope,
  day: string,
): Promise<ReportLinks> {
  try {
    return await github.getReportLinks(scope, 'repos', day);
  } catch (error) {
    if (error instanceof GithubAccessError && error.status === 404) {
      return { status: 'no_data' };
    }
    throw new DayError('repos', error);
  }
}
