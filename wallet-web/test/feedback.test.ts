// The wallet's reading of mentor feedback links (feedback.ts): only an EndorsementCredential
// addressed to this wallet's holder, naming the credential it is about, is accepted.
import { describe, expect, it } from "vitest";
import { feedbackFromFragment, readFeedback } from "../src/feedback.js";

const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const RECEIPT = { origin: "o", leafIndex: 3, entry: "{}", inclusionProof: [], checkpoint: "c" };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const jwt = (credential: Record<string, unknown>) =>
  `${b64({ alg: "EdDSA", typ: "JWT" })}.${b64({ ...credential, jti: credential.id })}.${"A".repeat(86)}`;
const feedback = (over: Record<string, unknown> = {}) => ({
  id: "urn:uuid:0190c2a4-0000-7000-8000-0000000000f1",
  type: ["VerifiableCredential", "EndorsementCredential"],
  issuer: { id: "did:key:z6MkmentorKey", type: ["Profile"], name: "Kaduna Review Panel" },
  validFrom: "2026-11-30T10:00:00Z",
  credentialSubject: {
    id: HOLDER,
    type: ["EndorsementSubject"],
    endorsementComment: "Clear steps.",
    reviewLevel: "peer",
  },
  evidence: [{ id: "urn:uuid:0190c2a4-0000-7000-8000-000000000001", type: ["Evidence"] }],
  ...over,
});

describe("mentor feedback links", () => {
  it("reads the feedback, its receipt, the credential it is about and the reviewer", () => {
    const token = jwt(feedback());
    const link = feedbackFromFragment(
      `#${new URLSearchParams({ feedback: token, receipt: JSON.stringify(RECEIPT) }).toString()}`,
    );
    expect(link).toEqual({ jwt: token, receipt: RECEIPT });
    const r = readFeedback(link!.jwt, link!.receipt, HOLDER);
    expect(r.about).toBe("urn:uuid:0190c2a4-0000-7000-8000-000000000001");
    expect(r.record).toMatchObject({
      issuer: "did:key:z6MkmentorKey",
      issuerName: "Kaduna Review Panel",
      comment: "Clear steps.",
      reviewLevel: "peer",
      at: "2026-11-30T10:00:00Z",
    });
    expect(feedbackFromFragment("#offer=x")).toBeUndefined();
    expect(() => feedbackFromFragment("#feedback=abc")).toThrow(/incomplete/);
  });

  it("refuses feedback addressed to someone else, without a credential it is about, or not an endorsement", () => {
    const other = feedback({ credentialSubject: { id: "did:key:z6MkOther", endorsementComment: "x" } });
    expect(() => readFeedback(jwt(other), RECEIPT, HOLDER)).toThrow(/not feedback addressed to this wallet/);
    expect(() => readFeedback(jwt(feedback({ evidence: [] })), RECEIPT, HOLDER)).toThrow();
    expect(() =>
      readFeedback(jwt(feedback({ type: ["VerifiableCredential", "OpenBadgeCredential"] })), RECEIPT, HOLDER),
    ).toThrow();
  });
});
