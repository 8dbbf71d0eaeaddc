import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { refineState, scanLog, splitBundle, type LogReader } from "../src/log-history.js";
import type { LogView } from "../src/records.js";

// A three-entry log built here with node:crypto (RFC 9162 §2.1.1 hashing), served as one partial
// entry bundle and one partial hash tile (C2SP tlog-tiles).
const sha = (...p: Uint8Array[]) => new Uint8Array(createHash("sha256").update(Buffer.concat(p)).digest());
const leaf = (b: Uint8Array) => sha(Uint8Array.of(0), b);
const node = (l: Uint8Array, r: Uint8Array) => sha(Uint8Array.of(1), l, r);
const JWT_DIGEST = "a".repeat(64);
const entry = (o: Record<string, unknown>) =>
  new TextEncoder().encode(JSON.stringify({ v: 1, issuer: "did:key:zIssuer", ...o }));
const E = [
  entry({ kind: "issue", credentialId: "urn:uuid:mine", digest: JWT_DIGEST, at: "2026-11-21T10:00:00Z" }),
  entry({
    kind: "issue",
    credentialId: "urn:uuid:other",
    digest: "b".repeat(64),
    at: "2026-11-21T10:01:00Z",
  }),
  entry({ kind: "archive", credentialId: "urn:uuid:mine", digest: JWT_DIGEST, at: "2026-11-21T10:02:00Z" }),
];
const L = E.map(leaf) as [Uint8Array, Uint8Array, Uint8Array];
const root = node(node(L[0], L[1]), L[2]);
const bundle = Buffer.concat(
  E.flatMap((e) => [Buffer.from([e.length >> 8, e.length & 0xff]), Buffer.from(e)]),
);
const view: LogView = {
  origin: "o",
  baseUrl: "b",
  size: 3,
  rootHash: Buffer.from(root).toString("base64"),
  checkpoint: "cp",
  seenAt: "t",
};

function reader(o: { tile?: Uint8Array[] } = {}): LogReader & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    bundle: async (p) => {
      paths.push(p);
      return new Uint8Array(bundle);
    },
    tile: async (p) => {
      paths.push(p);
      return new Uint8Array(Buffer.concat(o.tile ?? L));
    },
  };
}

describe("log history", () => {
  it("splits entry bundles", () => {
    expect(splitBundle(new Uint8Array(bundle)).map((b) => Buffer.from(b).toString())).toEqual(
      E.map((b) => Buffer.from(b).toString()),
    );
  });

  it("downloads whole bundles and keeps only proven events of its own credentials", async () => {
    const r = reader();
    const res = await scanLog(view, 0, new Map([["urn:uuid:mine", JWT_DIGEST]]), r);
    // Only whole public files: the entry bundle and the hash tile; no request names an entry.
    expect(r.paths).toEqual(["tile/entries/000.p/3", "tile/0/000.p/3"]);
    expect(res).toMatchObject({ scannedTo: 3, complete: true });
    expect(res.events.get("urn:uuid:mine")).toEqual([
      { kind: "issue", at: "2026-11-21T10:00:00Z", leafIndex: 0 },
      { kind: "archive", at: "2026-11-21T10:02:00Z", leafIndex: 2 },
    ]);
  });

  it("ignores entries whose digest differs or whose inclusion proof fails, and resumes where it stopped", async () => {
    expect((await scanLog(view, 0, new Map([["urn:uuid:mine", "c".repeat(64)]]), reader())).events.size).toBe(
      0,
    );
    // A hash tile that does not lead to the verified root proves nothing.
    const forged = await scanLog(
      view,
      0,
      new Map([["urn:uuid:mine", JWT_DIGEST]]),
      reader({ tile: [L[0], leaf(Buffer.from("x")), L[2]] }),
    );
    expect(forged.events.size).toBe(0);
    const resumed = await scanLog(view, 1, new Map([["urn:uuid:mine", JWT_DIGEST]]), reader());
    expect(resumed.events.get("urn:uuid:mine")!.map((e) => e.leafIndex)).toEqual([2]);
    const none = await scanLog(view, 3, new Map([["urn:uuid:mine", JWT_DIGEST]]), reader());
    expect(none).toMatchObject({ scannedTo: 3, complete: true });
  });

  it("tells superseded and archived apart from revoked, never making a credential look more current", () => {
    const h = (...kinds: string[]) => kinds.map((kind, i) => ({ kind, at: "t", leafIndex: i }));
    expect(refineState("revoked", h("issue", "archive"))).toBe("archived");
    expect(refineState("revoked", h("issue", "supersede"))).toBe("superseded");
    expect(refineState("revoked", h("issue", "renew"))).toBe("superseded");
    expect(refineState("revoked", h("issue", "archive", "revoke"))).toBe("revoked");
    expect(refineState("revoked", h("issue"))).toBe("revoked");
    // The log's negative facts win over a status list that has not caught up yet, never the reverse.
    expect(refineState("active", h("issue", "archive"))).toBe("archived");
    expect(refineState("active", h("issue", "suspend"))).toBe("suspended");
    expect(refineState("active", h("issue", "suspend", "reinstate"))).toBe("active");
    expect(refineState("suspended", h("issue", "suspend", "reinstate"))).toBe("suspended");
    expect(refineState("suspended", h("issue", "revoke"))).toBe("revoked");
    expect(refineState("unknown", h("issue"))).toBe("unknown");
    expect(refineState("revoked", h("issue", "supersede", "revoke"))).toBe("revoked");
  });
});
