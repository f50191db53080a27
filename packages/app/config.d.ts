export interface Config {
  auth?: {
    providers?: {
      /**
       * Only that it is configured reaches the browser (its keys stay on the
       * backend): the sign-in page offers GitHub when it is.
       * @visibility frontend
       */
      github?: { [authEnvironment: string]: unknown };
      /**
       * The dev sign-in provider of the embedded default; only its presence
       * reaches the browser.
       * @visibility frontend
       */
      'copilot-usage-dev'?: { [key: string]: unknown };
    };
  };
  copilotUsage?: {
    devSignIn?: {
      /**
       * The sign-in page offers the dev sign-in when this is true and the
       * provider is configured.
       * @visibility frontend
       */
      enabled?: boolean;
    };
  };
}
