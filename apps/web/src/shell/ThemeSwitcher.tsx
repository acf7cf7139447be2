import { type ReactNode, useId } from "react";
import { THEME_OPTIONS, type ThemePreference, useThemePreference } from "../lib/theme";
import { IconMonitor } from "../ui/icons";

const ICONS: Record<ThemePreference, ReactNode> = {
  system: <IconMonitor />,
  light: (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      aria-hidden="true"
    >
      <circle cx="12" cy="12" r="4" />
      <path d="M12 2.5v2M12 19.5v2M4.6 4.6 6 6M18 18l1.4 1.4M2.5 12h2M19.5 12h2M4.6 19.4 6 18M18 6l1.4-1.4" />
    </svg>
  ),
  dark: (
    <svg
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5Z" />
    </svg>
  ),
};

/** System / Light / Dark as a radio group (arrow keys move between options). */
export function ThemeSwitcher({ legend = "Theme", showLegend = true }: { legend?: string; showLegend?: boolean }) {
  const [preference, setPreference] = useThemePreference();
  const name = useId();
  return (
    <fieldset className="segmented">
      <legend className={showLegend ? "segmented-legend" : "visually-hidden"}>{legend}</legend>
      <div className="segmented-options">
        {THEME_OPTIONS.map((option) => (
          <label key={option.value} className="segmented-option">
            <input
              type="radio"
              name={name}
              value={option.value}
              checked={preference === option.value}
              onChange={() => setPreference(option.value)}
            />
            <span className="segmented-face">
              {ICONS[option.value]}
              <span>{option.label}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
