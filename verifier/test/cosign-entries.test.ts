// The log side of the coAuthorship check (issue 14): each co-signature's named `cosign` entry is
// read through the fetcher and must be proven in a trusted log and record that very JWS, the
// statement and the issuer. Receipts come from the tests' own log (fixtures.ts), written from
// RFC 9162 and C2SP signed-note, not from the code under test.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkCoSignatureEntries } from "../src/cosign-entries.js";
import { check, type Check } from "../src/core/report.js";
import { say } from "../src/core/report-messages.js";
import { expectSaidInEnglish } from "./said-in-english.js";
import type { VerifyContext } from "../src/core/context.js";
import { createNodeEd25519 } from "../src/node-ed25519.js";
import { TestLog, canonicalEntry } from "./fixtures.js";

const hex = (s: string) => createHash("sha256").update(s).digest("hex");
const ISSUER = "did:key:z6MkIssuer";
const STATEMENT =
  '{"issuer":"did:key:z6MkIssuer","mpu":{"title":"Rainfall log"},"type":"MPUCoAuthorshipStatement"}';
const JWS = ["eyJhIjoxfQ.eyJiIjoxfQ.c2lnMQ", "eyJhIjoyfQ.eyJiIjoyfQ.c2lnMg", "eyJhIjozfQ.eyJiIjozfQ.c2lnMw"];
const cosign = (jws: string, extra: Record<string, string> = {}) =>
  canonicalEntry({
    at: "2026-11-30T00:00:00Z",
    digest: hex(jws),
    issuer: ISSUER,
    kind: "cosign",
    mpu: "urn:uuid:0190f3a4-0000-7000-8000-000000000001",
    statement: hex(STATEMENT),
    v: 1,
    ...extra,
  });

function setup() {
  const log = new TestLog("meritlog.test/log", "log-key");
  log.append(cosign(JWS[0]!)); // 0
  log.append(cosign(JWS[1]!)); // 1
  log.append(
    canonicalEntry({ at: "2026-11-30T00:00:00Z", digest: hex(JWS[2]!), issuer: ISSUER, kind: "issue", v: 1 }),
  ); // 2
  log.append(cosign(JWS[2]!, { event: "decline" })); // 3
  log.append(cosign(JWS[2]!, { issuer: "did:key:z6MkOther" })); // 4
  return log;
}

function ctx(
  log: TestLog,
  read?: (i: number) => Promise<unknown>,
  logKeys = [log.verifierKey],
): VerifyContext {
  return {
    now: new Date("2026-11-30T12:00:00Z"),
    ed25519: createNodeEd25519(),
    trust: { issuers: [], logKeys },
    fetcher: read ? { logEntry: read as never } : {},
  };
}

const complete = (): Check =>
  check(
    true,
    "coAuthorship.complete",
    say(
      "Co-signed by 2 of 2 authors: every listed author signed this MPU's statement, and nobody else did.",
      "coAuthorship.complete",
      { signed: 2, of: 2 },
    ),
    { signed: 2, of: 2, missing: [] },
  );
const held = (leaves: unknown[], jws = JWS) =>
  leaves.map((leafIndex, i) => ({ author: `did:key:z6MkAuthor${i}`, jws: jws[i]!, leafIndex }));

describe("the named cosign entries", () => {
  it("each recorded where named: verified, the leaves listed in the message", async () => {
    const log = setup();
    const c = ctx(log, async (i) => log.receipt(i));
    const r = await checkCoSignatureEntries(complete(), held([0, 1]), STATEMENT, ISSUER, c);
    expect(r).toMatchObject({ ok: true, code: "coAuthorship.complete", entries: "verified", leaves: [0, 1] });
    expect(r.message).toContain("entries 0, 1");
    expectSaidInEnglish(r);
  });

  it("an entry of another signature, another kind, a decline, another issuer or none: entry_mismatch", async () => {
    const log = setup();
    const c = ctx(log, async (i) => log.receipt(i));
    for (const leaves of [
      [1, 0],
      [0, 2],
      [0, 3],
      [0, 4],
      [0, "x"],
      [0, -1],
    ]) {
      const jws = leaves[1] === 1 || leaves[1] === 0 ? JWS : [JWS[0]!, JWS[2]!];
      const r = await checkCoSignatureEntries(complete(), held(leaves, jws), STATEMENT, ISSUER, c);
      expect(r, JSON.stringify(leaves)).toMatchObject({ ok: false, code: "coAuthorship.entry_mismatch" });
      expectSaidInEnglish(r);
    }
    // Another statement: the entries do not record it.
    const other = await checkCoSignatureEntries(complete(), held([0, 1]), `${STATEMENT} `, ISSUER, c);
    expect(other).toMatchObject({ ok: false, code: "coAuthorship.entry_mismatch" });
  });

  it("a receipt whose inclusion proof does not hold is a mismatch", async () => {
    const log = setup();
    const c = ctx(log, async (i) => {
      const r = log.receipt(i);
      return { ...r, inclusionProof: [...r.inclusionProof].reverse() };
    });
    const r = await checkCoSignatureEntries(complete(), held([0, 1]), STATEMENT, ISSUER, c);
    expect(r).toMatchObject({ ok: false, code: "coAuthorship.entry_mismatch" });
  });

  it("unreadable or from an untrusted log: unknown, never complete; an incomplete check stays incomplete", async () => {
    const log = setup();
    const failing = ctx(log, async () => {
      throw new Error("log unreachable");
    });
    const unavailable = await checkCoSignatureEntries(complete(), held([0, 1]), STATEMENT, ISSUER, failing);
    expect(unavailable).toMatchObject({
      ok: "unknown",
      code: "coAuthorship.entries_unavailable",
      entries: "unavailable",
    });
    expectSaidInEnglish(unavailable);
    const untrusted = ctx(log, async (i) => log.receipt(i), [new TestLog("other.test/log", "k").verifierKey]);
    expect(
      await checkCoSignatureEntries(complete(), held([0, 1]), STATEMENT, ISSUER, untrusted),
    ).toMatchObject({
      ok: "unknown",
      code: "coAuthorship.entries_unavailable",
    });
    const incomplete = check(false, "coAuthorship.incomplete", "Co-signed by 1 of 2 authors.", {
      signed: 1,
      of: 2,
      missing: ["did:key:z6MkAuthor1"],
    });
    expect(await checkCoSignatureEntries(incomplete, held([0]), STATEMENT, ISSUER, failing)).toMatchObject({
      ok: false,
      code: "coAuthorship.incomplete",
      entries: "unavailable",
    });
  });

  it("without a fetcher that reads the log: the check as it was, entries not checked", async () => {
    const log = setup();
    const r = await checkCoSignatureEntries(complete(), held([0, 1]), STATEMENT, ISSUER, ctx(log));
    expect(r).toMatchObject({ ok: true, code: "coAuthorship.complete", entries: "not-checked" });
    expect(r.leaves).toBeUndefined();
  });
});
