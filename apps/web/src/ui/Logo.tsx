import { useId } from "react";

/** The Claw Cloud mark: three claw strokes on a warm tile. */
export function LogoMark({ size = 28 }: { size?: number }) {
  const gradient = `${useId()}-g`;
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className="logo-mark">
      <defs>
        <linearGradient id={gradient} x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#ff7a50" />
          <stop offset="1" stopColor="#e0344a" />
        </linearGradient>
      </defs>
      <rect width="32" height="32" rx="8" fill={`url(#${gradient})`} />
      <g fill="none" stroke="#fff" strokeWidth="2.6" strokeLinecap="round">
        <path d="M11.5 8.5c-2.6 4.6-2.9 9.9-.6 15" />
        <path d="M17 7c-2.7 5.4-3 11.3-.6 17.6" />
        <path d="M22.5 8.5c-2.6 4.6-2.9 9.9-.6 15" />
      </g>
    </svg>
  );
}

export function Logo() {
  return (
    <span className="logo">
      <LogoMark />
      <span className="logo-text">Claw Cloud</span>
    </span>
  );
}
