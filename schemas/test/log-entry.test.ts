// Log entries: the canonical bytes of each kind, validation, and decoding with the canonical-form check.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  LOG_ENTRY_KINDS,
  SchemaError,
  decodeLogEntry,
  encodeLogEntry,
  logEntrySchema,
  type LogEntry,
} from "@meritlog/schemas";
import { testdata } from "./fixtures.js";

const issuer = "did:key:z6Mkq1FD9SnvNWYb4arhfKTXfy1zXHR1uzUSTpw9hwWBKDcs";
const digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const credentialId = "urn:uuid:0b8f3c1e-2d4a-4e6f-8a9b-1c2d3e4f5a6b";
const at = "2026-11-21T10:00:00.000Z";
const text = (e: LogEntry) => new TextDecoder().decode(encodeLogEntry(e));

describe("encodeLogEntry", () => {
  it("writes the docs/API.md receipt entry in RFC 8785 form", () => {
    // Same bytes as the jcs.json vector for an issue entry (key order of the input is irrelevant).
    const vector = testdata<{ documents: { desc: string; want: string }[] }>("jcs.json").documents.find((d) =>
      d.desc.includes("log entry"),
    )!;
    expect(text({ v: 1, kind: "issue", issuer, digest, credentialId, at })).toBe(vector.want);
  });

  for (const kind of ["issue", "suspend", "reinstate", "revoke", "supersede", "renew", "archive"] as const) {
    it(`encodes a ${kind} entry`, () => {
      expect(text({ kind, credentialId, issuer, digest, at, v: 1 })).toBe(
        `{"at":"${at}","credentialId":"${credentialId}","digest":"${digest}","issuer":"${issuer}","kind":"${kind}","v":1}`,
      );
    });
  }

  it("encodes an anchor entry with digest, media type and note, no credential", () => {
    expect(
      text({ kind: "anchor", digest, mediaType: "application/pdf", note: "guide v2", issuer, at, v: 1 }),
    ).toBe(
      `{"at":"${at}","digest":"${digest}","issuer":"${issuer}","kind":"anchor","mediaType":"application/pdf","note":"guide v2","v":1}`,
    );
    expect(text({ kind: "anchor", digest, issuer, at, v: 1 })).toBe(
      `{"at":"${at}","digest":"${digest}","issuer":"${issuer}","kind":"anchor","v":1}`,
    );
  });

  it("encodes a version 2 credential entry with the artifact it is about (issue 14), members in RFC 8785 order", () => {
    const artifact = "ab".repeat(32);
    expect(text({ kind: "issue", artifact, credentialId, issuer, digest, at, v: 2 })).toBe(
      `{"artifact":"${artifact}","at":"${at}","credentialId":"${credentialId}","digest":"${digest}","issuer":"${issuer}","kind":"issue","v":2}`,
    );
  });

  it("encodes a cosign entry (a co-author's signature: digests and the MPU id, no author DID)", () => {
    const statement = "cd".repeat(32);
    expect(text({ kind: "cosign", mpu: credentialId, digest, statement, issuer, at, v: 1 })).toBe(
      `{"at":"${at}","digest":"${digest}","issuer":"${issuer}","kind":"cosign","mpu":"${credentialId}","statement":"${statement}","v":1}`,
    );
    expect(
      text({ kind: "cosign", mpu: credentialId, digest, statement, event: "decline", issuer, at, v: 1 }),
    ).toContain(`"event":"decline"`);
  });

  it("encodes an endorse entry naming its target (a credential id or an artifact digest)", () => {
    expect(text({ kind: "endorse", credentialId, digest, target: credentialId, issuer, at, v: 1 })).toBe(
      `{"at":"${at}","credentialId":"${credentialId}","digest":"${digest}","issuer":"${issuer}","kind":"endorse","target":"${credentialId}","v":1}`,
    );
    expect(text({ kind: "endorse", credentialId, digest, target: digest, issuer, at, v: 1 })).toContain(
      `"target":"${digest}"`,
    );
  });

  it("encodes a key entry with the key's DID URL", () => {
    const kid = `${issuer}#${issuer.slice(8)}`;
    expect(text({ kind: "key", kid, digest, event: "create", issuer, at, v: 1 })).toBe(
      `{"at":"${at}","digest":"${digest}","event":"create","issuer":"${issuer}","kid":"${kid}","kind":"key","v":1}`,
    );
  });

  it("encodes a rotate key entry with the retired DID as previous (RFC 8785 order)", () => {
    const next = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    const kid = `${next}#${next.slice(8)}`;
    expect(
      text({ kind: "key", kid, digest, event: "rotate", issuer: next, previous: issuer, at, v: 1 }),
    ).toBe(
      `{"at":"${at}","digest":"${digest}","event":"rotate","issuer":"${next}","kid":"${kid}","kind":"key","previous":"${issuer}","v":1}`,
    );
    expect(() =>
      encodeLogEntry({ kind: "key", kid, digest, event: "rotate", issuer: next, at, v: 1 }),
    ).toThrow(SchemaError);
    expect(() =>
      encodeLogEntry({ kind: "key", kid, digest, event: "create", issuer: next, previous: issuer, at, v: 1 }),
    ).toThrow(SchemaError);
    expect(() =>
      encodeLogEntry({ kind: "key", kid, digest, event: "rotate", issuer: next, previous: next, at, v: 1 }),
    ).toThrow(SchemaError);
    expect(() =>
      encodeLogEntry({
        kind: "key",
        kid,
        digest,
        event: "rotate",
        issuer: next,
        previous: "not a did",
        at,
        v: 1,
      }),
    ).toThrow(SchemaError);
  });

  const bad: [string, unknown][] = [
    ["unknown kind", { kind: "delete", credentialId, issuer, digest, at, v: 1 }],
    ["version 2 without an artifact", { kind: "issue", credentialId, issuer, digest, at, v: 2 }],
    [
      "version 1 with an artifact",
      { kind: "issue", credentialId, issuer, digest, artifact: digest, at, v: 1 },
    ],
    ["version 3", { kind: "issue", credentialId, issuer, digest, artifact: digest, at, v: 3 }],
    [
      "an SRI artifact",
      { kind: "issue", credentialId, issuer, digest, artifact: `sha256-${"A".repeat(43)}=`, at, v: 2 },
    ],
    [
      "cosign naming the author's DID as mpu",
      { kind: "cosign", mpu: issuer, digest, statement: digest, issuer, at, v: 1 },
    ],
    ["cosign without statement", { kind: "cosign", mpu: credentialId, digest, issuer, at, v: 1 }],
    [
      "cosign with another event",
      { kind: "cosign", mpu: credentialId, digest, statement: digest, event: "sign", issuer, at, v: 1 },
    ],
    [
      "endorse with a holder DID as target",
      { kind: "endorse", credentialId, digest, target: issuer, issuer, at, v: 1 },
    ],
    ["endorse without target", { kind: "endorse", credentialId, digest, issuer, at, v: 1 }],
    ["uppercase hex digest", { kind: "issue", credentialId, issuer, digest: digest.toUpperCase(), at, v: 1 }],
    [
      "SRI digest",
      {
        kind: "issue",
        credentialId,
        issuer,
        digest: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        at,
        v: 1,
      },
    ],
    ["issue without credentialId", { kind: "issue", issuer, digest, at, v: 1 }],
    [
      "a DID as credentialId (the holder's DID must never reach the log)",
      { kind: "issue", credentialId: issuer, issuer, digest, at, v: 1 },
    ],
    ["anchor with a credentialId", { kind: "anchor", credentialId, issuer, digest, at, v: 1 }],
    ["key without kid", { kind: "key", issuer, digest, at, v: 1 }],
    ["issuer not a DID", { kind: "issue", credentialId, issuer: "Academy", digest, at, v: 1 }],
    ["time without zone", { kind: "issue", credentialId, issuer, digest, at: "2026-11-21T10:00:00", v: 1 }],
    ["holder DID smuggled in", { kind: "issue", credentialId, issuer, digest, at, v: 1, subject: issuer }],
    ["a DID in an anchor note", { kind: "anchor", digest, note: `for ${issuer}`, issuer, at, v: 1 }],
    [
      "an email address in an anchor note",
      { kind: "anchor", digest, note: "a@example.org", issuer, at, v: 1 },
    ],
  ];
  for (const [desc, e] of bad) {
    it(`refuses ${desc}`, () => {
      expect(() => encodeLogEntry(e as LogEntry)).toThrow(SchemaError);
    });
  }
});

describe("decodeLogEntry", () => {
  it("round-trips every kind", () => {
    const entries: LogEntry[] = [
      ...(["issue", "suspend", "reinstate", "revoke", "supersede", "renew", "archive"] as const).map(
        (kind) => ({ kind, credentialId, issuer, digest, at, v: 1 as const }),
      ),
      { kind: "anchor", digest, note: "x", issuer, at, v: 1 },
      { kind: "key", kid: `${issuer}#k1`, digest, issuer, at, v: 1 },
      { kind: "cosign", mpu: credentialId, digest, statement: digest, issuer, at, v: 1 },
      { kind: "endorse", credentialId, digest, target: digest, issuer, at, v: 1 },
      { kind: "pathway", event: "publish", pathwayId: credentialId, digest, issuer, at, v: 1 },
      {
        kind: "pathway",
        event: "supersede",
        pathwayId: credentialId,
        previous: credentialId,
        digest,
        issuer,
        at,
        v: 1,
      },
      { kind: "issue", credentialId, artifact: digest, issuer, digest, at, v: 2 },
    ];
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(LOG_ENTRY_KINDS));
    for (const e of entries) {
      expect(decodeLogEntry(encodeLogEntry(e))).toEqual(e);
      expect(decodeLogEntry(text(e))).toEqual(e);
    }
  });

  it("refuses a non-canonical form of a valid entry", () => {
    const e = { kind: "issue", credentialId, issuer, digest, at, v: 1 };
    expect(() => decodeLogEntry(JSON.stringify(e))).toThrow(/canonical/);
    expect(() => decodeLogEntry(text(e as LogEntry) + " ")).toThrow(/canonical/);
  });

  it("refuses invalid UTF-8, invalid JSON and invalid entries with SchemaError", () => {
    for (const b of [new Uint8Array([0x7b, 0xff, 0x7d]), "{", "null", "[]", '{"v":1}']) {
      expect(() => decodeLogEntry(b)).toThrow(SchemaError);
    }
  });

  it("property: any valid credential entry round-trips byte for byte", () => {
    const hex = fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 });
    fc.assert(
      fc.property(
        fc.constantFrom("issue", "suspend", "revoke", "renew"),
        hex,
        fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
        (kind, d, when) => {
          const e = logEntrySchema.parse({
            kind,
            credentialId,
            issuer,
            digest: d,
            at: when.toISOString(),
            v: 1,
          });
          const bytes = encodeLogEntry(e);
          expect(encodeLogEntry(decodeLogEntry(bytes))).toEqual(bytes);
        },
      ),
      { numRuns: 200 },
    );
  });
});
