import { describe, expect, it } from "vitest";
import { encodeLogEntry } from "@meritlog/schemas";
import { encodeCredentialEntry, isoSeconds } from "../src/anchors.js";
import { uuidv7 } from "../src/ids.js";
import {
  packJwt,
  recordEncoding,
  LevelRecordStore,
  unpackJwt,
  type CredentialRecord,
} from "../src/records.js";
import { openFixture } from "./fixture.js";
import { holderDid, microCredential, tempDb } from "./helpers.js";

describe("encodeCredentialEntry (issuance hot path)", () => {
  it("gives exactly the bytes of encodeLogEntry for every credential entry kind", () => {
    const kinds = ["issue", "suspend", "reinstate", "revoke", "supersede", "renew", "archive"] as const;
    for (const kind of kinds) {
      const e = {
        kind,
        credentialId: `urn:uuid:${uuidv7()}`,
        issuer: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        digest: "41dc3b2e0f0c34169cd99bb456363525b9a5f61946260ea66bb992a5c70a8d91",
        at: isoSeconds(new Date()),
      };
      expect(Buffer.from(encodeCredentialEntry(e)).toString("utf8")).toBe(
        Buffer.from(encodeLogEntry({ ...e, v: 1 })).toString("utf8"),
      );
    }
  });

  it("gives exactly the bytes of encodeLogEntry for a version 2 entry with an artifact (issue 14)", () => {
    const e = {
      kind: "issue" as const,
      credentialId: `urn:uuid:${uuidv7()}`,
      issuer: "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
      digest: "41dc3b2e0f0c34169cd99bb456363525b9a5f61946260ea66bb992a5c70a8d91",
      artifact: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      at: isoSeconds(new Date()),
    };
    expect(Buffer.from(encodeCredentialEntry(e)).toString("utf8")).toBe(
      Buffer.from(encodeLogEntry({ ...e, v: 2 })).toString("utf8"),
    );
  });

  it("isoSeconds drops milliseconds as before, including before 1970 and after 9999", () => {
    const old = (d: Date) =>
      new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
    for (const ms of [
      0,
      999,
      1000,
      -1,
      -500,
      -1000,
      1795271466123,
      Date.UTC(10000, 0, 1, 0, 0, 0, 250),
      Date.UTC(-1, 5, 1, 0, 0, 0, 750),
    ]) {
      expect(isoSeconds(new Date(ms))).toBe(old(new Date(ms)));
    }
  });

  it("uuidv7 ids stay version 7, variant 10, time-ordered and distinct", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(1795271466000 + i));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("stored records keep the JWT byte for byte", () => {
  const jwt = (payload: string) => `eyJhbGciOiJFZERTQSJ9.${Buffer.from(payload).toString("base64url")}.c2ln`;

  it("packJwt/unpackJwt round-trip, with or without the payload text, for every padding length", () => {
    for (const payload of ['{"a":1}', '{"a":12}', '{"a":123}', '{"name":"Grüße – ✓ 😀","x":"\\"q\\""}']) {
      const j = jwt(payload);
      expect(unpackJwt(packJwt(j))).toBe(j);
      expect(unpackJwt(packJwt(j, payload))).toBe(j);
      expect(unpackJwt(packJwt(j, new Uint8Array(Buffer.from(payload))))).toBe(j);
      expect(
        unpackJwt(recordEncoding.decode(recordEncoding.encode({ jwt: packJwt(j, payload) } as never)).jwt),
      ).toBe(j);
      expect(packJwt(j, payload)).toEqual({ h: "eyJhbGciOiJFZERTQSJ9", p: payload, s: "c2ln" });
    }
  });

  it("keeps as a string what is not the canonical base64url of UTF-8 text", () => {
    for (const j of [
      "not-a-jwt",
      "a.b",
      "a.b.c.d",
      `h.${Buffer.from([0xff, 0xfe, 0x00]).toString("base64url")}.s`,
      "h.eyJhIjoxfR.s",
    ]) {
      expect(unpackJwt(packJwt(j))).toBe(j);
    }
  });

  it("LevelRecordStore reads records stored before (JWT as a string) and after, members in the same order", async () => {
    const t = await tempDb();
    try {
      const store = new LevelRecordStore(t.db as never);
      const j = jwt('{"iss":"did:key:z6Mk","credentialStatus":[]}');
      const rec = {
        id: "urn:uuid:1",
        issuerId: "i",
        issuerDid: "did:key:z6Mk",
        type: "MicroCredential",
        state: "active",
        jwt: j,
        digest: "d",
        statusListIndex: 1,
        credentialStatus: [],
        createdAt: "t",
        updatedAt: "t",
        history: [],
      } as unknown as CredentialRecord;
      const batch = (ops: ReturnType<LevelRecordStore["putOps"]>) =>
        Promise.all(ops.map((o) => (o.type === "put" ? o.db.put(o.key, o.value) : undefined)));
      const payload = '{"iss":"did:key:z6Mk","credentialStatus":[]}';
      for (const [id, given] of [
        ["urn:uuid:1", undefined],
        ["urn:uuid:1a", payload],
        ["urn:uuid:1b", new Uint8Array(Buffer.from(payload))],
      ] as const) {
        const r = { ...rec, id };
        await batch(store.putOps(r, given));
        const back = await store.get(id);
        expect(back).toEqual(r);
        expect(Object.keys(back!)).toEqual(Object.keys(r));
      }
      // The binary form inside the checked header (magic C5 4D 4C 01, CRC-32): marker byte, not JSON text.
      const raw = (await t.db.sublevel("credentials", { valueEncoding: "view" }).get("urn:uuid:1")) as
        Uint8Array | undefined;
      expect([...raw!.subarray(0, 4)]).toEqual([0xc5, 0x4d, 0x4c, 0x01]);
      expect(raw![8]).toBe(1);
      // Records written by earlier versions: JWT as a plain string, and JWT packed with the payload as JSON text.
      const legacy = { ...rec, id: "urn:uuid:2" };
      await t.db.sublevel("credentials", { valueEncoding: "json" }).put("urn:uuid:2", legacy as never);
      expect(await store.get("urn:uuid:2")).toEqual(legacy);
      const packedJson = {
        ...rec,
        id: "urn:uuid:3",
        jwt: { h: "eyJhbGciOiJFZERTQSJ9", p: payload, s: "c2ln" },
      };
      await t.db.sublevel("credentials", { valueEncoding: "json" }).put("urn:uuid:3", packedJson as never);
      expect(await store.get("urn:uuid:3")).toEqual({ ...rec, id: "urn:uuid:3" });
    } finally {
      await t.dispose();
    }
  });
});

describe("records of issued credentials read back exactly", () => {
  for (const issuanceWorkers of [0, 1]) {
    it(`with ${issuanceWorkers} issuance worker(s): the stored JWT is the issued one, the digest finds the receipt`, async () => {
      const f = await openFixture({ issuanceWorkers });
      try {
        const issuer = await f.service.createIssuer({ name: "Record Academy" });
        const holder = holderDid();
        const issued = await Promise.all(
          Array.from({ length: 5 }, () => f.service.issue(issuer.id, microCredential(holder))),
        );
        for (const r of issued) {
          const rec = await f.service.getRecord(r.id, issuer.id);
          expect(rec.jwt).toBe(r.jwt);
          expect(rec.credentialStatus).toEqual(r.status.entries);
          expect(rec.history[0]!.receipt).toEqual(r.receipt);
          expect((await f.service.findByDigest(rec.digest))?.receipt).toEqual(r.receipt);
        }
      } finally {
        await f.dispose();
      }
    });
  }
});
