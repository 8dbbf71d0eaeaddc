// The `meritlog` command (docs/API.md "CLI"). It reads the same configuration as the server.
// Commands that act on a running service speak its HTTP API (LevelDB admits one process at a time);
// `log verify` opens the data folder itself, so run it with the server stopped.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { Level } from "level";
import { fsckLog, loadStoredCheckpoint } from "@meritlog/ledger";
import { renderReportText, type VerificationReport } from "@meritlog/verifier";
import { configFromEnv } from "./config.js";

const USAGE = `usage: meritlog <command>

  serve                                   start the server (as npm start)
  issuer create --name NAME [--url URL]   create an issuer (admin token); prints its token once
  issuer rotate ID                        rotate the issuer's key (admin token): a new did:key, anchored
  issue --type TYPE --file claims.json [--subject DID]
                                          issue a credential (issuer token in MERITLOG_TOKEN or --token)
  status ID                               show a credential's record and history
  status ID ACTION --reason R [--note N]  suspend | reinstate | revoke | archive
  verify JWT|FILE [--receipt FILE] [--json]
                                          verify a credential or presentation; exit 0 only for "valid"
  log checkpoint                          print the log's latest signed checkpoint
  log verify [--key VERIFIER_KEY]         fsck: recompute every tile and the root from the stored entries
                                          and check the signed checkpoint (server stopped); --key checks
                                          it against a trusted verifier key instead of the stored one
  fsck                                    check every store: records decode, log entries match, status lists
                                          agree, keys open, the log (server stopped); exit 1 on damage
  backup DIR                              consistent backup by the running server into DIR (admin token)
  restore DIR                             restore a backup into an empty data folder (server stopped), then fsck
  bench                                   run the benchmarks (npm run bench)

environment: MERITLOG_URL (default http://HOST:PORT), MERITLOG_TOKEN, MERITLOG_ADMIN_TOKEN,
MERITLOG_DATA, and the server's variables (docs/API.md).`;

class UsageError extends Error {}

const config = configFromEnv();
const serverUrl = (process.env.MERITLOG_URL ?? config.publicUrl).replace(/\/+$/, "");

async function adminToken(): Promise<string> {
  if (config.adminToken) return config.adminToken;
  try {
    return (await readFile(join(config.dataDir, "admin-token"), "utf8")).trim();
  } catch {
    throw new UsageError(`no admin token: set MERITLOG_ADMIN_TOKEN or run from the folder whose data/ holds admin-token`);
  }
}

async function api(method: string, path: string, token: string | undefined, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(serverUrl + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (cause) {
    throw new UsageError(`cannot reach the meritlog server at ${serverUrl} (${(cause as Error).message}); start it with npm start or set MERITLOG_URL`);
  }
  const text = await res.text();
  const parsed: unknown = (res.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : text;
  if (!res.ok) {
    const p = parsed as { code?: string; detail?: string };
    throw new UsageError(`${res.status} ${p.code ?? ""}: ${p.detail ?? text}`);
  }
  return parsed;
}

const print = (v: unknown): void => console.log(typeof v === "string" ? v : JSON.stringify(v, null, 2));

async function readJwtOrFile(arg: string): Promise<string> {
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(arg.trim())) return arg.trim();
  const text = (await readFile(arg, "utf8")).trim();
  if (text.startsWith("{")) {
    const j = JSON.parse(text) as { jwt?: string; credential?: string; presentation?: string };
    const jwt = j.jwt ?? j.credential ?? j.presentation;
    if (typeof jwt !== "string") throw new UsageError(`${arg}: JSON without a "jwt", "credential" or "presentation" member`);
    return jwt;
  }
  return text;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  switch (cmd) {
    case "serve":
      await import("./server.js");
      return -1; // keeps running
    case "issuer": {
      if (sub === "rotate") {
        const id = rest[0];
        if (!id || rest.length !== 1) throw new UsageError("usage: meritlog issuer rotate ID");
        print(await api("POST", `/v1/issuers/${encodeURIComponent(id)}/keys/rotate`, await adminToken()));
        return 0;
      }
      if (sub !== "create") throw new UsageError("usage: meritlog issuer create --name NAME [--url URL] | meritlog issuer rotate ID");
      const { values } = parseArgs({ args: rest, options: { name: { type: "string" }, url: { type: "string" } } });
      if (!values.name) throw new UsageError("--name is required");
      print(await api("POST", "/v1/issuers", await adminToken(), { name: values.name, ...(values.url ? { url: values.url } : {}) }));
      return 0;
    }
    case "issue": {
      const { values } = parseArgs({
        args: argv.slice(1),
        options: { type: { type: "string" }, file: { type: "string" }, subject: { type: "string" }, token: { type: "string" } },
      });
      if (!values.type || !values.file) throw new UsageError("usage: meritlog issue --type TYPE --file claims.json [--subject DID]");
      const claims = JSON.parse(await readFile(values.file, "utf8")) as Record<string, unknown>;
      const body = { ...claims, type: values.type, ...(values.subject ? { subject: { id: values.subject } } : {}) };
      print(await api("POST", "/v1/credentials", values.token ?? process.env.MERITLOG_TOKEN, body));
      return 0;
    }
    case "status": {
      const { values, positionals } = parseArgs({
        args: argv.slice(1),
        allowPositionals: true,
        options: { reason: { type: "string" }, note: { type: "string" }, token: { type: "string" } },
      });
      const [id, action] = positionals;
      if (!id) throw new UsageError("usage: meritlog status ID [ACTION --reason R [--note N]]");
      const token = values.token ?? process.env.MERITLOG_TOKEN;
      const path = `/v1/credentials/${encodeURIComponent(id)}`;
      if (!action) print(await api("GET", path, token));
      else print(await api("POST", `${path}/status`, token, { action, reason: values.reason ?? "other", ...(values.note ? { note: values.note } : {}) }));
      return 0;
    }
    case "verify": {
      const { values, positionals } = parseArgs({
        args: argv.slice(1),
        allowPositionals: true,
        options: { receipt: { type: "string" }, json: { type: "boolean" }, nonce: { type: "string" }, audience: { type: "string" } },
      });
      if (!positionals[0]) throw new UsageError("usage: meritlog verify JWT|FILE [--receipt FILE] [--json]");
      const jwt = await readJwtOrFile(positionals[0]);
      const receipt = values.receipt ? (JSON.parse(await readFile(values.receipt, "utf8")) as unknown) : undefined;
      const isPresentation = values.nonce !== undefined;
      const body = isPresentation
        ? { presentation: jwt, nonce: values.nonce, audience: values.audience }
        : { credential: jwt, ...(receipt ? { receipt } : {}) };
      const report = (await api("POST", "/v1/verify", undefined, body)) as VerificationReport;
      print(values.json ? report : renderReportText(report));
      return report.verdict === "valid" ? 0 : 1;
    }
    case "log": {
      if (sub === "checkpoint") {
        try {
          print(await api("GET", "/log/checkpoint", undefined));
        } catch (err) {
          if (!(err instanceof UsageError) || !/cannot reach/.test(err.message)) throw err;
          const db = await openData();
          try {
            print(await loadStoredCheckpoint(db.sublevel<string, Uint8Array>("log", { keyEncoding: "utf8", valueEncoding: "view" })));
          } finally {
            await db.close();
          }
        }
        return 0;
      }
      if (sub === "verify") {
        // Without --key the checkpoint is checked against the key stored with the log: that finds
        // corruption, but only a key obtained elsewhere (GET /v1/log/key, pinned) finds a swapped key.
        const { values } = parseArgs({ args: rest, options: { key: { type: "string" } } });
        const db = await openData();
        try {
          const log = db.sublevel<string, Uint8Array>("log", { keyEncoding: "utf8", valueEncoding: "view" });
          // Also against the newest checkpoint kept outside the database (a rollback or fork).
          const external = await readFile(join(config.dataDir, "checkpoint"), "utf8").catch(() => undefined);
          const report = await fsckLog(log, values.key, external === undefined ? {} : { externalCheckpoint: external });
          print(report);
          return report.ok ? 0 : 1;
        } finally {
          await db.close();
        }
      }
      throw new UsageError("usage: meritlog log checkpoint | log verify");
    }
    case "fsck":
    case "restore": {
      if (cmd === "restore" && !sub) throw new UsageError("usage: meritlog restore DIR");
      // Loaded on demand: they import the issuer package (Veramo), seconds of start-up other commands need not pay.
      const r = cmd === "fsck" ? await (await import("./fsck.js")).runFsck(config) : await (await import("./backup.js")).runRestore(resolve(sub!), config);
      print(r.output);
      return r.code;
    }
    case "backup":
      if (!sub) throw new UsageError("usage: meritlog backup DIR");
      print(await api("POST", "/v1/admin/backup", await adminToken(), { dir: resolve(sub) }));
      return 0;
    case "bench": {
      const { spawnSync } = await import("node:child_process");
      return spawnSync("npm", ["run", "bench", "--", ...argv.slice(1)], { stdio: "inherit" }).status ?? 1;
    }
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return 0;
    default:
      throw new UsageError(`unknown command "${cmd}"\n\n${USAGE}`);
  }
}

async function openData(): Promise<Level<string, Uint8Array>> {
  const db = new Level<string, Uint8Array>(join(config.dataDir, "db"), { keyEncoding: "utf8", valueEncoding: "view", createIfMissing: false });
  try {
    await db.open();
  } catch (cause) {
    const msg = String((cause as { cause?: unknown }).cause ?? cause);
    throw new UsageError(
      /lock/i.test(msg)
        ? `the data folder ${config.dataDir} is in use by a running server; stop it first (LevelDB admits one process)`
        : `cannot open the data folder ${config.dataDir}: ${msg}`,
    );
  }
  return db;
}

try {
  const code = await main(process.argv.slice(2));
  if (code >= 0) process.exitCode = code;
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`meritlog: ${err.message}`);
    process.exitCode = 2;
  } else {
    console.error(`meritlog: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
