import { Link, useLocation } from "wouter";
import { IconCloud, IconServer, IconSettings, IconShield } from "../ui/icons";

export const NAV_ITEMS = [
  { href: "/instances", label: "Instances", icon: <IconServer />, also: ["/deploy"] },
  { href: "/cloud-accounts", label: "Cloud accounts", icon: <IconCloud />, also: [] },
  { href: "/activity", label: "Activity", icon: <IconShield />, also: [] },
  { href: "/settings", label: "Settings", icon: <IconSettings />, also: [] },
] as const;

function isActive(location: string, href: string, also: readonly string[]): boolean {
  return [href, ...also].some((path) => location === path || location.startsWith(`${path}/`));
}

export function NavLinks({ className, onNavigate }: { className: string; onNavigate?: () => void }) {
  const [location] = useLocation();
  return (
    <ul className={className}>
      {NAV_ITEMS.map((item) => {
        const active = isActive(location, item.href, item.also);
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              className={active ? "nav-link nav-link-active" : "nav-link"}
              aria-current={location === item.href ? "page" : active ? "true" : undefined}
              onClick={onNavigate}
            >
              {item.icon}
              <span>{item.label}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
