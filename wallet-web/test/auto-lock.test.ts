import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AUTO_LOCK_MS, startAutoLock } from "../src/auto-lock.js";

describe("auto-lock", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    (globalThis as { window?: EventTarget }).window = new EventTarget();
  });
  afterEach(() => {
    vi.useRealTimers();
    delete (globalThis as { window?: EventTarget }).window;
  });

  it("locks after the idle period, and activity postpones it", () => {
    const onLock = vi.fn();
    const stop = startAutoLock(onLock, 1000);
    vi.advanceTimersByTime(900);
    window.dispatchEvent(new Event("keydown"));
    vi.advanceTimersByTime(900);
    expect(onLock).not.toHaveBeenCalled();
    vi.advanceTimersByTime(200);
    expect(onLock).toHaveBeenCalledTimes(1);
    stop();
  });

  it("stops when the wallet is locked by hand", () => {
    const onLock = vi.fn();
    startAutoLock(onLock, 1000)();
    vi.advanceTimersByTime(5000);
    expect(onLock).not.toHaveBeenCalled();
    expect(AUTO_LOCK_MS).toBe(5 * 60_000);
  });
});
