import { RELATION_HAS_MEMBER } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/**
 * How many members a Group has in the catalog; `undefined` while loading, when
 * the app has no catalog or the Group cannot be read.
 */
export function useCatalogMembers(entityRef: string | undefined) {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const { value } = useAsync(async () => {
    if (!catalogApi || !entityRef) return undefined;
    try {
      const entity = await catalogApi.getEntityByRef(entityRef);
      return entity?.relations?.filter(r => r.type === RELATION_HAS_MEMBER)
        .length;
    } catch {
      return undefined;
    }
  }, [catalogApi, entityRef]);
  return value;
}
