/** Locks the wallet after a period without keyboard, pointer or touch activity. */
export const AUTO_LOCK_MS = 5 * 60_000;

export function startAutoLock(onLock: () => void, ms = AUTO_LOCK_MS): () => void {
  let timer = setTimeout(onLock, ms);
  const reset = () => {
    clearTimeout(timer);
    timer = setTimeout(onLock, ms);
  };
  const events = ["pointerdown", "keydown", "touchstart", "wheel"] as const;
  for (const e of events) window.addEventListener(e, reset, { passive: true });
  return () => {
    clearTimeout(timer);
    for (const e of events) window.removeEventListener(e, reset);
  };
}
