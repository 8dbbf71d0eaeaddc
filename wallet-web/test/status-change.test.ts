import { afterEach, describe, expect, it, vi } from "vitest";
import { markSeen, noteChange, reasonFromReport } from "../src/status-change.js";
import { startStatusSchedule } from "../src/status-schedule.js";
import type { StatusState, StoredCredential } from "../src/records.js";

const rec = (state: StatusState, extra: Partial<StoredCredential> = {}): StoredCredential => ({
  id: "urn:uuid:1",
  jwt: "a.b.c",
  addedAt: "2026-11-01T00:00:00Z",
  status: { state, checkedAt: "2026-11-01T00:00:00Z" },
  ...extra,
});
const NOW = new Date("2026-11-30T12:00:00Z");

describe("status change notes", () => {
  it("notes a change between established states, with reason and start", () => {
    const next = rec("suspended");
    next.status = { ...next.status, reason: "under-review", since: "2026-11-30T11:00:00Z" };
    const out = noteChange(rec("active"), next, NOW);
    expect(out.lastKnown).toBe("suspended");
    expect(out.change).toEqual({
      from: "active",
      to: "suspended",
      noticedAt: NOW.toISOString(),
      since: "2026-11-30T11:00:00Z",
      reason: "under-review",
    });
  });

  it("does not treat a failed check (unknown) as a change, nor the way back", () => {
    const offline = noteChange(rec("active"), rec("unknown"), NOW);
    expect(offline.change).toBeUndefined();
    expect(offline.lastKnown).toBe("active");
    const back = noteChange(offline, rec("active"), NOW);
    expect(back.change).toBeUndefined();
    // …but a change that happened while offline is noticed against the last established state.
    const revoked = noteChange(offline, rec("revoked"), NOW);
    expect(revoked.change?.from).toBe("active");
    expect(revoked.change?.to).toBe("revoked");
  });

  it("keeps an unseen note until it is marked seen; a newer change replaces it", () => {
    const suspended = noteChange(rec("active"), rec("suspended"), NOW);
    const again = noteChange(suspended, rec("suspended"), NOW);
    expect(again.change?.to).toBe("suspended");
    const revoked = noteChange(again, rec("revoked"), NOW);
    expect(revoked.change).toMatchObject({ from: "suspended", to: "revoked" });
    expect(markSeen(revoked).change).toBeUndefined();
    expect(markSeen(revoked).lastKnown).toBe("revoked");
  });

  it("reads the reason of the current state from a verification report's history", () => {
    const report = {
      checks: {
        status: {
          history: [
            { kind: "issue", at: "2026-11-01T00:00:00Z" },
            { kind: "suspend", at: "2026-11-02T00:00:00Z", reason: "under-review" },
            { kind: "reinstate", at: "2026-11-03T00:00:00Z", reason: "other" },
            { kind: "revoke", at: "2026-11-04T00:00:00Z", reason: "issued-in-error" },
          ],
        },
      },
    };
    expect(reasonFromReport(report, "revoked")).toEqual({
      reason: "issued-in-error",
      since: "2026-11-04T00:00:00Z",
    });
    expect(reasonFromReport(report, "suspended").reason).toBe("under-review");
    expect(reasonFromReport(report, "active")).toEqual({});
    // Unknown or hostile shapes give nothing rather than throwing.
    expect(reasonFromReport(null, "revoked")).toEqual({});
    expect(reasonFromReport({ checks: { status: { history: "x" } } }, "revoked")).toEqual({});
    expect(
      reasonFromReport(
        { checks: { status: { history: [{ kind: "revoke", reason: "<b>x</b>" }] } } },
        "revoked",
      ),
    ).toEqual({});
  });
});

describe("status refresh schedule", () => {
  afterEach(() => vi.useRealTimers());

  function setup(o: { online?: boolean } = {}) {
    vi.useFakeTimers();
    let t = 0;
    const target = new EventTarget();
    let calls = 0;
    let release: (() => void) | undefined;
    const stop = startStatusSchedule({
      refresh: () => {
        calls++;
        return new Promise<void>((r) => (release = r));
      },
      target,
      isOnline: () => o.online ?? true,
      isVisible: () => true,
      now: () => t,
      everyMs: 180_000,
      minGapMs: 60_000,
    });
    return {
      target,
      calls: () => calls,
      advance: async (ms: number) => {
        t += ms;
        await vi.advanceTimersByTimeAsync(ms);
      },
      finish: async () => {
        release?.();
        await vi.advanceTimersByTimeAsync(0);
      },
      stop,
    };
  }

  it("refreshes on the timer and on focus, at most once a minute, one at a time", async () => {
    const s = setup();
    s.target.dispatchEvent(new Event("focus"));
    expect(s.calls()).toBe(0); // just unlocked (which refreshed already)
    await s.advance(61_000);
    s.target.dispatchEvent(new Event("focus"));
    expect(s.calls()).toBe(1);
    await s.advance(61_000);
    s.target.dispatchEvent(new Event("visibilitychange"));
    expect(s.calls()).toBe(1); // the first is still running
    await s.finish();
    s.target.dispatchEvent(new Event("visibilitychange"));
    expect(s.calls()).toBe(2);
    await s.finish();
    await s.advance(180_000);
    expect(s.calls()).toBe(3);
    await s.finish();
    s.stop();
    await s.advance(600_000);
    s.target.dispatchEvent(new Event("focus"));
    expect(s.calls()).toBe(3);
  });

  it("does nothing while offline", async () => {
    const s = setup({ online: false });
    await s.advance(600_000);
    s.target.dispatchEvent(new Event("online"));
    expect(s.calls()).toBe(0);
    s.stop();
  });
});
