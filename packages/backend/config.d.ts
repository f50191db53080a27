export interface Config {
  copilotUsage?: {
    /** The local GitHub simulator of the embedded default (never in production). */
    simulator?: {
      /** Runs the simulator in the backend and puts its org in the catalog. */
      enabled?: boolean;
      /** @default 7010 */
      port?: number;
      /** @default acme */
      org?: string;
      users?: number;
      teams?: number;
      seed?: number;
      /** When set, the simulator requires this token. */
      token?: string;
    };
    /**
     * Sign in as any catalog User by name, for local development only. Even when
     * enabled it runs only with `auth.environment: development`, a backend that
     * listens on loopback (`backend.listen.host: 127.0.0.1`), a loopback
     * `backend.baseUrl` and NODE_ENV unset, `development` or `test`; otherwise
     * the backend logs why it is off.
     */
    devSignIn?: {
      enabled?: boolean;
      /** Signs this user in when a request names nobody. */
      defaultUser?: string;
    };
  };
}
