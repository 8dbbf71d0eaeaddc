// Generates testdata/verifier/corpus.json: credentials and presentations with the verdict and
// check codes each must produce. Deterministic: keys from fixed seeds, a fixed clock, Ed25519
// (deterministic signatures) and zlib gzip. Run from the repository root:
//   node --import tsx --conditions=@meritlog/source verifier/test/generate-corpus.ts
import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { buildCredential, credentialJwtClaims, NO_CONVERSION } from "@meritlog/schemas";
import type { IssueRequest, StatusEntry } from "@meritlog/schemas";
import {
  TestLog,
  b64u,
  canonicalEntry,
  hexSha256,
  keyFromSeed,
  signJwt,
  statusListJwt,
  type TestKey,
} from "./fixtures.js";

export const NOW = "2026-06-01T12:00:00Z";
const BASE = "https://meritlog.test";
const academy = keyFromSeed("academy");
const other = keyFromSeed("other-issuer");
const learner = keyFromSeed("learner");
const mallory = keyFromSeed("mallory");
// This seed's verifier key has a "+" inside its base64 part, which must not confuse key parsing
// (C2SP signed-note: split at the first two "+" only, as Go's note.NewVerifier does).
const log = new TestLog("meritlog.test/log", "log-key");
const forger = keyFromSeed("forger");

const REV = `${BASE}/v1/status/rev-1`;
const SUS = `${BASE}/v1/status/sus-1`;
const FOREIGN_LIST = `${BASE}/v1/status/rev-foreign`;
const MISSING_LIST = `${BASE}/v1/status/rev-missing`;

const statusLists: Record<string, string> = {
  [REV]: statusListJwt({
    signer: academy,
    url: REV,
    purpose: "revocation",
    set: [11],
    validFrom: "2026-05-01T00:00:00Z",
    validUntil: "2026-12-01T00:00:00Z",
    ttl: 300000,
  }),
  [SUS]: statusListJwt({
    signer: academy,
    url: SUS,
    purpose: "suspension",
    set: [12],
    validFrom: "2026-05-01T00:00:00Z",
    validUntil: "2026-12-01T00:00:00Z",
  }),
  // Claims to be a list for academy's credentials, but is issued and signed by another issuer.
  [FOREIGN_LIST]: statusListJwt({
    signer: other,
    url: FOREIGN_LIST,
    purpose: "revocation",
    set: [],
    validFrom: "2026-05-01T00:00:00Z",
  }),
};

const history: Record<string, unknown[]> = {};
const receiptsByDigest: Record<string, unknown> = {};

let uuidCounter = 0;
const uuid = (): string => `urn:uuid:00000000-0000-4000-8000-${String(++uuidCounter).padStart(12, "0")}`;
const sri = (s: string): string => `sha256-${Buffer.from(hexSha256(s), "hex").toString("base64")}`;

function statusEntries(index: number, revList = REV): StatusEntry[] {
  return [
    {
      id: `${revList}#${index}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "revocation",
      statusListIndex: String(index),
      statusListCredential: revList,
    },
    {
      id: `${SUS}#${index}`,
      type: "BitstringStatusListEntry",
      statusPurpose: "suspension",
      statusListIndex: String(index),
      statusListCredential: SUS,
    },
  ];
}

function microRequest(over: Partial<Record<string, unknown>> = {}): IssueRequest {
  return {
    type: "MicroCredential",
    subject: { id: learner.did },
    achievement: {
      name: "Hand-pump maintenance basics",
      description: "Can service a community hand pump following the open repair guide.",
      criteria: { narrative: "Serviced two pumps under peer review, following the guide step by step." },
    },
    scope: {
      covers: ["routine servicing of hand pumps following the open repair guide"],
      excludes: ["installation of new pumps", "water quality testing"],
    },
    reviewLevel: "peer",
    evidence: [
      { id: "https://evidence.meritlog.test/e/1", digestSRI: sri("evidence-1"), name: "Service log" },
    ],
    limitations: ["Not a plumbing qualification."],
    renewalRequirement: "Renew with a fresh service log every two years.",
    validUntil: "2027-06-01T00:00:00Z",
    ...over,
  } as IssueRequest;
}

interface Issued {
  jwt: string;
  id: string;
  leafIndex: number;
}

/** Signs one of our credentials as an OB3 VC-JWT and records it in the log. */
function issue(o: {
  index: number;
  revList?: string;
  req?: IssueRequest;
  validFrom?: string;
  mutate?: (c: Record<string, unknown>) => void;
  header?: object;
  key?: TestKey;
  claims?: (c: Record<string, unknown>) => Record<string, unknown>;
  log?: boolean;
}): Issued {
  const id = uuid();
  const cred = buildCredential(o.req ?? microRequest(), {
    id,
    issuer: { id: academy.did, name: "Open Repair Academy", url: "https://academy.meritlog.test" },
    validFrom: o.validFrom ?? "2026-05-15T09:00:00Z",
    credentialStatus: statusEntries(o.index, o.revList),
  }) as unknown as Record<string, unknown>;
  o.mutate?.(cred);
  const claims = o.claims
    ? o.claims(cred)
    : (credentialJwtClaims(cred as never) as unknown as Record<string, unknown>);
  const jwt = signJwt(
    o.header ?? { alg: "EdDSA", kid: academy.kid, typ: "JWT" },
    { ...cred, ...claims },
    o.key ?? academy,
  );
  let leafIndex = -1;
  if (o.log !== false) {
    leafIndex = log.append(
      canonicalEntry({
        at: String(cred.validFrom),
        credentialId: id,
        digest: hexSha256(jwt),
        issuer: academy.did,
        kind: "issue",
        v: 1,
      }),
    );
  }
  return { jwt, id, leafIndex };
}

// ---- issue everything first, then take receipts at the final tree size ----
const valid = issue({ index: 10 });
const validLookedUp = issue({ index: 13 });
const withJwk = issue({
  index: 14,
  header: { alg: "EdDSA", kid: academy.kid, jwk: academy.jwk, typ: "JWT" },
});
const noTyp = issue({ index: 15, header: { alg: "EdDSA", kid: academy.kid } });
const noKid = issue({ index: 16, header: { alg: "EdDSA" } });
const unlogged = issue({ index: 17, log: false });
const revoked = issue({ index: 11 });
const suspended = issue({ index: 12 });
const superseded = issue({ index: 20 });
const replacement = issue({
  index: 21,
  req: microRequest({ limitations: ["Not a plumbing qualification.", "Corrected scope."] }),
});
history[superseded.id] = [
  { kind: "issue", at: "2026-05-15T09:00:00Z" },
  { kind: "supersede", at: "2026-05-20T10:00:00Z", replacedBy: replacement.id, reason: "misclassified" },
];
const archived = issue({ index: 22 });
history[archived.id] = [
  { kind: "issue", at: "2026-05-15T09:00:00Z" },
  { kind: "archive", at: "2026-05-25T10:00:00Z" },
];
const expired = issue({
  index: 23,
  validFrom: "2024-01-01T00:00:00Z",
  req: microRequest({ validUntil: "2025-01-01T00:00:00Z" }),
});
const notYet = issue({
  index: 24,
  validFrom: "2027-01-01T00:00:00Z",
  req: microRequest({ validUntil: "2028-01-01T00:00:00Z" }),
});
const unknownList = issue({ index: 25, revList: MISSING_LIST });
const foreignList = issue({ index: 26, revList: FOREIGN_LIST });
const alteredNotice = issue({
  index: 27,
  mutate: (c) => {
    c.termsOfUse = [{ ...NO_CONVERSION, text: NO_CONVERSION.text.replace("does not create", "may create") }];
  },
});
const missingNotice = issue({ index: 28, mutate: (c) => delete c.termsOfUse });
const claimsMismatch = issue({
  index: 29,
  claims: (c) => ({
    ...(credentialJwtClaims(c as never) as object),
    exp: Math.floor(Date.parse("2030-01-01T00:00:00Z") / 1000),
  }),
});
// Signed by mallory, claiming academy as issuer in the credential but mallory as iss.
const issuerMismatch = issue({
  index: 30,
  key: mallory,
  header: { alg: "EdDSA", kid: mallory.kid, typ: "JWT" },
  claims: (c) => ({ ...(credentialJwtClaims(c as never) as object), iss: mallory.did }),
  log: false,
});
const forOther = issue({ index: 31 });
// Our MicroCredential in the VC Data Model 1.1 form (VC 1.1 §6.3.1), as the issuer's `vc11`
// option writes it: the credential under `vc` with the 1.1 base context, issuer/id/validity in
// iss/jti/nbf/exp; anchored with its own `issue` entry.
const vc11 = (() => {
  const id = uuid();
  const cred = buildCredential(microRequest(), {
    id,
    issuer: { id: academy.did, name: "Open Repair Academy" },
    validFrom: "2026-05-15T09:00:00Z",
    credentialStatus: statusEntries(33),
  }) as unknown as Record<string, unknown>;
  const { id: _id, validFrom, validUntil, issuer: _issuer, "@context": ctx, ...rest } = cred;
  const vc = {
    "@context": [
      "https://www.w3.org/2018/credentials/v1",
      ...(ctx as string[]).filter((c) => c !== "https://www.w3.org/ns/credentials/v2"),
    ],
    ...rest,
  };
  const payload = {
    vc,
    iss: academy.did,
    jti: id,
    sub: learner.did,
    nbf: Date.parse(String(validFrom)) / 1000,
    exp: Date.parse(String(validUntil)) / 1000,
  };
  const jwt = signJwt({ alg: "EdDSA", kid: academy.kid, typ: "JWT" }, payload, academy);
  const leafIndex = log.append(
    canonicalEntry({
      at: String(validFrom),
      credentialId: id,
      digest: hexSha256(jwt),
      issuer: academy.did,
      kind: "issue",
      v: 1,
    }),
  );
  return { jwt, id, leafIndex };
})();
// The other two kinds (issue 3): MPU authorship (licence, authors) and an attribution.
const mpu = issue({
  index: 34,
  req: {
    type: "MPUAuthorship",
    subject: { id: learner.did },
    mpu: {
      id: "urn:uuid:7d0b6a52-3c1e-4f0a-9e55-1b2c3d4e5f60",
      title: "Rainfall log, Kaduna North, 2026 wet season",
      category: "Data",
      digestSRI: sri("rainfall-log"),
      license: "CC-BY-4.0",
      stage: "anchored",
      verification: "peer-review",
      authors: [
        { id: learner.did, role: "lead author" },
        { id: other.did, role: "data collection" },
      ],
    },
  } as IssueRequest,
});
const attribution = issue({
  index: 35,
  req: {
    type: "Attribution",
    subject: { id: learner.did },
    contribution: {
      kind: "translation",
      role: "translator",
      description: "Translated the hand-pump repair guide into Hausa.",
    },
    object: {
      id: "urn:uuid:2f1c3f0e-8d7a-4c59-9b7e-0a4f1d2c3b4a",
      name: "Hand-pump repair guide",
      digestSRI: sri("guide"),
    },
  } as IssueRequest,
});
// A fork: the same log key signs a different history (split view).
const fork = new TestLog(log.origin, "log-key");
const forked = issue({ index: 32, log: false });
fork.append(
  canonicalEntry({
    at: "2026-05-15T09:00:00Z",
    credentialId: forked.id,
    digest: hexSha256(forked.jwt),
    issuer: academy.did,
    kind: "issue",
    v: 1,
  }),
);
fork.append(
  canonicalEntry({
    at: "2026-05-15T09:00:00Z",
    credentialId: uuid(),
    digest: "0".repeat(64),
    issuer: academy.did,
    kind: "issue",
    v: 1,
  }),
);
// An older receipt (smaller tree) for the consistency-proof path.
const early = valid.leafIndex;
const earlySize = 3;

const size = log.entries.length;
const known = log.checkpoint(size);
const receipt = (i: Issued, s = size) => log.receipt(i.leafIndex, s);
// The log lookup (fetcher.receipt) finds every credential recorded in the main log.
for (const i of [
  mpu,
  attribution,
  valid,
  validLookedUp,
  withJwk,
  noTyp,
  noKid,
  revoked,
  suspended,
  superseded,
  replacement,
  archived,
  expired,
  notYet,
  unknownList,
  foreignList,
  alteredNotice,
  missingNotice,
  claimsMismatch,
  forOther,
]) {
  receiptsByDigest[hexSha256(i.jwt)] = receipt(i);
}

const consistency: Record<string, string[]> = {};
for (let m = 1; m < size; m++) consistency[`${log.origin}|${m}|${size}`] = log.consistencyProof(m, size);

// ---- JOSE-level negatives built from `valid` ----
const [vh, vp, vs] = valid.jwt.split(".") as [string, string, string];
const payloadObj = JSON.parse(Buffer.from(vp, "base64url").toString()) as Record<string, unknown>;
const tamperedPayload = `${vh}.${b64u(JSON.stringify({ ...payloadObj, name: "Licensed master plumber" }))}.${vs}`;
const tamperedHeader = `${b64u(JSON.stringify({ alg: "EdDSA", kid: academy.kid }))}.${vp}.${vs}`;
const algNone = `${b64u(JSON.stringify({ alg: "none", typ: "JWT" }))}.${vp}.`;
const hsInput = `${b64u(JSON.stringify({ alg: "HS256", typ: "JWT", kid: academy.kid }))}.${vp}`;
const hs256 = `${hsInput}.${b64u(createHmac("sha256", Buffer.from(academy.publicKey)).update(hsInput).digest())}`;
const otherKidPayload = { ...payloadObj };
const kidOfOther = signJwt({ alg: "EdDSA", kid: other.kid, typ: "JWT" }, otherKidPayload, other);
const jwkOfOther = signJwt(
  { alg: "EdDSA", kid: academy.kid, jwk: mallory.jwk, typ: "JWT" },
  payloadObj,
  mallory,
);
const extraHeader = signJwt(
  { alg: "EdDSA", kid: academy.kid, typ: "JWT", x5u: "https://evil.example/cert" },
  payloadObj,
  academy,
);
const badTyp = signJwt({ alg: "EdDSA", kid: academy.kid, typ: "vc+ld+json" }, payloadObj, academy);
const bad64 = (s: string): string => s.slice(0, 5) + "!" + s.slice(6);
const notJson = b64u("{not json");
const B64U = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// ---- presentations ----
const AUD = "https://verifier.meritlog.test";
function vpJwt(
  holder: TestKey,
  creds: string[],
  nonce: string,
  aud = AUD,
  extra: Record<string, unknown> = {},
): string {
  return signJwt(
    { alg: "EdDSA", kid: holder.kid, typ: "JWT" },
    {
      iss: holder.did,
      aud,
      nonce,
      iat: Math.floor(Date.parse(NOW) / 1000) - 30,
      exp: Math.floor(Date.parse(NOW) / 1000) + 300,
      vp: {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        type: ["VerifiablePresentation"],
        verifiableCredential: creds,
      },
      ...extra,
    },
    holder,
  );
}

type Want = {
  verdict: string;
  checks: Record<string, string>;
  state?: string;
  credentials?: { verdict: string; checks: Record<string, string> }[];
};
interface Case {
  desc: string;
  kind: "credential" | "presentation";
  jwt: string;
  receipt?: unknown;
  expect?: { nonce: string; audience: string; challenge?: string };
  want: Want;
}

const ALL_VALID = {
  signature: "signature.valid",
  issuer: "issuer.registered",
  schema: "schema.valid",
  validity: "validity.current",
  status: "status.active",
  anchoring: "anchoring.verified",
  scope: "scope.stated",
  noConversion: "noConversion.present",
};
const inv = (checks: Record<string, string>): Want => ({ verdict: "invalid", checks });

const cases: Case[] = [
  {
    desc: "valid MicroCredential with receipt",
    kind: "credential",
    jwt: valid.jwt,
    receipt: receipt(valid),
    want: { verdict: "valid", checks: ALL_VALID },
  },
  {
    desc: "valid, receipt looked up in the log by digest",
    kind: "credential",
    jwt: validLookedUp.jwt,
    want: { verdict: "valid", checks: ALL_VALID },
  },
  {
    desc: "valid, older receipt proven consistent with the newest checkpoint",
    kind: "credential",
    jwt: valid.jwt,
    receipt: log.receipt(early, earlySize),
    want: { verdict: "valid", checks: ALL_VALID },
  },
  {
    desc: "valid, embedded jwk equal to the issuer's DID key",
    kind: "credential",
    jwt: withJwk.jwt,
    receipt: receipt(withJwk),
    want: { verdict: "valid", checks: ALL_VALID },
  },
  {
    desc: "valid, header without typ",
    kind: "credential",
    jwt: noTyp.jwt,
    receipt: receipt(noTyp),
    want: { verdict: "valid", checks: ALL_VALID },
  },
  {
    desc: "valid, header without kid (did:key has one key)",
    kind: "credential",
    jwt: noKid.jwt,
    receipt: receipt(noKid),
    want: { verdict: "valid", checks: ALL_VALID },
  },
  {
    desc: "no receipt given and none found in the log",
    kind: "credential",
    jwt: unlogged.jwt,
    want: { verdict: "valid-with-warnings", checks: { ...ALL_VALID, anchoring: "anchoring.no_receipt" } },
  },
  {
    desc: "our MicroCredential in the VC 1.1 form (vc claim)",
    kind: "credential",
    jwt: vc11.jwt,
    receipt: receipt(vc11),
    want: { verdict: "valid", checks: ALL_VALID },
  },
  {
    desc: "valid MPUAuthorship (licence and authors in scope)",
    kind: "credential",
    jwt: mpu.jwt,
    receipt: receipt(mpu),
    want: { verdict: "valid", checks: { ...ALL_VALID, validity: "validity.no_expiry" } },
  },
  {
    desc: "valid Attribution",
    kind: "credential",
    jwt: attribution.jwt,
    receipt: receipt(attribution),
    want: { verdict: "valid", checks: { ...ALL_VALID, validity: "validity.no_expiry" } },
  },
  {
    desc: "tampered payload",
    kind: "credential",
    jwt: tamperedPayload,
    want: inv({ signature: "signature.invalid", status: "status.not_checked" }),
  },
  {
    desc: "tampered header",
    kind: "credential",
    jwt: tamperedHeader,
    want: inv({ signature: "signature.invalid" }),
  },
  {
    desc: "alg none",
    kind: "credential",
    jwt: algNone,
    want: inv({ signature: "signature.alg_not_allowed" }),
  },
  {
    desc: "HS256 with the issuer's public key as HMAC secret",
    kind: "credential",
    jwt: hs256,
    want: inv({ signature: "signature.alg_not_allowed" }),
  },
  {
    desc: "kid of another DID",
    kind: "credential",
    jwt: kidOfOther,
    want: inv({ signature: "signature.kid_not_issuer" }),
  },
  {
    desc: "embedded jwk of another key",
    kind: "credential",
    jwt: jwkOfOther,
    want: inv({ signature: "signature.jwk_mismatch" }),
  },
  {
    desc: "header member outside the OB3 set (x5u)",
    kind: "credential",
    jwt: extraHeader,
    want: inv({ signature: "signature.header_member" }),
  },
  { desc: "typ other than JWT", kind: "credential", jwt: badTyp, want: inv({ signature: "signature.typ" }) },
  {
    desc: "expired",
    kind: "credential",
    jwt: expired.jwt,
    receipt: receipt(expired),
    want: inv({ signature: "signature.valid", validity: "validity.expired", status: "status.active" }),
  },
  {
    desc: "not yet valid",
    kind: "credential",
    jwt: notYet.jwt,
    receipt: receipt(notYet),
    want: inv({ validity: "validity.not_yet_valid" }),
  },
  {
    desc: "revoked",
    kind: "credential",
    jwt: revoked.jwt,
    receipt: receipt(revoked),
    want: { ...inv({ status: "status.revoked", anchoring: "anchoring.verified" }), state: "revoked" },
  },
  {
    desc: "suspended",
    kind: "credential",
    jwt: suspended.jwt,
    receipt: receipt(suspended),
    want: { ...inv({ status: "status.suspended" }), state: "suspended" },
  },
  {
    desc: "superseded (history from the issuer)",
    kind: "credential",
    jwt: superseded.jwt,
    receipt: receipt(superseded),
    want: { ...inv({ status: "status.superseded" }), state: "superseded" },
  },
  {
    desc: "archived (history from the issuer)",
    kind: "credential",
    jwt: archived.jwt,
    receipt: receipt(archived),
    want: { ...inv({ status: "status.archived" }), state: "archived" },
  },
  {
    desc: "status list cannot be obtained: unknown, never 'not revoked'",
    kind: "credential",
    jwt: unknownList.jwt,
    receipt: receipt(unknownList),
    want: {
      verdict: "valid-with-warnings",
      checks: { ...ALL_VALID, status: "status.list_unreachable" },
      state: "unknown",
    },
  },
  {
    desc: "status list signed by another issuer",
    kind: "credential",
    jwt: foreignList.jwt,
    receipt: receipt(foreignList),
    want: { ...inv({ status: "status.list_issuer_mismatch" }), state: "unknown" },
  },
  {
    desc: "receipt of another credential",
    kind: "credential",
    jwt: forOther.jwt,
    receipt: receipt(valid),
    want: inv({ signature: "signature.valid", anchoring: "anchoring.entry_mismatch" }),
  },
  {
    desc: "forged checkpoint (root changed, signed by another key under the log's name)",
    kind: "credential",
    jwt: valid.jwt,
    receipt: {
      ...receipt(valid),
      checkpoint: log.checkpoint(size, { root: Buffer.alloc(32, 7), signer: forger }),
    },
    want: inv({ anchoring: "anchoring.checkpoint_signature" }),
  },
  {
    desc: "inconsistent checkpoint (the log key signed a forked history)",
    kind: "credential",
    jwt: forked.jwt,
    receipt: fork.receipt(0),
    want: inv({ anchoring: "anchoring.inconsistent" }),
  },
  {
    desc: "inclusion proof that does not lead to the checkpoint",
    kind: "credential",
    jwt: valid.jwt,
    receipt: { ...receipt(valid), leafIndex: valid.leafIndex + 1 },
    want: inv({ anchoring: "anchoring.inclusion_invalid" }),
  },
  {
    desc: "no-conversion notice altered on our credential",
    kind: "credential",
    jwt: alteredNotice.jwt,
    receipt: receipt(alteredNotice),
    want: inv({ noConversion: "noConversion.altered" }),
  },
  {
    desc: "no-conversion notice removed from our credential",
    kind: "credential",
    jwt: missingNotice.jwt,
    receipt: receipt(missingNotice),
    want: inv({ noConversion: "noConversion.missing" }),
  },
  {
    desc: "exp disagrees with validUntil (OB3 §8.2)",
    kind: "credential",
    jwt: claimsMismatch.jwt,
    receipt: receipt(claimsMismatch),
    want: inv({ schema: "schema.claims_mismatch" }),
  },
  {
    desc: "iss is not the credential's issuer",
    kind: "credential",
    jwt: issuerMismatch.jwt,
    want: inv({ signature: "signature.valid", issuer: "issuer.mismatch" }),
  },
  {
    desc: "truncated token (signature cut to 63 bytes)",
    kind: "credential",
    jwt: valid.jwt.slice(0, -2),
    want: inv({ signature: "signature.invalid" }),
  },
  {
    desc: "truncated token (cut inside the payload)",
    kind: "credential",
    jwt: valid.jwt.slice(0, vh.length + 1 + 40),
    want: inv({ signature: "jwt.segments" }),
  },
  {
    desc: "oversized token",
    kind: "credential",
    jwt: `${vh}.${"A".repeat(300 * 1024)}.${vs}`,
    want: inv({ signature: "jwt.too_large" }),
  },
  {
    desc: "invalid base64 in the header",
    kind: "credential",
    jwt: `${bad64(vh)}.${vp}.${vs}`,
    want: inv({ signature: "jwt.header_base64" }),
  },
  {
    desc: "invalid base64 in the payload",
    kind: "credential",
    jwt: `${vh}.${bad64(vp)}.${vs}`,
    want: inv({ signature: "jwt.payload_base64" }),
  },
  {
    desc: "invalid base64 in the signature",
    kind: "credential",
    jwt: `${vh}.${vp}.${bad64(vs)}`,
    want: inv({ signature: "jwt.signature_base64" }),
  },
  {
    desc: "non-canonical base64 (unused bits set) in the signature",
    kind: "credential",
    jwt: `${vh}.${vp}.${vs.slice(0, -1)}${B64U[B64U.indexOf(vs.at(-1)!) | 1]}`,
    want: inv({ signature: "jwt.signature_base64" }),
  },
  {
    desc: "invalid JSON in the header",
    kind: "credential",
    jwt: `${notJson}.${vp}.${vs}`,
    want: inv({ signature: "jwt.header_json" }),
  },
  {
    desc: "invalid JSON in the payload",
    kind: "credential",
    jwt: `${vh}.${notJson}.${vs}`,
    want: inv({ signature: "jwt.payload_json" }),
  },
  {
    desc: "header JSON that is not an object",
    kind: "credential",
    jwt: `${b64u("[1,2]")}.${vp}.${vs}`,
    want: inv({ signature: "jwt.header_json" }),
  },
  {
    desc: "two segments only",
    kind: "credential",
    jwt: `${vh}.${vp}`,
    want: inv({ signature: "jwt.segments" }),
  },
  { desc: "empty string", kind: "credential", jwt: "", want: inv({ signature: "jwt.segments" }) },
  // Presentations.
  {
    desc: "valid presentation by the subject",
    kind: "presentation",
    jwt: vpJwt(learner, [valid.jwt], "nonce-1"),
    expect: { nonce: "nonce-1", audience: AUD, challenge: "valid" },
    want: {
      verdict: "valid",
      checks: { signature: "signature.valid", holder: "holder.bound", validity: "validity.current" },
      credentials: [{ verdict: "valid", checks: { holder: "holder.bound", signature: "signature.valid" } }],
    },
  },
  {
    desc: "replayed nonce",
    kind: "presentation",
    jwt: vpJwt(learner, [valid.jwt], "nonce-1"),
    expect: { nonce: "nonce-1", audience: AUD, challenge: "replayed" },
    want: inv({ holder: "holder.nonce_replayed" }),
  },
  {
    desc: "expired nonce",
    kind: "presentation",
    jwt: vpJwt(learner, [valid.jwt], "nonce-2"),
    expect: { nonce: "nonce-2", audience: AUD, challenge: "expired" },
    want: inv({ holder: "holder.nonce_expired" }),
  },
  {
    desc: "nonce not issued by this verifier",
    kind: "presentation",
    jwt: vpJwt(learner, [valid.jwt], "nonce-x"),
    expect: { nonce: "nonce-x", audience: AUD, challenge: "unknown" },
    want: inv({ holder: "holder.nonce_unknown" }),
  },
  {
    desc: "nonce of another request",
    kind: "presentation",
    jwt: vpJwt(learner, [valid.jwt], "nonce-3"),
    expect: { nonce: "nonce-4", audience: AUD, challenge: "valid" },
    want: inv({ holder: "holder.nonce_mismatch" }),
  },
  {
    desc: "audience of another verifier",
    kind: "presentation",
    jwt: vpJwt(learner, [valid.jwt], "nonce-5", "https://other-verifier.test"),
    expect: { nonce: "nonce-5", audience: AUD, challenge: "valid" },
    want: inv({ holder: "holder.audience_mismatch" }),
  },
  {
    desc: "VP signed by someone other than the subject",
    kind: "presentation",
    jwt: vpJwt(mallory, [valid.jwt], "nonce-6"),
    expect: { nonce: "nonce-6", audience: AUD, challenge: "valid" },
    want: {
      verdict: "invalid",
      checks: { signature: "signature.valid", holder: "holder.not_subject" },
      credentials: [
        { verdict: "invalid", checks: { signature: "signature.valid", holder: "holder.not_subject" } },
      ],
    },
  },
  {
    desc: "VP with a revoked credential",
    kind: "presentation",
    jwt: vpJwt(learner, [valid.jwt, revoked.jwt], "nonce-7"),
    expect: { nonce: "nonce-7", audience: AUD, challenge: "valid" },
    want: {
      verdict: "invalid",
      checks: { holder: "holder.bound" },
      credentials: [
        { verdict: "valid", checks: {} },
        { verdict: "invalid", checks: { status: "status.revoked" } },
      ],
    },
  },
  {
    desc: "VP with a tampered signature",
    kind: "presentation",
    jwt: (() => {
      const t = vpJwt(learner, [valid.jwt], "nonce-8");
      return t.slice(0, -4) + (t.endsWith("AAAA") ? "BAAA" : "AAAA");
    })(),
    expect: { nonce: "nonce-8", audience: AUD, challenge: "valid" },
    want: inv({ signature: "signature.invalid" }),
  },
  {
    desc: "VP that is not base64",
    kind: "presentation",
    jwt: "%%%.%%%.%%%",
    expect: { nonce: "n", audience: AUD },
    want: inv({ signature: "jwt.header_base64" }),
  },
];

const corpus = {
  desc: "Verifier corpus (issue 4): each case's token, optional receipt or challenge, and the verdict and check codes the report must carry. Generated by verifier/test/generate-corpus.ts; do not edit by hand.",
  now: NOW,
  skewSeconds: 60,
  trust: {
    issuers: [{ did: academy.did, name: "Open Repair Academy" }],
    logKeys: [log.verifierKey],
    knownCheckpoints: [known],
  },
  fetcher: {
    statusLists,
    history,
    receipts: receiptsByDigest,
    consistency,
    latestCheckpoint: { [log.origin]: known },
  },
  keys: { academy: academy.did, other: other.did, learner: learner.did, mallory: mallory.did },
  cases,
};
writeFileSync(
  new URL("../../testdata/verifier/corpus.json", import.meta.url),
  JSON.stringify(corpus, null, 1) + "\n",
);
console.log(`wrote ${cases.length} cases`);
