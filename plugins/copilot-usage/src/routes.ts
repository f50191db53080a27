import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The org overview page. Shared by both frontend systems.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'copilot-usage' });

/** The Copilot tab on Group pages (legacy system). */
export const entityContentRouteRef = createRouteRef({
  id: 'copilot-usage:entity-content',
});
