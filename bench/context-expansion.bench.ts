// The JSON-LD rules' cost (verifier/src/context-expansion.ts): the scan every report gets, an
// expansion for a credential that brings a context of its own (the Open Badges 3.0 context plus
// one inline term), and the same credential again (remembered), against the baseline of one raw
// node:crypto Ed25519 verification, the cost every verification pays anyway.
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { loadavg } from "node:os";
import { withContextRules, type VerificationReport } from "@meritlog/verifier";
import type { BenchReport } from "./report.js";

const V2 = "https://www.w3.org/ns/credentials/v2";
const OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

function report(context: unknown[], id: string): VerificationReport {
  return {
    verdict: "valid",
    kind: "credential",
    checks: {
      signature: { ok: true, code: "signature.valid", message: "" },
      schema: { ok: true, code: "schema.open_badge", message: "" },
    },
    credential: {
      "@context": context,
      id,
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      issuer: { id: "did:example:issuer", type: ["Profile"], name: "Example College" },
      validFrom: "2026-01-01T00:00:00Z",
      credentialSubject: {
        id: "did:example:learner",
        type: ["AchievementSubject"],
        achievement: {
          id: "urn:uuid:5b1c5a44-0d44-4c2b-8d77-0e3c2f5d1b10",
          type: ["Achievement"],
          name: "Welding, level 2",
          description: "Welds in all positions.",
          criteria: { narrative: "Assessed in the workshop." },
        },
      },
    },
    checkedAt: "2026-01-01T00:00:00Z",
  };
}

/** Calls per second of `fn`, by the wall clock and per CPU-second, over about `ms`. */
async function rate(ms: number, fn: (i: number) => unknown): Promise<{ wall: number; cpu: number }> {
  for (let i = 0; i < 20; i++) await fn(-1 - i); // warm-up
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 10; i++) await fn(n + i);
    n += 10;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: (n * 1000) / (now - start), cpu: (n * 1e6) / (cpu.user + cpu.system) };
}

export default async function (r: BenchReport): Promise<void> {
  r.record("load average (1 min) at start", Number(loadavg()[0]!.toFixed(2)), "runnable tasks");
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const message = Buffer.from("a credential's signing input, about this long".repeat(8));
  const signature = sign(null, message, privateKey);
  const baseline = await rate(1500, () => verify(null, message, publicKey, signature));
  r.record("baseline: raw node:crypto Ed25519 verify", Math.round(baseline.cpu), "ops per CPU-second");

  const bundled = report([V2, OB3], "urn:uuid:1");
  const scan = await rate(1500, () => withContextRules(bundled));
  r.record(
    "scan only (bundled contexts, not expanded)",
    Math.round(scan.cpu),
    "reports per CPU-second",
    `${(1e6 / scan.cpu).toFixed(2)} µs each; ${(baseline.cpu / scan.cpu).toFixed(4)} of an Ed25519 verify`,
  );

  const inline = [V2, OB3, { Extra: "https://example.org/#Extra" }];
  // A new id each time: every call expands (nothing remembered).
  const fresh = await rate(3000, (i) => withContextRules(report(inline, `urn:uuid:fresh-${i}`)));
  r.record(
    "expansion (OB 3.0 context + an inline one)",
    Number(fresh.cpu.toFixed(1)),
    "expansions per CPU-second",
    `${(1000 / fresh.cpu).toFixed(2)} ms each; ${(baseline.cpu / fresh.cpu).toFixed(1)}× an Ed25519 verify`,
  );
  const same = report(inline, "urn:uuid:same");
  const remembered = await rate(1500, () => withContextRules(structuredClone(same)));
  r.record(
    "the same credential again (outcome remembered)",
    Math.round(remembered.cpu),
    "reports per CPU-second",
    `${(1e6 / remembered.cpu).toFixed(1)} µs each, copy of the report included`,
  );
}
