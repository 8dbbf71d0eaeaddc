// The `meritlog` CLI (docs/API.md "CLI") against a real server, as a user runs it after `npm run build`.
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatVerifierKey } from "@meritlog/ledger/verify";
import { ADMIN_TOKEN, startServer, type RunningServer } from "./helpers/server.js";
import { backendEnv } from "./helpers/backend.js";
import { newHolder } from "./helpers/did-key.js";

const bin = new URL("../server/bin/meritlog.js", import.meta.url).pathname;
let server: RunningServer;

function otherPublicKey(): Uint8Array {
  const spki = generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

const meritlog = (args: string[], env: Record<string, string> = {}) => run(args, env);

async function run(
  args: string[],
  env: Record<string, string> = {},
  opts: { cwd?: string; bareEnv?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = opts.bareEnv
    ? { PATH: process.env.PATH ?? "" }
    : {
        PATH: process.env.PATH ?? "",
        MERITLOG_URL: server.url,
        MERITLOG_DATA: server.dataDir,
        MERITLOG_ADMIN_TOKEN: ADMIN_TOKEN,
        ...backendEnv(server.config.databaseUrl),
      };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: { ...base, ...env },
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe("meritlog CLI", () => {
  it("creates an issuer, issues, changes status, verifies, reads the log, and fscks the stopped log", async () => {
    const created = await meritlog(["issuer", "create", "--name", "CLI Academy"]);
    expect(created.code, created.stderr).toBe(0);
    const issuer = JSON.parse(created.stdout) as { token: string; did: string };
    expect(issuer.did).toMatch(/^did:key:/);

    const claims = join(server.dataDir, "claims.json");
    await writeFile(
      claims,
      JSON.stringify({
        contribution: {
          kind: "translation",
          role: "translator",
          description: "Translated the guide into Hausa.",
        },
        object: {
          id: "urn:uuid:2f1c3f0e-8d7a-4c59-9b7e-0a4f1d2c3b4a",
          name: "Hand-pump repair guide",
          digestSRI: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        },
      }),
    );
    const holder = newHolder();
    const issued = await meritlog(
      ["issue", "--type", "Attribution", "--file", claims, "--subject", holder.did],
      { MERITLOG_TOKEN: issuer.token },
    );
    expect(issued.code, issued.stderr).toBe(0);
    const credential = JSON.parse(issued.stdout) as { id: string; jwt: string };

    const ok = await meritlog(["verify", credential.jwt]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/valid/i);

    const jwtFile = join(server.dataDir, "credential.json");
    await writeFile(jwtFile, issued.stdout);
    expect((await meritlog(["verify", jwtFile])).code).toBe(0);

    const tampered = credential.jwt.slice(0, -4) + (credential.jwt.endsWith("AAAA") ? "BBBB" : "AAAA");
    const bad = await meritlog(["verify", tampered]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/invalid/i);

    // verify tells a presentation from a credential by itself (issue 12): the nonce and audience
    // travel inside the VP-JWT, as the wallet makes it.
    const challenge = (await (await fetch(`${server.url}/v1/challenges`)).json()) as {
      nonce: string;
      audience: string;
    };
    const vpClaims = {
      iss: holder.did,
      aud: challenge.audience,
      nonce: challenge.nonce,
      vp: { type: ["VerifiablePresentation"], verifiableCredential: [credential.jwt] },
    };
    const vp = holder.signJwt({ alg: "EdDSA", typ: "JWT" }, vpClaims);
    const presented = await meritlog(["verify", vp]);
    expect(presented.code, presented.stdout + presented.stderr).toBe(0);
    expect(presented.stdout).toMatch(/^Presentation: /);
    expect((await meritlog(["verify", vp])).code).toBe(1); // the same nonce again is a replay: a negative result
    const bare = holder.signJwt({ alg: "EdDSA", typ: "JWT" }, { iss: holder.did, vp: vpClaims.vp });
    const noChallenge = await meritlog(["verify", bare]);
    expect(noChallenge.code).toBe(2);
    expect(noChallenge.stderr).toMatch(/presentation.*--nonce N --audience A/);
    const misuse = await meritlog(["verify", credential.jwt, "--nonce", "n", "--audience", "a"]);
    expect(misuse.code).toBe(2);
    expect(misuse.stderr).toMatch(/credential, not a presentation/);

    // A status change never guesses its reason: without --reason nothing is sent.
    const noReason = await meritlog(["status", credential.id, "suspend"], { MERITLOG_TOKEN: issuer.token });
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--reason/);
    // The record's state, not its text: the record carries the credential's status entry, whose
    // statusMessage list (Bitstring Status List §2.1, the `-message` list) names "suspended" too.
    const stateOf = (out: string) => (JSON.parse(out) as { state: string }).state;
    expect(
      stateOf((await meritlog(["status", credential.id], { MERITLOG_TOKEN: issuer.token })).stdout),
    ).toBe("active");

    const suspended = await meritlog(["status", credential.id, "suspend", "--reason", "under-review"], {
      MERITLOG_TOKEN: issuer.token,
    });
    expect(suspended.code, suspended.stderr).toBe(0);
    const record = await meritlog(["status", credential.id], { MERITLOG_TOKEN: issuer.token });
    expect(stateOf(record.stdout)).toBe("suspended");
    expect((await meritlog(["verify", credential.jwt])).code).toBe(1); // suspended is not "valid"

    const forbidden = await meritlog(["status", credential.id, "revoke", "--reason", "unsafe"], {
      MERITLOG_TOKEN: "mlt_wrong",
    });
    expect(forbidden.code).toBe(2);
    expect(forbidden.stderr).toMatch(/401/);

    const cp = await meritlog(["log", "checkpoint"]);
    expect(cp.code).toBe(0);
    expect(cp.stdout.split("\n")[0]).toBe(server.config.logOrigin);

    const busy = await meritlog(["log", "verify"]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/in use/);

    const verifierKey = ((await (await fetch(`${server.url}/v1/log/key`)).json()) as { verifierKey: string })
      .verifierKey;
    await server.app.close();
    // A well-formed key of the same name but another Ed25519 key pair: what a swapped key looks like.
    const otherKey = formatVerifierKey(verifierKey.split("+")[0]!, otherPublicKey());
    const swapped = await meritlog(["log", "verify", "--key", otherKey]);
    expect(swapped.code, swapped.stdout + swapped.stderr).toBe(1);
    expect(swapped.stdout).toMatch(/"ok": false/);
    expect((await meritlog(["log", "verify", "--key", verifierKey])).code).toBe(0);
    const fsck = await meritlog(["log", "verify"]);
    expect(fsck.code, fsck.stdout + fsck.stderr).toBe(0);
    const report = JSON.parse(fsck.stdout) as { ok: boolean; size: number };
    expect(report.ok).toBe(true);
    expect(report.size).toBe(3); // the issuer key event, the issuance, the suspension

    const offline = await meritlog(["log", "checkpoint"], { MERITLOG_URL: "http://127.0.0.1:9" });
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stdout).toContain(server.config.logOrigin);
  }, 120_000);

  it("prints usage and exits 2 for an unknown command", async () => {
    const r = await meritlog(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage/);
  });

  it("exits 2 for an unknown option on every command, and for a server that does not answer", async () => {
    for (const words of [
      ["serve"],
      ["issuer", "create"],
      ["issuer", "rotate", "x"],
      ["issue"],
      ["status", "x"],
      ["verify", "x"],
      ["log", "checkpoint"],
      ["log", "verify"],
      ["--frobnicate"],
    ]) {
      const r = await meritlog([...words, "--frobnicate"]);
      expect(r.code, `${words.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/frobnicate/);
    }
    const offline = await meritlog(["issuer", "create", "--name", "Nowhere Academy"], {
      MERITLOG_URL: "http://127.0.0.1:9",
    });
    expect(offline.code).toBe(2);
    expect(offline.stderr).toMatch(/cannot reach/);
    expect((await meritlog(["issue", "--type", "Attribution", "--file", "/no/such/claims.json"])).code).toBe(
      2,
    );
  }, 60_000);
});

describe("meritlog --help", () => {
  it("answers --help and -h for every command and subcommand with exit 0 and no side effects", async () => {
    const top = await run(["--help"], {}, { bareEnv: true });
    expect(top.code).toBe(0);
    // Every command line the top-level usage lists (it is generated from the command registry).
    const listed = [...top.stdout.matchAll(/^ {2}([a-z]+(?: [a-z]+)?) {2,}\S/gm)].map((m) =>
      m[1]!.split(" "),
    );
    expect(listed.map((c) => c.join(" "))).toEqual(
      expect.arrayContaining([
        "serve",
        "issuer create",
        "issuer rotate",
        "issue",
        "status",
        "verify",
        "log checkpoint",
        "log verify",
        "bench",
      ]),
    );
    const groups = [...new Set(listed.filter((c) => c.length === 2).map((c) => c[0]!))];
    const own = await startServer();
    const logSize = async () =>
      ((await (await fetch(`${own.url}/healthz`)).json()) as { logSize: number }).logSize;
    const issuer = await run(["issuer", "create", "--name", "Helpful Academy"], {
      MERITLOG_URL: own.url,
      MERITLOG_DATA: own.dataDir,
      ...backendEnv(own.config.databaseUrl),
    });
    expect(issuer.code, issuer.stderr).toBe(0);
    const sizeBefore = await logSize();
    const cwd = await mkdtemp(join(tmpdir(), "meritlog-cli-help-"));
    try {
      const issuerId = (JSON.parse(issuer.stdout) as { id: string }).id;
      const lines = [...listed, ...groups.map((g) => [g]), ["help"], ["issuer", "rotate", issuerId]];
      // -h for the shorter lines only: each run is a Node start on a shared machine.
      const runs = lines.flatMap((words) =>
        (words.length === 1 ? ["--help", "-h"] : ["--help"]).map((flag) => [...words, flag]),
      );
      // Four Node starts at a time: the runs are independent, and one at a time left the second
      // core idle for most of this test (its slowest part, ~70 starts).
      const queue = [...runs];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let args = queue.shift(); args !== undefined; args = queue.shift()) {
            // A bare environment (./data would be the data folder) but the live server's URL and admin
            // token, so a command that acted instead of helping would leave a file or a log entry.
            const r = await run(
              args,
              { MERITLOG_URL: own.url, MERITLOG_ADMIN_TOKEN: ADMIN_TOKEN },
              { cwd, bareEnv: true },
            );
            expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
            expect(r.stdout, args.join(" ")).toMatch(/^usage: meritlog/);
          }
        }),
      );
      // `serve --help` used to start a real server and write secrets into the current folder.
      expect(await readdir(cwd)).toEqual([]);
      // `issuer rotate ID --help` used to rotate the key (and `issuer rotate --help` an issuer named "--help").
      expect(await logSize()).toBe(sizeBefore);
    } finally {
      await rm(cwd, { recursive: true, force: true });
      await own.close();
    }
    const version = await run(["--version"], {}, { bareEnv: true });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  }, 120_000);
});

describe("meritlog issuer rotate", () => {
  it("rotates an issuer's key with the admin token (issuer rotate ID)", async () => {
    // Its own server, so the log sizes the test above counts are not disturbed.
    const own = await startServer();
    const meritlog = (args: string[], env: Record<string, string> = {}) =>
      run(args, {
        MERITLOG_URL: own.url,
        MERITLOG_DATA: own.dataDir,
        ...backendEnv(own.config.databaseUrl),
        ...env,
      });
    try {
      const issuer = JSON.parse(
        (await meritlog(["issuer", "create", "--name", "Rotating Academy"])).stdout,
      ) as { id: string; did: string };
      const rotated = await meritlog(["issuer", "rotate", issuer.id]);
      expect(rotated.code, rotated.stderr).toBe(0);
      const out = JSON.parse(rotated.stdout) as {
        id: string;
        did: string;
        previousDid: string;
        keyReceipt: { entry: string };
      };
      expect(out).toMatchObject({ id: issuer.id, previousDid: issuer.did });
      expect(out.did).toMatch(/^did:key:z6Mk/);
      expect(JSON.parse(out.keyReceipt.entry)).toMatchObject({
        kind: "key",
        event: "rotate",
        issuer: out.did,
        previous: issuer.did,
      });
      const wrong = await meritlog(["issuer", "rotate", issuer.id], {
        MERITLOG_ADMIN_TOKEN: "mla_wrong-admin-token",
      });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/401/);
      expect((await meritlog(["issuer", "rotate"])).code).toBe(2);
    } finally {
      await own.close();
    }
  }, 60_000);
});
