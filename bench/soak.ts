// `npm run bench -- --soak [--minutes N]` (default 10): the built server in a child process under
// mixed traffic (issue, verify, status changes, OpenID4VCI offers, log reads, registry and status
// list reads) at about 70% of the capacity measured in the same run. Reports throughput, p50/p99
// per route, errors (must be 0) and the server's RSS over time; RSS growth above 10% after the
// warm-up is a failure. Writes bench/results/soak-latest.{json,md}; exit code 1 on failure.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import { Agent, request } from "node:http";
import { newHolder } from "../tests/helpers/did-key.js";
import { apiExamples, apiOfferExamples } from "../tests/helpers/api-examples.js";

const ADMIN = "mla_soak-admin-token-0123456789";
const root = fileURLToPath(new URL("..", import.meta.url));

interface Sample {
  route: string;
  ms: number;
  ok: boolean;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

async function freePort(): Promise<number> {
  return await new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request on a keep-alive connection; resolves with status, content type and body text. */
function http(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers["content-type"] ?? ""),
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function runSoak(): Promise<boolean> {
  const minutes = arg("--minutes", 10);
  const capacitySeconds = arg("--capacity-seconds", 15);
  const dataDir = await mkdtemp(join(tmpdir(), "meritlog-soak-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(root, "server/dist/server.js")], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      MERITLOG_DATA: dataDir,
      MERITLOG_ADMIN_TOKEN: ADMIN,
      MERITLOG_LOG: "off",
      MERITLOG_RATE_LIMIT: "0",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await http("GET", `${base}/healthz`)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (i > 300) throw new Error("the server did not start within 30 s");
      await new Promise((r) => setTimeout(r, 100));
    }
    const json = async (
      method: string,
      path: string,
      body?: unknown,
      token?: string,
    ): Promise<{ status: number; body: unknown }> => {
      const res = await http(
        method,
        base + path,
        {
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body !== undefined ? JSON.stringify(body) : undefined,
      );
      return {
        status: res.status,
        body: res.text && res.type.includes("json") ? JSON.parse(res.text) : res.text,
      };
    };

    const issuer = (await json("POST", "/v1/issuers", { name: "Soak Academy" }, ADMIN)).body as {
      id: string;
      token: string;
    };
    const pool: { id: string; jwt: string; receipt: unknown; suspended: boolean; listPath: string }[] = [];
    for (let i = 0; i < 20; i++) {
      const r = (
        await json("POST", "/v1/credentials", apiExamples(newHolder().did).microCredential(), issuer.token)
      ).body as { id: string; jwt: string; receipt: unknown; status: { statusListCredential: string } };
      pool.push({
        id: r.id,
        jwt: r.jwt,
        receipt: r.receipt,
        suspended: false,
        listPath: new URL(r.status.statusListCredential).pathname,
      });
    }
    const holders = Array.from({ length: 8 }, () => newHolder());
    let rr = 0;

    // The mix: [route, weight, expected status, request].
    const ops: [string, number, (n: number) => Promise<boolean>][] = [
      [
        "POST /v1/verify",
        40,
        async () =>
          (
            await json("POST", "/v1/verify", {
              credential: pool[rr % pool.length]!.jwt,
              receipt: pool[rr++ % pool.length]!.receipt,
            })
          ).status === 200,
      ],
      [
        "POST /v1/credentials",
        15,
        async () =>
          (
            await json(
              "POST",
              "/v1/credentials",
              apiExamples(holders[rr++ % holders.length]!.did).microCredential(),
              issuer.token,
            )
          ).status === 201,
      ],
      ["GET /log/checkpoint", 15, async () => (await http("GET", `${base}/log/checkpoint`)).status === 200],
      [
        "GET /v1/log/proof/inclusion",
        5,
        async () => (await json("GET", `/v1/log/proof/inclusion?leafIndex=${rr++ % 20}`)).status === 200,
      ],
      ["GET /v1/issuers", 5, async () => (await json("GET", "/v1/issuers")).status === 200],
      [
        "GET /v1/status/{listId}",
        5,
        async () => (await http("GET", base + pool[rr++ % pool.length]!.listPath)).status === 200,
      ],
      [
        "POST /v1/credentials/{id}/status",
        5,
        async () => {
          const c = pool[rr++ % pool.length]!;
          const action = c.suspended ? "reinstate" : "suspend";
          c.suspended = !c.suspended;
          const r = await json(
            "POST",
            `/v1/credentials/${encodeURIComponent(c.id)}/status`,
            { action, reason: "under-review" },
            issuer.token,
          );
          // Two status changes of one credential may race; the loser's 409 is the contract, not an error.
          if (r.status === 409) c.suspended = !c.suspended;
          return r.status === 200 || r.status === 409;
        },
      ],
      [
        "offer → token → credential",
        5,
        async () => {
          const offer = (await json(
            "POST",
            "/v1/offers",
            apiOfferExamples().microCredential,
            issuer.token,
          )) as { status: number; body: { preAuthorizedCode: string } };
          if (offer.status !== 201) return false;
          const tok = (await json("POST", "/oid4vci/token", {
            grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            "pre-authorized_code": offer.body.preAuthorizedCode,
          })) as { status: number; body: { access_token: string; c_nonce: string } };
          if (tok.status !== 200) return false;
          const h = holders[rr++ % holders.length]!;
          const proof = h.signJwt(
            { typ: "openid4vci-proof+jwt", alg: "EdDSA", kid: h.kid },
            { aud: base, iat: Math.floor(Date.now() / 1000), nonce: tok.body.c_nonce },
          );
          const res = await http(
            "POST",
            `${base}/oid4vci/credential`,
            { authorization: `Bearer ${tok.body.access_token}`, "content-type": "application/json" },
            JSON.stringify({ credential_configuration_id: "MicroCredential", proofs: { jwt: [proof] } }),
          );
          return res.status === 200;
        },
      ],
    ];
    const total = ops.reduce((s, o) => s + o[1], 0);
    const pick = (): (typeof ops)[number] => {
      let x = Math.random() * total;
      for (const o of ops) if ((x -= o[1]) < 0) return o;
      return ops[0]!;
    };
    const samples: Sample[] = [];
    const once = async (): Promise<void> => {
      const [route, , fn] = pick();
      const t0 = performance.now();
      let ok: boolean;
      try {
        ok = await fn(0);
      } catch {
        ok = false;
      }
      samples.push({ route, ms: performance.now() - t0, ok });
    };

    // 1. Capacity: a closed loop of 32 concurrent clients.
    console.log(`measuring capacity for ${capacitySeconds} s …`);
    const capEnd = Date.now() + capacitySeconds * 1000;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (Date.now() < capEnd) await once();
      }),
    );
    const capacity = samples.length / capacitySeconds;
    const capErrors = samples.filter((s) => !s.ok).length;
    samples.length = 0;
    const target = capacity * 0.7;
    console.log(
      `capacity ≈ ${capacity.toFixed(0)} req/s (${capErrors} errors); soaking at ${target.toFixed(0)} req/s for ${minutes} min`,
    );

    // 2. Soak: an open loop at 70% of capacity, RSS sampled every 5 s.
    const pid = child.pid!;
    const rss: { at: number; bytes: number }[] = [{ at: 0, bytes: await rssOf(pid) }];
    const start = Date.now();
    const end = start + minutes * 60_000;
    let inFlight = 0;
    let dropped = 0;
    let credit = 0;
    const running = new Set<Promise<void>>();
    let nextRss = start + 5000;
    let last = start;
    while (Date.now() < end) {
      // Credit by elapsed time, so a late timer (a loaded machine) does not lower the offered rate.
      const t = Date.now();
      credit += (target * (t - last)) / 1000;
      last = t;
      while (credit >= 1) {
        credit--;
        // Never more than 512 outstanding: beyond that the server is not keeping up, which is a result.
        if (inFlight >= 512) {
          dropped++;
          continue;
        }
        inFlight++;
        const p = once().finally(() => {
          inFlight--;
          running.delete(p);
        });
        running.add(p);
      }
      if (Date.now() >= nextRss) {
        rss.push({ at: Date.now() - start, bytes: await rssOf(pid) });
        nextRss += 5000;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(running);
    const seconds = (Date.now() - start) / 1000;
    rss.push({ at: Date.now() - start, bytes: await rssOf(pid) });

    // 3. Report.
    const byRoute = new Map<string, Sample[]>();
    for (const s of samples) byRoute.set(s.route, [...(byRoute.get(s.route) ?? []), s]);
    const routes = [...byRoute].map(([route, ss]) => ({
      route,
      count: ss.length,
      errors: ss.filter((s) => !s.ok).length,
      p50: pct(
        ss.map((s) => s.ms),
        50,
      ),
      p99: pct(
        ss.map((s) => s.ms),
        99,
      ),
    }));
    const errors = samples.filter((s) => !s.ok).length + dropped;
    // Warm-up: the first fifth of the run (at least 30 s); growth is the largest sample after it
    // against the first sample after it.
    const warm = Math.max(30_000, (minutes * 60_000) / 5);
    const after = rss.filter((r) => r.at >= warm);
    const baseRss = after[0]?.bytes ?? rss[rss.length - 1]!.bytes;
    const peakRss = Math.max(...after.map((r) => r.bytes), baseRss);
    const growth = (peakRss - baseRss) / baseRss;
    const result = {
      minutes,
      capacityPerSecond: Math.round(capacity),
      targetPerSecond: Math.round(target),
      throughputPerSecond: Math.round(samples.length / seconds),
      requests: samples.length,
      errors,
      dropped,
      routes,
      rss: rss.map((r) => ({
        atSeconds: Math.round(r.at / 1000),
        mib: Math.round((r.bytes / 1048576) * 10) / 10,
      })),
      rssGrowthAfterWarmup: Math.round(growth * 1000) / 10,
      ok: errors === 0 && growth <= 0.1,
    };
    const md = [
      `# Soak: ${minutes} min at ${result.targetPerSecond} req/s (70% of ${result.capacityPerSecond} measured)`,
      "",
      `Throughput ${result.throughputPerSecond} req/s, ${result.requests} requests, errors ${errors} (dropped ${dropped}), RSS growth after warm-up ${result.rssGrowthAfterWarmup}% → ${result.ok ? "PASS" : "FAIL"}`,
      "",
      "| route | requests | errors | p50 ms | p99 ms |",
      "|---|---|---|---|---|",
      ...routes.map(
        (r) => `| ${r.route} | ${r.count} | ${r.errors} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`,
      ),
      "",
      "RSS (MiB) by second: " + result.rss.map((r) => `${r.atSeconds}s ${r.mib}`).join(", "),
      "",
    ].join("\n");
    console.log(md);
    await writeFile(join(root, "bench/results/soak-latest.json"), JSON.stringify(result, null, 2) + "\n");
    await writeFile(join(root, "bench/results/soak-latest.md"), md);
    return result.ok;
  } finally {
    agent.destroy();
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await rm(dataDir, { recursive: true, force: true });
  }
}
