// End-to-end issuance over HTTP on a real 127.0.0.1 port: validate, claims discipline, sign
// (Ed25519, cached node:crypto key), anchor durably in the real transparency log (group commit,
// signed checkpoint per batch), store the record (synced), respond 201 with the receipt.
// Concurrent clients by autocannon in a worker thread (its own event loop, same 2 cores).
// Baseline measured in the same run: raw node:crypto Ed25519 signing of a JWT-sized input.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import Fastify from "fastify";
import { Level } from "level";
import * as ledger from "@meritlog/ledger";
import { verifyReceipt } from "@meritlog/ledger/verify";
import { createIssuerService, createSecretBox, issuerRoutes, ISSUER_ERROR_STATUS, type AnchorLog, type IssuerService } from "@meritlog/issuer";
import { percentile, type BenchReport } from "./report.js";

const HOLDER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
const BODY = JSON.stringify({
  type: "MicroCredential",
  subject: { id: HOLDER },
  achievement: {
    name: "Hand-Pump Repair Guide Writing",
    description: "Wrote a step-by-step repair guide for a village hand pump, reviewed by a peer.",
    criteria: { narrative: "Produced a guide that a second learner followed to complete a repair." },
  },
  scope: { covers: ["writing repair documentation for hand pumps"], excludes: ["regulated plumbing work", "product safety approval"] },
  reviewLevel: "peer",
  evidence: [{ id: "https://example.org/mpu/42/guide.pdf", digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" }],
  validUntil: "2028-01-01T00:00:00Z",
});

const DURATION_S = Number(process.env.BENCH_ISSUANCE_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_ISSUANCE_CONNECTIONS ?? 64);

/** Raw node:crypto Ed25519 signatures per second over a JWT-sized input, cached KeyObject. */
function signBaseline(ms: number): number {
  const { privateKey } = generateKeyPairSync("ed25519");
  const input = Buffer.from(randomBytes(1500).toString("base64url"));
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) sign(null, input, privateKey);
    n += 100;
  }
  return n / (ms / 1000);
}

interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number; p97_5?: number; average: number };
  "2xx": number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** autocannon in a worker thread, so the load generator has its own event loop. */
function cannon(opts: Record<string, unknown>): Promise<CannonResult> {
  const require = createRequire(import.meta.url);
  const path = require.resolve("autocannon");
  const code = `const ac = require(${JSON.stringify(path)}); const { parentPort, workerData } = require("node:worker_threads");
    ac(workerData, (err, res) => parentPort.postMessage(err ? { error: String(err) } : JSON.parse(JSON.stringify(res))));`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: opts });
    w.once("message", (m: CannonResult & { error?: string }) => {
      void w.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    });
    w.once("error", reject);
  });
}

async function openAnchorLog(db: Level<string, Uint8Array>, box: ReturnType<typeof createSecretBox>, origin: string): Promise<{ log: AnchorLog & { verifierKey?: string; close?(): Promise<void> }; real: boolean }> {
  const { openLog, loadOrCreateLogSigner } = ledger as unknown as Record<string, ((...a: unknown[]) => Promise<unknown>) | undefined>;
  if (typeof openLog !== "function" || typeof loadOrCreateLogSigner !== "function") {
    throw new Error("@meritlog/ledger has no openLog yet: this benchmark anchors in the real log only");
  }
  const sub = (name: string) => db.sublevel<string, Uint8Array>(name, { keyEncoding: "utf8", valueEncoding: "view" });
  const signer = await loadOrCreateLogSigner(sub("keys"), origin, box);
  const log = (await openLog({ db: sub("log"), origin, signer })) as AnchorLog & { verifierKey: string; close(): Promise<void> };
  return { log, real: true };
}

export default async function issuanceBench(r: BenchReport): Promise<void> {
  const baseline = signBaseline(1500);
  r.record("baseline: node:crypto Ed25519 sign (cached KeyObject, 2 KB input)", Math.round(baseline), "sig/s", "one core, same run");

  const dir = await mkdtemp(join(tmpdir(), "meritlog-bench-issuance-"));
  const db = new Level<string, Uint8Array>(join(dir, "db"), { keyEncoding: "utf8", valueEncoding: "view" });
  await db.open();
  const box = createSecretBox(randomBytes(32));
  const origin = "bench.meritlog.example/log";
  const { log } = await openAnchorLog(db, box, origin);
  const workers = Number(process.env.BENCH_SIGNING_WORKERS ?? 0);
  const service: IssuerService = await createIssuerService({
    db: db.sublevel<string, Uint8Array>("issuer", { keyEncoding: "utf8", valueEncoding: "view" }),
    box,
    log,
    baseUrl: "http://127.0.0.1",
    ...(workers > 0 ? { signingWorkers: workers } : {}),
  } as Parameters<typeof createIssuerService>[0]);
  const admin = "bench-admin-token";
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.setErrorHandler((err: Error & { code?: string; status?: number }, _req, reply) => {
    const status = (err.code && (ISSUER_ERROR_STATUS as Record<string, number>)[err.code]) ?? err.status ?? 500;
    return reply.code(status).send({ code: err.code ?? "internal.error", detail: err.message });
  });
  await app.register(issuerRoutes, { service, adminTokenHash: createHash("sha256").update(admin).digest() });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;

  try {
    const created = (await (await fetch(`${url}/v1/issuers`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ name: "Bench Academy" }) })).json()) as { id: string; token: string };
    const headers = { authorization: `Bearer ${created.token}`, "content-type": "application/json" };

    // One issuance checked end to end before load: the receipt verifies against the log key.
    const one = (await (await fetch(`${url}/v1/credentials`, { method: "POST", headers, body: BODY })).json()) as { jwt: string; receipt: Parameters<typeof verifyReceipt>[0] };
    const vkey = (log as { verifierKey?: string }).verifierKey;
    if (vkey) {
      const ok = verifyReceipt(one.receipt, vkey);
      if (!ok.ok) throw new Error(`receipt does not verify: ${ok.code}`);
    }

    // In-process issuance (no HTTP), same service: where the time goes.
    {
      const n = 4000;
      const lat: number[] = [];
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next++ < n) {
            const s = performance.now();
            await service.issue(created.id, JSON.parse(BODY));
            lat.push(performance.now() - s);
          }
        }),
      );
      const rate = n / ((performance.now() - t0) / 1000);
      r.record("in-process issuance (no HTTP), durable + anchored", Math.round(rate), "cred/s", `${CONNECTIONS} concurrent, p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms`);
    }

    await cannon({ url: `${url}/v1/credentials`, method: "POST", headers, body: BODY, connections: CONNECTIONS, duration: 2 }); // warm-up
    const res = await cannon({ url: `${url}/v1/credentials`, method: "POST", headers, body: BODY, connections: CONNECTIONS, duration: DURATION_S });
    const rate = res["2xx"] / res.duration;
    r.record("end-to-end issuance over HTTP (201 with receipt)", Math.round(rate), "cred/s", `${CONNECTIONS} connections, ${DURATION_S} s, autocannon in a worker thread on the same 2 cores${workers > 0 ? `, ${workers} signing workers` : ""}`);
    r.record("latency p50", res.latency.p50, "ms");
    r.record("latency p99", res.latency.p99, "ms");
    r.record("non-2xx responses", res.non2xx + res.errors + res.timeouts, "count", JSON.stringify(res.statusCodeStats));
    r.record("ratio end-to-end / raw signing baseline", rate / baseline, "×");
    r.record("target 5,000 cred/s reached", rate >= 5000 ? 1 : 0, "bool");
  } finally {
    await app.close();
    await service.close();
    await (log as { close?(): Promise<void> }).close?.();
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
