import type { ReactNode } from "react";
import { IconChat, IconLock, IconShield } from "../../ui/icons";
import { Logo } from "../../ui/Logo";

const PROMISES = [
  { icon: <IconLock />, title: "Runs in your cloud account", text: "Your assistant lives on a server you own, billed by your provider." },
  { icon: <IconShield />, title: "No standing access", text: "We never hold a key to your machine. Support access is yours to grant." },
  { icon: <IconChat />, title: "Your conversations stay yours", text: "Chat is relayed to your assistant, never stored by Claw Cloud." },
];

export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="auth">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="auth-aside" aria-label="About Claw Cloud">
        <Logo />
        <div className="auth-aside-body">
          <p className="auth-aside-title">Deploy your own AI assistant in 2 minutes.</p>
          <p className="auth-aside-lead">Your cloud, your data, your control.</p>
          <ul className="auth-promises">
            {PROMISES.map((p) => (
              <li key={p.title}>
                <span className="auth-promise-icon" aria-hidden="true">
                  {p.icon}
                </span>
                <span>
                  <strong>{p.title}</strong>
                  <span>{p.text}</span>
                </span>
              </li>
            ))}
          </ul>
        </div>
        <p className="auth-aside-foot">Powered by OpenClaw, the open-source assistant.</p>
      </aside>
      <main id="main" className="auth-main" tabIndex={-1}>
        <div className="auth-panel">
          <div className="auth-brand-compact">
            <Logo />
          </div>
          <div className="auth-card">
            <h1 className="auth-title">{title}</h1>
            {subtitle ? <p className="auth-subtitle">{subtitle}</p> : null}
            {children}
          </div>
          {footer ? <p className="auth-footer">{footer}</p> : null}
        </div>
      </main>
    </div>
  );
}
