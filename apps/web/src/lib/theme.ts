import { useSyncExternalStore } from "react";

/**
 * Theme preference: "system" follows prefers-color-scheme through CSS media queries (no flash);
 * "light" / "dark" are forced with `data-theme` on <html>, set in main.tsx before the first render.
 */
export type ThemePreference = "system" | "light" | "dark";

export const THEME_OPTIONS: readonly { value: ThemePreference; label: string }[] = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

const STORAGE_KEY = "clawcloud.theme";
const listeners = new Set<() => void>();

function isPreference(value: unknown): value is ThemePreference {
  return value === "system" || value === "light" || value === "dark";
}

export function readThemePreference(): ThemePreference {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isPreference(stored) ? stored : "system";
  } catch {
    return "system"; // storage can be blocked (privacy modes); fall back quietly
  }
}

let current: ThemePreference = "system";

export function applyThemePreference(preference: ThemePreference): void {
  current = preference;
  document.documentElement.dataset.theme = preference;
}

export function setThemePreference(preference: ThemePreference): void {
  try {
    if (preference === "system") window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, preference);
  } catch {
    // not persisted, still applied for this page
  }
  applyThemePreference(preference);
  for (const listener of listeners) listener();
}

/** Call once, before React renders. Also follows changes made in other tabs. */
export function initTheme(): void {
  applyThemePreference(readThemePreference());
  window.addEventListener("storage", (event) => {
    if (event.key !== STORAGE_KEY && event.key !== null) return;
    applyThemePreference(readThemePreference());
    for (const listener of listeners) listener();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useThemePreference(): [ThemePreference, (preference: ThemePreference) => void] {
  const preference = useSyncExternalStore(subscribe, () => current);
  return [preference, setThemePreference];
}
