import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holderDid, microCredential } from "./helpers.js";
import { openFixture } from "./fixture.js";

let f: Awaited<ReturnType<typeof openFixture>>;
let issuerId: string;
const holder = holderDid();

beforeAll(async () => {
  f = await openFixture();
  issuerId = (await f.service.createIssuer({ name: "Failing Log Academy" })).id;
});
afterAll(async () => await f.dispose());

describe("when the log refuses an append", () => {
  it("issuance fails with the log's code and stores nothing", async () => {
    const before = f.log.entries.length;
    f.log.failNext = 1;
    await expect(f.service.issue(issuerId, microCredential(holder))).rejects.toMatchObject({
      code: "log.overloaded",
    });
    expect(f.log.entries.length).toBe(before);
    // The service keeps working afterwards.
    const r = await f.service.issue(issuerId, microCredential(holder));
    expect((await f.service.getRecord(r.id, issuerId)).state).toBe("active");
  });

  it("a status change fails without changing state, history or list bits", async () => {
    const r = await f.service.issue(issuerId, microCredential(holder));
    f.log.failNext = 1;
    await expect(
      f.service.changeStatus(issuerId, r.id, { action: "revoke", reason: "unsafe" }),
    ).rejects.toMatchObject({ code: "log.overloaded" });
    const rec = await f.service.getRecord(r.id, issuerId);
    expect(rec.state).toBe("active");
    expect(rec.history).toHaveLength(1);
    expect(await f.service.statusBits(r.id)).toEqual({ revocation: false, suspension: false });
    // And the same transition succeeds on retry.
    expect(
      (await f.service.changeStatus(issuerId, r.id, { action: "revoke", reason: "unsafe" })).status.state,
    ).toBe("revoked");
  });

  it("a correction whose new credential cannot be anchored leaves the old one as it was", async () => {
    const r = await f.service.issue(issuerId, microCredential(holder));
    f.log.failNext = 1;
    await expect(f.service.supersede(issuerId, r.id, microCredential(holder))).rejects.toMatchObject({
      code: "log.overloaded",
    });
    const rec = await f.service.getRecord(r.id, issuerId);
    expect(rec.state).toBe("active");
    expect(rec.supersededBy).toBeUndefined();
    expect(f.log.entries.some((e) => e.includes('"kind":"supersede"') && e.includes(r.id))).toBe(false);
  });
});
