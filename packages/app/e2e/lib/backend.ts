/**
 * The backend as the tests see it from outside the browser: the same routes the
 * app calls, with the same user's token, to check what the pages show.
 */
export class Backend {
  constructor(readonly baseUrl: string) {}

  /** A Backstage token for a catalog User, from the dev sign-in. */
  async tokenFor(user: string): Promise<string> {
    const body = await this.request(
      `/api/auth/copilot-usage-dev/refresh?user=${encodeURIComponent(user)}`,
    );
    const token = body?.backstageIdentity?.token;
    if (typeof token !== 'string') {
      throw new Error(`The dev sign-in returned no token for ${user}`);
    }
    return token;
  }

  async getJson<T = any>(path: string, token: string): Promise<T> {
    return this.request(path, token);
  }

  async getText(path: string, token: string): Promise<string> {
    const response = await this.fetch(path, token);
    return response.text();
  }

  /** Waits until the backend answers and the first sync has stored data. */
  async waitForFirstSync(options: { admin: string; timeoutMs: number }) {
    const deadline = Date.now() + options.timeoutMs;
    let lastState = 'backend not answering';
    while (Date.now() < deadline) {
      try {
        const token = await this.tokenFor(options.admin);
        const status = await this.getJson<{ scopes: SyncScopeStatus[] }>(
          '/api/copilot-usage/status',
          token,
        );
        const synced = status.scopes.filter(
          s => !s.running && s.lastRunFinishedAt && s.daysWithData > 0,
        );
        if (
          status.scopes.length > 0 &&
          synced.length === status.scopes.length
        ) {
          return status.scopes;
        }
        lastState = JSON.stringify(
          status.scopes.map(s => ({
            scope: s.scope,
            running: s.running,
            progress: s.progress,
            daysWithData: s.daysWithData,
            lastError: s.lastError,
          })),
        );
      } catch (error) {
        lastState = String(error);
      }
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
    throw new Error(`The first sync did not finish in time: ${lastState}`);
  }

  private async fetch(path: string, token?: string) {
    const response = await fetch(new URL(path, this.baseUrl), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (!response.ok) {
      throw new Error(
        `GET ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`,
      );
    }
    return response;
  }

  private async request(path: string, token?: string) {
    return (await this.fetch(path, token)).json();
  }
}

type SyncScopeStatus = {
  scope: string;
  running: boolean;
  lastRunFinishedAt: string | null;
  progress: { daysDone: number; daysTotal: number };
  daysWithData: number;
  lastError: string | null;
};
