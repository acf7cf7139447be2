import { type ReactNode, Suspense } from "react";
import { Link } from "wouter";
import { useSession } from "../features/auth/session";
import { Logo } from "../ui/Logo";
import { Spinner } from "../ui/Spinner";
import { MobileMenu } from "./MobileMenu";
import { NavLinks } from "./NavLinks";
import { UserMenu } from "./UserMenu";
import { VerifyBanner } from "./VerifyBanner";

function PageLoading() {
  return (
    <p className="page-loading" role="status" aria-live="polite">
      <Spinner /> Loading…
    </p>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="container topbar-inner">
          <Link href="/instances" className="topbar-brand" aria-label="Claw Cloud, go to instances">
            <Logo />
          </Link>
          <nav aria-label="Main" className="topbar-nav">
            <NavLinks className="nav-list" />
          </nav>
          <div className="topbar-end">
            <UserMenu />
            <MobileMenu />
          </div>
        </div>
      </header>
      {user.emailVerified ? null : <VerifyBanner email={user.email} />}
      <main id="main" className="app-main" tabIndex={-1}>
        <div className="container">
          <Suspense fallback={<PageLoading />}>{children}</Suspense>
        </div>
      </main>
    </div>
  );
}
