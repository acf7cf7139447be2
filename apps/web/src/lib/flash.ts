/**
 * One-shot messages carried to the next page in the history entry's state (not in the URL, so a
 * reload or a shared link doesn't repeat them).
 */
type FlashState = { flash?: { scope: string; message: string } } | null;

export function flashState(scope: string, message: string): FlashState {
  return { flash: { scope, message } };
}

/** Reads this entry's message once, and removes it from the entry. */
export function takeFlash(scope: string): string | null {
  const state = window.history.state as FlashState;
  if (!state?.flash || state.flash.scope !== scope) return null;
  const { message } = state.flash;
  window.history.replaceState({ ...state, flash: undefined }, "");
  return message;
}
