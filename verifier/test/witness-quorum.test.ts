// MERITLOG_WITNESS_QUORUM in the anchoring check: cosignatures (C2SP tlog-cosignature) made here
// with node:crypto, independently of the ledger's code, on checkpoints of the fixture log.
import { createHash, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkAnchoring } from "../src/core/anchoring.js";
import type { VerifyContext } from "../src/core/context.js";
import { createNodeEd25519 } from "../src/node-ed25519.js";
import { TestLog, b64, canonicalEntry, keyFromSeed, type TestKey } from "./fixtures.js";

const NOW = new Date("2026-11-30T12:00:00Z");
const T = Math.floor(NOW.getTime() / 1000) - 60;

class TestWitness {
  readonly key: TestKey;
  readonly id: Buffer;
  constructor(
    readonly name: string,
    seed: string,
  ) {
    this.key = keyFromSeed(seed);
    this.id = createHash("sha256")
      .update(`${name}\n`)
      .update(Buffer.of(0x04))
      .update(this.key.publicKey)
      .digest()
      .subarray(0, 4);
  }
  get vkey(): string {
    return `${this.name}+${this.id.toString("hex")}+${b64(Uint8Array.from([0x04, ...this.key.publicKey]))}`;
  }
  /** Appends this witness's cosignature line to a signed checkpoint note. */
  cosign(note: string, t = T): string {
    const body = note.slice(0, note.indexOf("\n\n") + 1);
    const sig = sign(null, Buffer.from(`cosignature/v1\ntime ${t}\n${body}`), this.key.privateKey);
    const ts = Buffer.alloc(8);
    ts.writeBigUInt64BE(BigInt(t));
    return `${note}\u2014 ${this.name} ${b64(Buffer.concat([this.id, ts, sig]))}\n`;
  }
}

const w1 = new TestWitness("w1.example/witness", "witness-1");
const w2 = new TestWitness("w2.example/witness", "witness-2");
const entry = (i: number, tag = "honest") =>
  canonicalEntry({
    at: "2026-11-30T00:00:00Z",
    credentialId: `urn:uuid:${tag}-${i}`,
    digest: createHash("sha256").update(`${tag}-${i}`).digest("hex"),
    issuer: "did:key:z6MkTest",
    kind: "issue",
    v: 1,
  });
const digestOf = (i: number, tag = "honest") => createHash("sha256").update(`${tag}-${i}`).digest("hex");

function setup() {
  const log = new TestLog("meritlog.test/log", "log-key");
  for (let i = 0; i < 5; i++) log.append(entry(i));
  return log;
}
function ctx(log: TestLog, trust: Partial<VerifyContext["trust"]>, proofsFrom: TestLog = log): VerifyContext {
  return {
    now: NOW,
    ed25519: createNodeEd25519(),
    trust: { issuers: [], logKeys: [log.verifierKey], ...trust },
    fetcher: {
      async consistencyProof(_o, m, n) {
        return proofsFrom.consistencyProof(m, n).map((p) => Uint8Array.from(Buffer.from(p, "base64")));
      },
    },
  };
}
async function anchoring(log: TestLog, receipt: ReturnType<TestLog["receipt"]>, c: VerifyContext) {
  return await checkAnchoring(receipt, digestOf(receipt.leafIndex), {}, c, "given");
}

describe("witness quorum in anchoring", () => {
  it("changes nothing when no witness is configured", async () => {
    const log = setup();
    const r = await anchoring(log, log.receipt(2), ctx(log, { knownCheckpoints: [log.checkpoint()] }));
    expect(r).toMatchObject({ ok: true, code: "anchoring.verified" });
  });

  it("default quorum is all witnesses: 1 of 2 cosignatures is unknown; quorum 1 is met", async () => {
    const log = setup();
    const receipt = { ...log.receipt(2), checkpoint: w1.cosign(log.checkpoint()) };
    const all = await anchoring(log, receipt, ctx(log, { witnesses: [w1.vkey, w2.vkey] }));
    expect(all).toMatchObject({
      ok: "unknown",
      code: "anchoring.witness_quorum",
      witnesses: { cosigned: 1, required: 2 },
    });
    expect(all.message).toContain("1 of the 2");
    const one = await anchoring(log, receipt, ctx(log, { witnesses: [w1.vkey, w2.vkey], witnessQuorum: 1 }));
    expect(one).toMatchObject({ ok: true, code: "anchoring.consistency_unchecked" });
    expect(one.message).toContain("Cosigned by 1 of the 1 required witnesses");
    const both = await anchoring(
      log,
      { ...receipt, checkpoint: w2.cosign(receipt.checkpoint) },
      ctx(log, { witnesses: [w1.vkey, w2.vkey] }),
    );
    expect(both).toMatchObject({ ok: true, witnesses: { cosigned: 2, required: 2 } });
  });

  it("a cosignature that does not verify does not count", async () => {
    const log = setup();
    const bad = w1
      .cosign(log.checkpoint())
      .replace(
        /(\u2014 w1\.example\/witness [A-Za-z0-9+/]{20})([A-Za-z0-9+/])/,
        (_m, a: string, c: string) => a + (c === "A" ? "B" : "A"),
      );
    const r = await anchoring(
      log,
      { ...log.receipt(1), checkpoint: bad },
      ctx(log, { witnesses: [w1.vkey] }),
    );
    expect(r).toMatchObject({ ok: "unknown", code: "anchoring.witness_quorum" });
  });

  it("a later cosigned checkpoint proven consistent vouches for an older receipt", async () => {
    const log = setup();
    const receipt = log.receipt(1, 3); // uncosigned checkpoint of size 3
    const later = w2.cosign(w1.cosign(log.checkpoint(5)));
    const r = await anchoring(
      log,
      receipt,
      ctx(log, { witnesses: [w1.vkey, w2.vkey], knownCheckpoints: [later] }),
    );
    expect(r).toMatchObject({
      ok: true,
      code: "anchoring.verified",
      witnesses: { cosigned: 2, required: 2 },
    });
    // Without the later checkpoint the receipt's own checkpoint has no cosignature.
    expect((await anchoring(log, receipt, ctx(log, { witnesses: [w1.vkey, w2.vkey] }))).ok).toBe("unknown");
  });

  it("a witness that cosigned another root for the same size makes anchoring false, with the evidence", async () => {
    const log = setup();
    const fork = new TestLog(log.origin, "log-key"); // the damaged disk: same key, another tree
    for (let i = 0; i < 5; i++) fork.append(entry(i, i < 3 ? "honest" : "forked"));
    const witnessed = w1.cosign(fork.checkpoint(5));
    const r = await anchoring(
      log,
      log.receipt(4),
      ctx(log, { witnesses: [w1.vkey], knownCheckpoints: [witnessed] }),
    );
    expect(r).toMatchObject({ ok: false, code: "anchoring.witness_conflict" });
    expect(r.message).toContain("w1.example/witness cosigned size 5");
    expect(r.message).toContain(fork.root(5).toString("hex"));
    expect(r.message).toContain(log.root(5).toString("hex"));
  });

  it("a witness that cosigned a later tree inconsistent with this one makes anchoring false", async () => {
    const log = setup();
    const fork = new TestLog(log.origin, "log-key");
    for (let i = 0; i < 8; i++) fork.append(entry(i, i < 2 ? "honest" : "forked"));
    const witnessed = w1.cosign(fork.checkpoint(8));
    // The forked log serves proofs of its own tree; they cannot connect the honest size-3 root to it.
    const r = await anchoring(
      log,
      log.receipt(2, 3),
      ctx(log, { witnesses: [w1.vkey], knownCheckpoints: [witnessed] }, fork),
    );
    expect(r).toMatchObject({ ok: false, code: "anchoring.witness_conflict" });
    expect(r.message).toContain("not consistent with this checkpoint of size 3");
  });
});
