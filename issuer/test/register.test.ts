// The public register's aggregation: counts by issuer, type, state and month; cells of 1–4 hidden,
// plus a second cell when a table would otherwise hide exactly one (it could be subtracted out).
import { describe, expect, it } from "vitest";
import { aggregateRegister, type RegisterRow } from "../src/register.js";

const NOW = new Date("2026-11-30T12:00:00Z");
const rows = (n: number, r: Partial<RegisterRow>): RegisterRow[] =>
  Array.from({ length: n }, () => ({
    issuerId: "iss-a",
    type: "MicroCredential",
    state: "active",
    createdAt: "2026-11-02T10:00:00Z",
    ...r,
  }));
const names = new Map([
  ["iss-a", { name: "Academy A" }],
  ["iss-b", { name: "Guild B" }],
  ["iss-c", { name: "Panel C" }],
]);

describe("aggregateRegister", () => {
  it("counts each dimension and labels issuers with their public names", () => {
    const s = aggregateRegister(
      [
        ...rows(7, {}),
        ...rows(6, {
          issuerId: "iss-b",
          type: "Attribution",
          state: "revoked",
          createdAt: "2026-10-30T23:59:59Z",
        }),
      ],
      names,
      NOW,
    );
    expect(s.total).toBe(13);
    expect(s.byIssuer).toEqual([
      { key: "iss-a", label: "Academy A", count: 7 },
      { key: "iss-b", label: "Guild B", count: 6 },
    ]);
    expect(s.byType).toEqual([
      { key: "Attribution", count: 6 },
      { key: "MicroCredential", count: 7 },
    ]);
    expect(s.byState.map((c) => [c.key, c.count])).toEqual([
      ["active", 7],
      ["revoked", 6],
    ]);
    expect(s.byMonth.map((c) => [c.key, c.count])).toEqual([
      ["2026-10", 6],
      ["2026-11", 7],
    ]);
    expect(s.suppressed).toEqual({ issuer: 0, type: 0, state: 0, month: 0 });
  });

  it("hides counts below 5, and a second cell when only one would be hidden", () => {
    const s = aggregateRegister(
      [...rows(20, {}), ...rows(6, { issuerId: "iss-b" }), ...rows(2, { issuerId: "iss-c" })],
      names,
      NOW,
    );
    expect(s.total).toBe(28);
    // iss-c (2) is below 5; iss-b (6), the smallest shown, goes too, or 28 − 20 would reveal iss-c.
    expect(s.byIssuer.map((c) => [c.key, c.count])).toEqual([
      ["iss-a", 20],
      ["iss-b", null],
      ["iss-c", null],
    ]);
    expect(s.suppressed.issuer).toBe(2);
    const two = aggregateRegister(
      [...rows(20, {}), ...rows(3, { issuerId: "iss-b" }), ...rows(2, { issuerId: "iss-c" })],
      names,
      NOW,
    );
    expect(two.byIssuer.map((c) => c.count)).toEqual([20, null, null]); // two hidden cells: nothing extra
  });

  it("shows nothing but 'fewer than 5' for a register of fewer than 5", () => {
    const s = aggregateRegister(rows(4, {}), names, NOW);
    expect(s.total).toBeNull();
    expect(s.byIssuer.every((c) => c.count === null)).toBe(true);
  });

  it("never carries anything but the four dimensions (no holder, no claims)", () => {
    const withHolder = rows(6, {}).map((r) => ({ ...r, subject: "did:key:z6MkHolder" }) as RegisterRow);
    expect(JSON.stringify(aggregateRegister(withHolder, names, NOW))).not.toContain("did:key");
  });
});
