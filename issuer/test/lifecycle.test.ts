import { createHash } from "node:crypto";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRANSITIONS, STATUS_BITS, type LifecycleAction } from "../src/lifecycle.js";
import type { CredentialState } from "../src/records.js";
import { attribution, holderDid, microCredential, statusListBits, verifyJwtWithDidKey } from "./helpers.js";
import { openFixture } from "./fixture.js";

let f: Awaited<ReturnType<typeof openFixture>>;
let issuerId: string;
let did: string;
const holder = holderDid();
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

beforeAll(async () => {
  f = await openFixture();
  const i = await f.service.createIssuer({ name: "Review Panel" });
  issuerId = i.id;
  did = i.did;
});
afterAll(async () => await f.dispose());

/** Reads both signed lists (as a verifier would) and returns the bits at the credential's index. */
async function listBits(index: string) {
  const out: Record<string, boolean> = {};
  for (const purpose of ["revocation", "suspension"]) {
    const jwt = await f.service.statusListJwt(`${issuerId}-${purpose}`);
    expect(verifyJwtWithDidKey(jwt, did)).toBe(true);
    out[purpose] = statusListBits(jwt).get(Number(index));
  }
  return out;
}

/** A credential brought into `state` through allowed transitions. */
async function inState(state: CredentialState) {
  const r = await f.service.issue(issuerId, microCredential(holder));
  const step = (action: string) => f.service.changeStatus(issuerId, r.id, { action, reason: "under-review" });
  if (state === "suspended") await step("suspend");
  if (state === "revoked") await step("revoke");
  if (state === "archived") await step("archive");
  if (state === "superseded") await f.service.supersede(issuerId, r.id, microCredential(holder));
  return r;
}

const ALL_ACTIONS: LifecycleAction[] = ["suspend", "reinstate", "revoke", "archive", "supersede", "renew"];
const STATES: CredentialState[] = ["active", "suspended", "revoked", "archived", "superseded"];
const freshEvidence = (n: number) =>
  microCredential(holder, {
    evidence: [
      {
        id: `https://example.org/evidence/${n}.pdf`,
        digestSRI: `sha256-${Buffer.from(sha256(String(n)), "hex").toString("base64")}`,
      },
    ],
  });

describe("lifecycle state machine", () => {
  let n = 0;
  for (const from of STATES) {
    for (const action of ALL_ACTIONS) {
      const to = TRANSITIONS[from][action];
      it(`${from} --${action}--> ${to ?? "409"}`, async () => {
        const r = await inState(from);
        const before = await f.service.getRecord(r.id, issuerId);
        expect(before.state).toBe(from);
        expect(await listBits(r.status.statusListIndex)).toEqual(STATUS_BITS[from]);
        const run = () =>
          action === "supersede"
            ? f.service.supersede(issuerId, r.id, microCredential(holder))
            : action === "renew"
              ? f.service.renew(issuerId, r.id, freshEvidence(++n))
              : f.service.changeStatus(issuerId, r.id, { action, reason: "other", note: "test" });
        if (to === undefined) {
          const entries = f.log.entries.length;
          await expect(run()).rejects.toMatchObject({ code: "credential.transition_forbidden" });
          expect(f.log.entries.length).toBe(entries);
          expect((await f.service.getRecord(r.id, issuerId)).history).toHaveLength(before.history.length);
          expect(await listBits(r.status.statusListIndex)).toEqual(STATUS_BITS[from]);
          return;
        }
        const result = await run();
        const after = await f.service.getRecord(r.id, issuerId);
        expect(after.state).toBe(to);
        expect(await listBits(r.status.statusListIndex)).toEqual(STATUS_BITS[to]);
        const last = after.history.at(-1)!;
        expect(last).toMatchObject({ kind: action, state: to });
        const entry = JSON.parse(last.receipt.entry);
        expect(entry).toMatchObject({
          kind: action,
          credentialId: r.id,
          issuer: did,
          digest: sha256(r.jwt),
          v: 1,
        });
        expect(last.receipt.entry).not.toContain(holder);
        expect(verifyReceipt(last.receipt, f.log.verifierKey).ok).toBe(true);
        if (action !== "supersede" && action !== "renew")
          expect((result as { receipt: unknown }).receipt).toEqual(last.receipt);
        if (action === "supersede" || action === "renew") {
          const nu = result as Awaited<ReturnType<typeof f.service.issue>>;
          expect(after.supersededBy).toBe(nu.id);
          const newRec = await f.service.getRecord(nu.id, issuerId);
          expect(newRec.state).toBe("active");
          expect(newRec[action === "supersede" ? "supersedes" : "renews"]).toBe(r.id);
          expect(nu.status.statusListIndex).not.toBe(r.status.statusListIndex);
          expect(await listBits(nu.status.statusListIndex)).toEqual(STATUS_BITS.active);
          expect(verifyReceipt(nu.receipt, f.log.verifierKey).ok).toBe(true);
          expect(JSON.parse(nu.receipt.entry)).toMatchObject({
            kind: "issue",
            credentialId: nu.id,
            digest: sha256(nu.jwt),
          });
        }
      });
    }
  }

  it("maps states to list bits as documented: every final state sets the revocation bit", () => {
    expect(STATUS_BITS).toEqual({
      active: { revocation: false, suspension: false },
      suspended: { revocation: false, suspension: true },
      revoked: { revocation: true, suspension: false },
      superseded: { revocation: true, suspension: false },
      archived: { revocation: true, suspension: false },
    });
  });

  it("every state has its bits and the final states allow nothing", () => {
    for (const s of ["revoked", "archived", "superseded"] as const) expect(TRANSITIONS[s]).toEqual({});
    expect(Object.keys(STATUS_BITS).sort()).toEqual([...STATES].sort());
  });

  it("records the full history with receipts, public history without notes", async () => {
    const r = await f.service.issue(issuerId, microCredential(holder));
    await f.service.changeStatus(issuerId, r.id, {
      action: "suspend",
      reason: "other",
      note: "complaint #12 under review",
    });
    await f.service.changeStatus(issuerId, r.id, { action: "reinstate", reason: "under-review" });
    await f.service.changeStatus(issuerId, r.id, { action: "revoke", reason: "overclaimed" });
    const rec = await f.service.getRecord(r.id, issuerId);
    expect(rec.history.map((e) => [e.kind, e.state])).toEqual([
      ["issue", "active"],
      ["suspend", "suspended"],
      ["reinstate", "active"],
      ["revoke", "revoked"],
    ]);
    expect(rec.history[1]!.note).toBe("complaint #12 under review");
    for (const e of rec.history) expect(verifyReceipt(e.receipt, f.log.verifierKey).ok).toBe(true);
    const pub = await f.service.history(r.id);
    expect(pub!.map((e) => e.kind)).toEqual(["issue", "suspend", "reinstate", "revoke"]);
    expect(JSON.stringify(pub)).not.toContain("complaint");
    for (const e of rec.history) expect(e.receipt.entry).not.toContain("complaint");
    expect(rec.history[3]!.reason).toBe("overclaimed");
  });

  it("requires a note for reason other, and a known action and reason", async () => {
    const r = await f.service.issue(issuerId, attribution(holder));
    await expect(
      f.service.changeStatus(issuerId, r.id, { action: "suspend", reason: "other" }),
    ).rejects.toMatchObject({ code: "schema.invalid" });
    await expect(
      f.service.changeStatus(issuerId, r.id, { action: "delete", reason: "unsafe" }),
    ).rejects.toMatchObject({ code: "schema.invalid" });
    await expect(
      f.service.changeStatus(issuerId, r.id, { action: "suspend", reason: "because" }),
    ).rejects.toMatchObject({ code: "schema.invalid" });
    await expect(
      f.service.changeStatus(issuerId, "urn:uuid:00000000-0000-4000-8000-000000000000", {
        action: "suspend",
        reason: "unsafe",
      }),
    ).rejects.toMatchObject({ code: "credential.not_found" });
  });

  it("renewal needs fresh evidence, the same type and the same subject", async () => {
    const r = await f.service.issue(issuerId, microCredential(holder));
    // A MicroCredential without evidence is not even a valid request (schemas: evidence-linked).
    const { evidence: _e, ...noEvidence } = microCredential(holder);
    await expect(f.service.renew(issuerId, r.id, noEvidence)).rejects.toMatchObject({
      code: "schema.invalid",
    });
    // Attribution: the evidence is the object's digest; the same object digest is not fresh.
    const at = await f.service.issue(issuerId, attribution(holder));
    await expect(f.service.renew(issuerId, at.id, attribution(holder))).rejects.toMatchObject({
      code: "credential.evidence_not_fresh",
    });
    const newObject = {
      ...attribution(holder),
      object: {
        ...(attribution(holder).object as object),
        digestSRI: `sha256-${Buffer.from(sha256("v2"), "hex").toString("base64")}`,
      },
    };
    expect((await f.service.renew(issuerId, at.id, newObject)).renews).toBe(at.id);
    await expect(f.service.renew(issuerId, r.id, microCredential(holder))).rejects.toMatchObject({
      code: "credential.evidence_not_fresh",
    });
    await expect(f.service.renew(issuerId, r.id, attribution(holder))).rejects.toMatchObject({
      code: "credential.type_mismatch",
    });
    await expect(
      f.service.renew(
        issuerId,
        r.id,
        microCredential("did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH", {
          evidence: freshEvidence(9002).evidence,
        }),
      ),
    ).rejects.toMatchObject({ code: "credential.subject_mismatch" });
    expect((await f.service.getRecord(r.id, issuerId)).state).toBe("active");
    const renewed = await f.service.renew(issuerId, r.id, freshEvidence(9003));
    expect(renewed.renews).toBe(r.id);
  });

  it("serialises concurrent transitions of one credential: exactly one revoke wins", async () => {
    const r = await f.service.issue(issuerId, microCredential(holder));
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        f.service.changeStatus(issuerId, r.id, { action: "revoke", reason: "unsafe" }),
      ),
    );
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(1);
    expect((await f.service.getRecord(r.id, issuerId)).history).toHaveLength(2);
  });

  it("status bits and allocations survive a restart", async () => {
    const s = await f.service.issue(issuerId, microCredential(holder));
    const v = await f.service.issue(issuerId, microCredential(holder));
    await f.service.changeStatus(issuerId, s.id, { action: "suspend", reason: "under-review" });
    await f.service.changeStatus(issuerId, v.id, { action: "revoke", reason: "unsafe" });
    const again = await f.reopen();
    const bits = async (index: string) =>
      Object.fromEntries(
        await Promise.all(
          ["revocation", "suspension"].map(async (p) => [
            p,
            statusListBits(await again.statusListJwt(`${issuerId}-${p}`)).get(Number(index)),
          ]),
        ),
      );
    expect(await bits(s.status.statusListIndex)).toEqual(STATUS_BITS.suspended);
    expect(await bits(v.status.statusListIndex)).toEqual(STATUS_BITS.revoked);
    await again.changeStatus(issuerId, s.id, { action: "reinstate", reason: "under-review" });
    expect(await bits(s.status.statusListIndex)).toEqual(STATUS_BITS.active);
  });

  it("an issuer cannot touch another issuer's credential: it is not found, as an unknown one is", async () => {
    const other = await f.service.createIssuer({ name: "Other" });
    const r = await f.service.issue(issuerId, microCredential(holder));
    await expect(
      f.service.changeStatus(other.id, r.id, { action: "revoke", reason: "unsafe" }),
    ).rejects.toMatchObject({ code: "credential.not_found" });
    await expect(f.service.getRecord(r.id, other.id)).rejects.toMatchObject({ code: "credential.not_found" });
    await expect(f.service.supersede(other.id, r.id, microCredential(holder))).rejects.toMatchObject({
      code: "credential.not_found",
    });
  });
});
