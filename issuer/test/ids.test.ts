import { describe, expect, it } from "vitest";
import { uuidv7 } from "../src/ids.js";

describe("uuidv7 (RFC 9562 §5.7)", () => {
  it("has version 7, variant 10, and the millisecond time in the first 48 bits", () => {
    const t = Date.parse("2026-11-21T12:34:56.789Z");
    const id = uuidv7(t);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(t);
  });

  it("sorts by time as a string, and is unique within a millisecond", () => {
    const ids = [uuidv7(1000), uuidv7(2000), uuidv7(1_000_000_000_000)];
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => uuidv7(5)));
    expect(same.size).toBe(1000);
  });
});
