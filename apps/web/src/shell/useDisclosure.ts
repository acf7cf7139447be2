import { type RefObject, useCallback, useEffect, useId, useRef, useState } from "react";
import { useLocation } from "wouter";

/**
 * A button that shows and hides a panel: closes on Escape (focus back to the button), on a click
 * or focus outside both, and on navigation.
 */
export function useDisclosure<B extends HTMLElement = HTMLButtonElement, P extends HTMLElement = HTMLDivElement>() {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<B>(null);
  const panelRef = useRef<P>(null);
  const panelId = useId();
  const [location] = useLocation();

  const close = useCallback((returnFocus = false) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: close whenever the route changes
  useEffect(() => setOpen(false), [location]);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close(true);
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!contains(panelRef, target) && !contains(buttonRef, target)) close();
    };
    // Keyboard users tabbing past the panel close it too.
    const onFocus = (event: FocusEvent) => {
      const target = event.target as Node;
      if (!contains(panelRef, target) && !contains(buttonRef, target)) close();
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    document.addEventListener("focusin", onFocus);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
      document.removeEventListener("focusin", onFocus);
    };
  }, [open, close]);

  return {
    open,
    setOpen,
    close,
    buttonRef,
    panelRef,
    buttonProps: {
      "aria-expanded": open,
      "aria-controls": panelId,
      onClick: () => setOpen((o) => !o),
    },
    panelProps: { id: panelId },
  };
}

function contains(ref: RefObject<HTMLElement | null>, node: Node): boolean {
  return ref.current?.contains(node) ?? false;
}
