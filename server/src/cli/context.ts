// What commands share: the configuration (read only when a command needs it, so `--help` has no
// side effects), the HTTP client for the running server, the admin token and the data folder.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Level } from "level";
import { configFromEnv, type ServerConfig } from "../config.js";
import { CliError } from "./errors.js";

let cached: ServerConfig | undefined;

/** The server's configuration from the environment. @throws CliError `cli.usage` for a bad variable */
export function config(): ServerConfig {
  try {
    cached ??= configFromEnv();
  } catch (cause) {
    throw new CliError("cli.usage", (cause as Error).message, { cause });
  }
  return cached;
}

/** The running server's base URL: `MERITLOG_URL`, else the configured public URL. */
export const serverUrl = (): string => (process.env.MERITLOG_URL ?? config().publicUrl).replace(/\/+$/, "");

/** The admin token from the environment or the data folder's `admin-token` file. */
export async function adminToken(): Promise<string> {
  const c = config();
  if (c.adminToken) return c.adminToken;
  try {
    return (await readFile(join(c.dataDir, "admin-token"), "utf8")).trim();
  } catch (cause) {
    throw new CliError(
      "cli.usage",
      "no admin token: set MERITLOG_ADMIN_TOKEN or run from the folder whose data/ holds admin-token",
      { cause },
    );
  }
}

/** An issuer token: `--token`, else `MERITLOG_TOKEN`. */
export const issuerToken = (flag: string | undefined): string | undefined =>
  flag ?? process.env.MERITLOG_TOKEN;

/**
 * Calls the running server's HTTP API and returns the parsed body.
 * @throws CliError `cli.unreachable` when nothing answers, `cli.refused` (with the problem's code) for 4xx/5xx
 */
export async function api(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<unknown> {
  const base = serverUrl();
  let res: Response;
  try {
    res = await fetch(base + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (cause) {
    throw new CliError(
      "cli.unreachable",
      `cannot reach the meritlog server at ${base} (${(cause as Error).message}); start it with npm start or set MERITLOG_URL`,
      { cause },
    );
  }
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json")) {
    try {
      parsed = JSON.parse(text);
    } catch (cause) {
      throw new CliError("cli.refused", `${res.status}: the server sent malformed JSON`, { cause });
    }
  }
  if (!res.ok) {
    const p = (parsed ?? {}) as { code?: unknown; detail?: unknown };
    const code = typeof p.code === "string" ? p.code : undefined;
    throw new CliError(
      "cli.refused",
      `${res.status} ${code ?? ""}: ${typeof p.detail === "string" ? p.detail : text}`,
      code === undefined ? {} : { problemCode: code },
    );
  }
  return parsed;
}

/** Prints a string as is and anything else as indented JSON. */
export const print = (v: unknown): void =>
  console.log(typeof v === "string" ? v : JSON.stringify(v, null, 2));

/** Reads a file the user named. @throws CliError `cli.usage` when it cannot be read */
export async function readUserFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    throw new CliError(
      "cli.usage",
      `cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`,
      { cause },
    );
  }
}

/** Parses JSON the user supplied. @throws CliError `cli.usage` when it is not JSON */
export function parseUserJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CliError("cli.usage", `${what} is not valid JSON`, { cause });
  }
}

/**
 * Opens the data folder's LevelDB (the server must be stopped: LevelDB admits one process).
 * @throws CliError `cli.data_unavailable`, recognised by classic-level's `LEVEL_LOCKED` code
 */
export async function openData(): Promise<Level<string, Uint8Array>> {
  const dir = config().dataDir;
  // Loaded here, not at start-up: `--help` and HTTP commands never load the LevelDB binding.
  const { Level } = await import("level");
  const db = new Level<string, Uint8Array>(join(dir, "db"), {
    keyEncoding: "utf8",
    valueEncoding: "view",
    createIfMissing: false,
  });
  try {
    await db.open();
  } catch (cause) {
    const inner = (cause as { cause?: { code?: unknown } }).cause;
    throw new CliError(
      "cli.data_unavailable",
      inner?.code === "LEVEL_LOCKED"
        ? `the data folder ${dir} is in use by a running server; stop it first (LevelDB admits one process)`
        : `cannot open the data folder ${dir}: ${String(inner ?? cause)}`,
      { cause },
    );
  }
  return db;
}
