import { useEffect, useState } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { SidebarItem } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import AccountCircleIcon from '@material-ui/icons/AccountCircle';
import ExitToAppIcon from '@material-ui/icons/ExitToApp';

/**
 * The signed-in user (a link to their catalog page) and a sign-out that goes
 * back to the sign-in page.
 */
export function SignedInUserItems() {
  const identityApi = useApi(identityApiRef);
  const [user, setUser] = useState<{ name: string; href: string }>();
  useEffect(() => {
    identityApi
      .getBackstageIdentity()
      .then(({ userEntityRef }) => {
        const { kind, namespace, name } = parseEntityRef(userEntityRef);
        setUser({
          name,
          href: `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`,
        });
      })
      .catch(() => {});
  }, [identityApi]);
  return (
    <>
      {user && (
        <SidebarItem icon={AccountCircleIcon} to={user.href} text={user.name} />
      )}
      <SidebarItem
        icon={ExitToAppIcon}
        text="Sign out"
        onClick={() => identityApi.signOut()}
      />
    </>
  );
}
