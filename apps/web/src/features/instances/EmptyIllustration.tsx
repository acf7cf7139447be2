/** A small server with an assistant's speech bubble, drawn in the theme's colours. */
export function EmptyInstancesIllustration() {
  return (
    <svg width="168" height="120" viewBox="0 0 168 120" fill="none" className="illustration" aria-hidden="true">
      <ellipse cx="84" cy="108" rx="56" ry="6" className="ill-shadow" />
      <rect x="38" y="34" width="92" height="30" rx="8" className="ill-surface" />
      <rect x="38" y="70" width="92" height="30" rx="8" className="ill-surface" />
      <circle cx="52" cy="49" r="3.5" className="ill-accent" />
      <circle cx="52" cy="85" r="3.5" className="ill-muted" />
      <rect x="62" y="46" width="40" height="6" rx="3" className="ill-line" />
      <rect x="62" y="82" width="28" height="6" rx="3" className="ill-line" />
      <rect x="108" y="46" width="10" height="6" rx="3" className="ill-line" />
      <rect x="108" y="82" width="10" height="6" rx="3" className="ill-line" />
      <path d="M104 6h46a8 8 0 0 1 8 8v14a8 8 0 0 1-8 8h-30l-9 8v-8h-7a8 8 0 0 1-8-8V14a8 8 0 0 1 8-8Z" className="ill-bubble" />
      <circle cx="115" cy="21" r="2.5" className="ill-bubble-dot" />
      <circle cx="125" cy="21" r="2.5" className="ill-bubble-dot" />
      <circle cx="135" cy="21" r="2.5" className="ill-bubble-dot" />
      <path d="M24 30l2 5 5 2-5 2-2 5-2-5-5-2 5-2 2-5Z" className="ill-sparkle" />
      <path d="M146 64l1.5 3.5 3.5 1.5-3.5 1.5-1.5 3.5-1.5-3.5-3.5-1.5 3.5-1.5 1.5-3.5Z" className="ill-sparkle" />
    </svg>
  );
}
