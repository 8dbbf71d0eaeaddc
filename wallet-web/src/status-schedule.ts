/**
 * When the wallet re-checks status on its own (issue 12, "the wallet stays current"): on a timer
 * while unlocked, when the window regains focus or becomes visible, and when the browser comes
 * back online. Bounded: never more often than `minGapMs`, never while a refresh runs, never while
 * the browser says it is offline (a check then could only say "unknown").
 */

/** Every few minutes while open (the wallet locks itself after 5 idle minutes, auto-lock.ts). */
const REFRESH_EVERY_MS = 3 * 60_000;
/** Focus changes often (switching tabs); one check a minute is enough to stay current. */
const MIN_GAP_MS = 60_000;

export interface ScheduleOptions {
  /** Runs one refresh; resolves when done (errors are the caller's to report). */
  refresh(): Promise<void>;
  /** Where focus, visibility and online events arrive (window in the app). */
  target?: Pick<EventTarget, "addEventListener" | "removeEventListener">;
  isOnline?(): boolean;
  isVisible?(): boolean;
  now?(): number;
  everyMs?: number;
  minGapMs?: number;
}

/** Starts the schedule; the returned function stops it. `lastRun` counts from the start call. */
export function startStatusSchedule(o: ScheduleOptions): () => void {
  const now = o.now ?? (() => Date.now());
  const online = o.isOnline ?? (() => navigator.onLine !== false);
  const visible = o.isVisible ?? (() => document.visibilityState !== "hidden");
  const gap = o.minGapMs ?? MIN_GAP_MS;
  const target = o.target ?? window;
  let running = false;
  let stopped = false;
  let lastRun = now();
  const maybe = (force: boolean): void => {
    if (stopped || running || !online() || !visible()) return;
    if (!force && now() - lastRun < gap) return;
    running = true;
    lastRun = now();
    void o
      .refresh()
      .catch(() => undefined)
      .finally(() => {
        running = false;
      });
  };
  const onEvent = () => maybe(false);
  const events = ["focus", "visibilitychange", "online"] as const;
  for (const e of events) target.addEventListener(e, onEvent);
  const timer = setInterval(() => maybe(true), o.everyMs ?? REFRESH_EVERY_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
    for (const e of events) target.removeEventListener(e, onEvent);
  };
}
