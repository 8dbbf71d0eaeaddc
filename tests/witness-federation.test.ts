// Two meritlog deployments witnessing each other (docs/ARCHITECTURE.md "Witnesses"), on real
// ports the OS picked: each log's checkpoints and receipts carry the other's cosignature, the
// verifier applies the quorum, and a forked log (one key, two trees of one size: the damaged
// disk) is refused by the witness over HTTP.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNoteSigner, openLog, type TransparencyLog } from "@meritlog/ledger";
import {
  formatAddCheckpoint,
  parseCosignerKey,
  verifyCosignatures,
  verifyNote,
  parseVerifierKey,
  type Receipt,
} from "@meritlog/ledger/verify";
import { ADMIN_TOKEN, call, freePort, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples } from "./helpers/api-examples.js";

// A third log, run in-process with a key the test holds, that B also witnesses: the fork case.
const C_ORIGIN = "c.test/log";
const cSigner = createNoteSigner(C_ORIGIN, new Uint8Array(32).fill(42));

interface Site {
  name: "a" | "b";
  port: number;
  dataDir: string;
  logKey: string;
  witnessKey: string;
  server?: RunningServer;
}
const sites: Record<"a" | "b", Site> = {} as never;
const cleanup: string[] = [];

async function firstStart(name: "a" | "b"): Promise<Site> {
  const dataDir = await mkdtemp(join(tmpdir(), `meritlog-fed-${name}-`));
  cleanup.push(dataDir);
  const port = await freePort();
  const s = await startServer({
    dataDir,
    port,
    logOrigin: `${name}.test/log`,
    witness: true,
    witnessName: `${name}.test/witness`,
  });
  const key = (await call(s.url, "GET", "/v1/log/key")).body as { verifierKey: string };
  const w = (await call(s.url, "GET", "/v1/witness")).body as { verifierKey: string };
  await s.close();
  return { name, port, dataDir, logKey: key.verifierKey, witnessKey: w.verifierKey };
}

async function restart(me: Site, peer: Site): Promise<void> {
  me.server = await startServer({
    dataDir: me.dataDir,
    port: me.port,
    logOrigin: `${me.name}.test/log`,
    witness: true,
    witnessName: `${me.name}.test/witness`,
    witnessedLogs: me.name === "b" ? [peer.logKey, cSigner.verifierKey] : [peer.logKey],
    witnesses: `${peer.witnessKey}=http://127.0.0.1:${peer.port}/witness`,
    witnessTimeoutMs: 3000,
    witnessWaitMs: 5000,
  });
}

beforeAll(async () => {
  sites.a = await firstStart("a");
  sites.b = await firstStart("b");
  await restart(sites.a, sites.b);
  await restart(sites.b, sites.a);
}, 60_000);

afterAll(async () => {
  await sites.a?.server?.close();
  await sites.b?.server?.close();
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

async function issue(site: Site): Promise<{ jwt: string; receipt: Receipt }> {
  const url = site.server!.url;
  const iss = (
    await call(url, "POST", "/v1/issuers", {
      token: ADMIN_TOKEN,
      body: { name: `Academy ${site.name.toUpperCase()}` },
    })
  ).body as { token: string };
  const res = await call(url, "POST", "/v1/credentials", {
    token: iss.token,
    body: apiExamples(newHolder().did).microCredential(),
  });
  expect(res.status, res.text).toBe(201);
  return res.body as { jwt: string; receipt: Receipt };
}

describe("two deployments witnessing each other", () => {
  for (const [me, peer] of [
    ["a", "b"],
    ["b", "a"],
  ] as const) {
    it(`${me}'s receipts and checkpoint carry ${peer}'s cosignature, and its verifier applies the quorum`, async () => {
      const site = sites[me];
      const peerKey = parseCosignerKey(sites[peer].witnessKey);
      const key = (await call(site.server!.url, "GET", "/v1/log/key")).body as {
        witnesses: string[];
        witnessQuorum: number;
      };
      expect(key).toMatchObject({ witnesses: [sites[peer].witnessKey], witnessQuorum: 1 });

      const { jwt, receipt } = await issue(site);
      // A signed note with two signatures: the log's, then the witness's cosignature.
      expect(verifyNote(receipt.checkpoint, [parseVerifierKey(site.logKey)]).ok).toBe(true);
      const cos = verifyCosignatures(receipt.checkpoint, [peerKey]);
      expect(cos).toMatchObject({ ok: true, valid: 1 });
      const cp = await call(site.server!.url, "GET", "/log/checkpoint");
      expect(verifyCosignatures(cp.text, [peerKey]).ok).toBe(true);

      const report = (
        await call(site.server!.url, "POST", "/v1/verify", { body: { credential: jwt, receipt } })
      ).body as {
        checks: {
          anchoring: {
            ok: unknown;
            code: string;
            message: string;
            witnesses?: { cosigned: number; required: number };
          };
        };
      };
      expect(report.checks.anchoring).toMatchObject({ ok: true, witnesses: { cosigned: 1, required: 1 } });
      expect(report.checks.anchoring.message).toContain("Cosigned by 1 of the 1 required witnesses");
      // The same receipt without the cosignature: the verifier still finds the log's newer
      // cosigned checkpoint and proves it consistent, so the quorum holds.
      const bare = {
        ...receipt,
        checkpoint: receipt.checkpoint.slice(0, receipt.checkpoint.indexOf(`\u2014 ${peerKey.name} `)),
      };
      const again = (
        await call(site.server!.url, "POST", "/v1/verify", { body: { credential: jwt, receipt: bare } })
      ).body as typeof report;
      expect(again.checks.anchoring.ok).toBe(true);
    });
  }

  it("the witness endpoint answers as C2SP tlog-witness says (409 size, 404, 403, 422, 400)", async () => {
    const b = sites.b.server!.url;
    const aCheckpoint = (await call(sites.a.server!.url, "GET", "/log/checkpoint")).text;
    const post = (raw: string) =>
      call(b, "POST", "/witness/add-checkpoint", { raw, contentType: "text/plain" });
    const stale = await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: aCheckpoint }));
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toBe("text/x.tlog.size");
    expect(stale.text).toMatch(/^[1-9][0-9]*\n$/);
    const unknown = createNoteSigner("x.test/log", new Uint8Array(32).fill(1));
    const other = await openLog({ db: await tempDb(), origin: "x.test/log", signer: unknown });
    expect(
      (await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: other.checkpoint() }))).status,
    ).toBe(404);
    const impostor = await openLog({
      db: await tempDb(),
      origin: C_ORIGIN,
      signer: createNoteSigner(C_ORIGIN, new Uint8Array(32).fill(7)),
    });
    const forbidden = await post(
      formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: impostor.checkpoint() }),
    );
    expect(forbidden.status).toBe(403);
    expect((forbidden.body as { code: string }).code).toBe("witness.bad_signature");
    expect((await post("old 1\n\nnot a checkpoint\n")).status).toBe(400);
    expect((await call(b, "POST", "/witness/add-checkpoint", {})).status).toBe(400); // no body at all
    const openapi = (await call(b, "GET", "/openapi.json")).body as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(["/witness/add-checkpoint", "/v1/witness", "/v1/register/stats"]),
    );
    const aSize = Number(stale.text.trim());
    const bad = await post(
      formatAddCheckpoint({ oldSize: aSize, proof: [new Uint8Array(32)], checkpoint: aCheckpoint }),
    );
    expect([409, 422]).toContain(bad.status); // equal sizes with a proof (422) or A moved on (409)
  });

  it("a forked log (one key, two trees of one size) is caught by the witness", async () => {
    const b = sites.b.server!.url;
    const honest = await openLog({
      db: await tempDb(),
      origin: C_ORIGIN,
      signer: cSigner,
      batchMaxDelayMs: 0,
    });
    const forked = await openLog({
      db: await tempDb(),
      origin: C_ORIGIN,
      signer: cSigner,
      batchMaxDelayMs: 0,
    });
    const fill = (l: TransparencyLog, tag: string, n: number) =>
      Promise.all(Array.from({ length: n }, (_, i) => l.append(new TextEncoder().encode(`${tag}-${i}`))));
    await fill(honest, "honest", 9);
    await fill(forked, "forked", 9);
    const post = (raw: string) =>
      call(b, "POST", "/witness/add-checkpoint", { raw, contentType: "text/plain" });
    const ok = await post(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint: honest.checkpoint() }));
    expect(ok.status).toBe(200);
    expect(verifyCosignatures(honest.checkpoint() + ok.text, [parseCosignerKey(sites.b.witnessKey)]).ok).toBe(
      true,
    );
    const same = await post(formatAddCheckpoint({ oldSize: 9, proof: [], checkpoint: forked.checkpoint() }));
    expect(same.status).toBe(409);
    expect((same.body as { code: string }).code).toBe("witness.fork");
    await fill(forked, "forked-more", 7);
    const later = await post(
      formatAddCheckpoint({
        oldSize: 9,
        proof: await forked.consistencyProof(9, 16),
        checkpoint: forked.checkpoint(),
      }),
    );
    expect(later.status).toBe(422);
    expect((later.body as { code: string }).code).toBe("witness.bad_proof");
    const ev = (await call(b, "GET", `/v1/witness/evidence?origin=${encodeURIComponent(C_ORIGIN)}`)).body as {
      items: { code: string; submitted: string; cosigned: string }[];
    };
    expect(ev.items.map((e) => e.code)).toEqual(["witness.fork", "witness.bad_proof"]);
    expect(ev.items[0]!.cosigned).toBe(honest.checkpoint());
    // The honest log goes on being cosigned.
    await fill(honest, "honest-more", 3);
    const next = await post(
      formatAddCheckpoint({
        oldSize: 9,
        proof: await honest.consistencyProof(9, 12),
        checkpoint: honest.checkpoint(),
      }),
    );
    expect(next.status).toBe(200);
  });
});

const dbs: Level<string, Uint8Array>[] = [];
async function tempDb() {
  const dir = await mkdtemp(join(tmpdir(), "meritlog-fed-log-"));
  cleanup.push(dir);
  const l = new Level<string, Uint8Array>(dir, { keyEncoding: "utf8", valueEncoding: "view" });
  await l.open();
  dbs.push(l);
  return l.sublevel<string, Uint8Array>("log", { keyEncoding: "utf8", valueEncoding: "view" });
}
afterAll(async () => {
  for (const l of dbs) await l.close();
});
