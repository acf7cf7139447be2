/** A cloud with a lock: "your account, protected". */
export function EmptyCloudIllustration() {
  return (
    <svg width="168" height="120" viewBox="0 0 168 120" fill="none" className="illustration" aria-hidden="true">
      <ellipse cx="84" cy="108" rx="52" ry="6" className="ill-shadow" />
      <path d="M50 90h70a22 22 0 0 0 3-43.8A31 31 0 0 0 63.5 40 24 24 0 0 0 50 90Z" className="ill-surface" />
      <rect x="70" y="58" width="28" height="22" rx="5" className="ill-accent" />
      <path d="M76 58v-5a8 8 0 0 1 16 0v5" className="ill-accent-stroke" strokeWidth="4" />
      <circle cx="84" cy="68" r="3" className="ill-on-accent" />
      <path d="M84 70v4" className="ill-on-accent-stroke" strokeWidth="3" strokeLinecap="round" />
      <path d="M28 40l2 5 5 2-5 2-2 5-2-5-5-2 5-2 2-5Z" className="ill-sparkle" />
      <path d="M142 28l1.5 3.5 3.5 1.5-3.5 1.5-1.5 3.5-1.5-3.5-3.5-1.5 3.5-1.5 1.5-3.5Z" className="ill-sparkle" />
    </svg>
  );
}
