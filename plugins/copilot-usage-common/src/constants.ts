/**
 * The plugin id of the Copilot usage plugins: routes live under
 * `/api/copilot-usage` and permissions are named `copilot-usage.*`.
 *
 * @public
 */
export const COPILOT_USAGE_PLUGIN_ID = 'copilot-usage';

/**
 * The Group annotation that maps a Backstage Group to a GitHub team, with the
 * value `<org>/<team-slug>`. Backstage's GitHub org entity provider writes it.
 *
 * @public
 */
export const ANNOTATION_GITHUB_TEAM_SLUG = 'github.com/team-slug';

/**
 * The Group annotation that maps a Backstage Group to a GitHub enterprise team
 * (a team across the enterprise's orgs), with the value `<enterprise>/<slug>`,
 * e.g. `acme-corp/ent:ai-champions`. GitHub makes an enterprise team's slug from
 * its name with the prefix `ent:`; the value may leave the prefix out
 * (`acme-corp/ai-champions` names the same team). Backstage's GitHub org
 * provider never writes it, so a Group with it is believed about its members
 * only when it comes from one of `copilotUsage.trustedGroupOrigins`.
 *
 * @public
 */
export const ANNOTATION_GITHUB_ENTERPRISE_TEAM_SLUG =
  'github.com/enterprise-team-slug';

/**
 * The User annotation with the person's GitHub login, as Backstage's GitHub
 * org entity provider writes it and GitHub sign-in matches it.
 *
 * @public
 */
export const ANNOTATION_GITHUB_USER_LOGIN = 'github.com/user-login';

/**
 * The permission resource type of a team's Copilot usage. The resource ref is
 * the Group entity ref, e.g. `group:default/team-a`.
 *
 * @public
 */
export const COPILOT_USAGE_TEAM_RESOURCE_TYPE = 'copilot-usage-team';

/**
 * GitHub publishes a day's usage reports about this many days later: the last
 * day with reports is today (UTC) minus this.
 *
 * @public
 */
export const PUBLISHING_LAG_DAYS = 2;
