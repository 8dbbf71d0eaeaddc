// issueEndorsement, the reusable part of endorsements (issue 14): feedback addressed to a holder
// keeps the holder's DID out of the log, and its comment obeys the claims discipline.
import { verifyReceipt } from "@meritlog/ledger/verify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SchemaError } from "@meritlog/schemas";
import { decodeJwt, holderDid } from "./helpers.js";
import { openFixture } from "./fixture.js";

let f: Awaited<ReturnType<typeof openFixture>>;
let mentor: Awaited<ReturnType<typeof f.service.createIssuer>>;
const holder = holderDid();

beforeAll(async () => {
  f = await openFixture();
  mentor = await f.service.createIssuer({ name: "Village Mentors" });
});
afterAll(async () => await f.dispose());

describe("issueEndorsement", () => {
  it("feedback addressed to a holder: subject the holder's DID, anchored as a plain issue entry without it", async () => {
    const r = await f.service.issueEndorsement(mentor.id, {
      target: { kind: "holder", did: holder },
      comment: "Your repair guide was clear and a second learner followed it.",
      reviewLevel: "peer",
    });
    const payload = decodeJwt(r.jwt).payload as Record<string, unknown>;
    expect(payload.type).toEqual(["VerifiableCredential", "EndorsementCredential"]);
    expect(payload.sub).toBe(holder);
    expect(payload.credentialSubject).toMatchObject({
      id: holder,
      type: ["EndorsementSubject"],
      endorsementComment: "Your repair guide was clear and a second learner followed it.",
      reviewLevel: "peer",
    });
    expect(JSON.parse(r.receipt.entry)).toMatchObject({ kind: "issue", credentialId: r.id, v: 1 });
    expect(r.receipt.entry).not.toContain(holder);
    expect(verifyReceipt(r.receipt, f.log.verifierKey).ok).toBe(true);
    const rec = await f.service.getRecord(r.id, mentor.id);
    expect(rec).toMatchObject({ type: "EndorsementCredential", state: "active", subject: holder });
    // Revocable like any credential.
    const rv = await f.service.changeStatus(mentor.id, r.id, { action: "revoke", reason: "issued-in-error" });
    expect(rv.status.state).toBe("revoked");
  });

  it("an artifact endorsement names the artifact as an RFC 6920 ni URI and is listed under its digest", async () => {
    const digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const r = await f.service.issueEndorsement(mentor.id, {
      target: { kind: "artifact", digest },
      comment: "Checked against the gauge.",
    });
    expect((decodeJwt(r.jwt).payload as { sub: string }).sub).toBe(
      "ni:///sha-256;47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
    );
    expect(JSON.parse(r.receipt.entry)).toMatchObject({ kind: "endorse", target: digest });
    expect((await f.service.endorsementsOf(digest)).map((e) => e.id)).toEqual([r.id]);
    expect((await f.service.provenance(digest)).records.map((x) => x.kind)).toEqual(["endorsement"]);
  });

  it("refuses a comment that implies certification", async () => {
    await expect(
      f.service.issueEndorsement(mentor.id, {
        target: { kind: "holder", did: holder },
        comment: "A certified hand-pump technician.",
      }),
    ).rejects.toBeInstanceOf(SchemaError);
  });
});
