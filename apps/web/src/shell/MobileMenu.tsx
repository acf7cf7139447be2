import { useSession, useSignOut } from "../features/auth/session";
import { errorMessage } from "../lib/api";
import { IconClose, IconLogOut, IconMenu } from "../ui/icons";
import { Spinner } from "../ui/Spinner";
import { NavLinks } from "./NavLinks";
import { ThemeSwitcher } from "./ThemeSwitcher";
import { Avatar } from "./UserMenu";
import { useDisclosure } from "./useDisclosure";

/** Phones: one menu button that opens navigation, theme and sign-out. */
export function MobileMenu() {
  const { user, workspace } = useSession();
  const signOut = useSignOut();
  const menu = useDisclosure();

  return (
    <div className="mobile-menu">
      <button type="button" className="icon-button" ref={menu.buttonRef} {...menu.buttonProps}>
        {menu.open ? <IconClose width={20} height={20} /> : <IconMenu width={20} height={20} />}
        <span className="visually-hidden">Menu</span>
      </button>
      {menu.open ? (
        <div className="mobile-menu-panel" ref={menu.panelRef} {...menu.panelProps}>
          <nav aria-label="Main">
            <NavLinks className="mobile-nav" onNavigate={() => menu.close()} />
          </nav>
          <div className="mobile-menu-account">
            <Avatar name={user.name} email={user.email} />
            <div className="user-menu-who">
              <p className="user-menu-fullname">{user.name}</p>
              <p className="user-menu-email">{user.email}</p>
              <p className="user-menu-email">Workspace: {workspace.name}</p>
            </div>
          </div>
          <ThemeSwitcher />
          <button type="button" className="btn btn-secondary btn-block" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
            {signOut.isPending ? <Spinner /> : <IconLogOut />} Sign out
          </button>
          <p className="menu-error" role="alert">
            {signOut.isError ? errorMessage(signOut.error) : null}
          </p>
        </div>
      ) : null}
    </div>
  );
}
