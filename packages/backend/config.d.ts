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
    /** Sign in as any catalog User by name (local only; refused with NODE_ENV=production). */
    devSignIn?: {
      enabled?: boolean;
      /** Signs this user in when a request names nobody. */
      defaultUser?: string;
      dangerouslyAllowInProduction?: boolean;
    };
  };
}
