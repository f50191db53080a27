import { GithubAppConfig } from '@backstage/integration';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';

/** An installation token is renewed this long before GitHub's expiry. */
const RENEW_BEFORE_MS = 5 * 60_000;

interface Installation {
  id: number;
  target_type?: string;
  account?: { slug?: string; login?: string } | null;
  suspended_by?: unknown;
}

/**
 * Tokens of a GitHub App's installation on an enterprise. GitHub only serves the
 * enterprise's Copilot metrics to that installation (permission "Enterprise Copilot
 * metrics: read"); an org installation's token gets 403 there. Backstage's
 * credentials provider finds installations by the account's `login`, which an
 * enterprise account does not have, so this looks the installation up by its `slug`
 * and keeps its token until shortly before it expires.
 */
export class EnterpriseInstallationTokens {
  readonly #apps: GithubAppConfig[];
  readonly #octokit: Octokit;
  readonly #now: () => number;
  readonly #tokens = new Map<
    string,
    Promise<{ token: string; renewAt: number }>
  >();

  constructor(options: {
    apps: GithubAppConfig[];
    baseUrl: string;
    fetch?: typeof fetch;
    now?: () => number;
  }) {
    this.#apps = options.apps;
    this.#now = options.now ?? Date.now;
    this.#octokit = new Octokit({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      request: options.fetch && { fetch: options.fetch },
    });
  }

  /** The `Authorization` header for the enterprise's report and seat routes. */
  async headers(enterprise: string): Promise<Record<string, string>> {
    const key = enterprise.toLowerCase();
    let pending = this.#tokens.get(key);
    const cached = pending && (await pending.catch(() => undefined));
    if (!cached || cached.renewAt <= this.#now()) {
      pending = this.#createToken(key);
      this.#tokens.set(key, pending);
      // A failed lookup is not kept: the next call asks GitHub again.
      pending.catch(() => this.#tokens.delete(key));
    }
    return { authorization: `token ${(await pending!).token}` };
  }

  async #createToken(enterprise: string) {
    const searched: string[] = [];
    for (const app of this.#apps) {
      if (
        app.allowedInstallationOwners &&
        !app.allowedInstallationOwners.some(o => o.toLowerCase() === enterprise)
      ) {
        continue;
      }
      searched.push(String(app.appId));
      const appAuth = createAppAuth({
        appId: app.appId,
        privateKey: app.privateKey.replace(/\\n/gm, '\n'),
      });
      const headers = {
        authorization: `bearer ${(await appAuth({ type: 'app' })).token}`,
      };
      const installation = await this.#findInstallation(enterprise, headers);
      if (!installation) continue;
      if (installation.suspended_by) {
        throw new Error(
          `The GitHub App ${app.appId} is suspended on the enterprise '${enterprise}'`,
        );
      }
      const { data } = await this.#octokit.request(
        'POST /app/installations/{installation_id}/access_tokens',
        { installation_id: installation.id, headers },
      );
      return {
        token: data.token as string,
        renewAt: Date.parse(data.expires_at as string) - RENEW_BEFORE_MS,
      };
    }
    throw new Error(
      `No installation of the GitHub App ${searched.join(', ') || '(none allowed for this enterprise)'} on the enterprise '${enterprise}': ` +
        'install the App on the enterprise itself (an organization installation cannot read enterprise metrics) ' +
        'with the permission "Enterprise Copilot metrics: read"',
    );
  }

  async #findInstallation(
    enterprise: string,
    headers: Record<string, string>,
  ): Promise<Installation | undefined> {
    for (let page = 1; ; page++) {
      const { data } = await this.#octokit.request('GET /app/installations', {
        per_page: 100,
        page,
        headers,
      });
      const installations = data as Installation[];
      const found = installations.find(
        i =>
          i.target_type === 'Enterprise' &&
          i.account?.slug?.toLowerCase() === enterprise,
      );
      if (found || installations.length < 100) return found;
    }
  }
}
