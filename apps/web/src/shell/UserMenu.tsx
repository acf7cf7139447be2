import { Link } from "wouter";
import { useSession, useSignOut } from "../features/auth/session";
import { errorMessage } from "../lib/api";
import { initials } from "../lib/format";
import { IconChevronDown, IconLogOut, IconSettings } from "../ui/icons";
import { Spinner } from "../ui/Spinner";
import { ThemeSwitcher } from "./ThemeSwitcher";
import { useDisclosure } from "./useDisclosure";

export function Avatar({ name, email, size = "md" }: { name: string; email: string; size?: "md" | "lg" }) {
  return (
    <span className={`avatar avatar-${size}`} aria-hidden="true">
      {initials(name, email)}
    </span>
  );
}

/** Desktop account menu: who you are, workspace, theme, settings, sign out. */
export function UserMenu() {
  const { user, workspace } = useSession();
  const signOut = useSignOut();
  const menu = useDisclosure();

  return (
    <div className="user-menu">
      <button type="button" className="user-menu-button" ref={menu.buttonRef} {...menu.buttonProps}>
        <Avatar name={user.name} email={user.email} />
        <span className="user-menu-name">{user.name || user.email}</span>
        <IconChevronDown className="user-menu-chevron" />
        <span className="visually-hidden">Account menu</span>
      </button>
      {menu.open ? (
        <div className="popover user-menu-panel" ref={menu.panelRef} {...menu.panelProps}>
          <div className="user-menu-head">
            <Avatar name={user.name} email={user.email} size="lg" />
            <div className="user-menu-who">
              <p className="user-menu-fullname">{user.name}</p>
              <p className="user-menu-email">{user.email}</p>
            </div>
          </div>
          <p className="user-menu-workspace">
            <span>Workspace</span>
            <strong>{workspace.name}</strong>
          </p>
          <div className="user-menu-section">
            <ThemeSwitcher />
          </div>
          <div className="user-menu-actions">
            <Link href="/settings" className="menu-item">
              <IconSettings /> Settings
            </Link>
            <button type="button" className="menu-item" onClick={() => signOut.mutate()} disabled={signOut.isPending}>
              {signOut.isPending ? <Spinner /> : <IconLogOut />} Sign out
            </button>
            <p className="menu-error" role="alert">
              {signOut.isError ? errorMessage(signOut.error) : null}
            </p>
          </div>
        </div>
      ) : null}
    </div>
  );
}
