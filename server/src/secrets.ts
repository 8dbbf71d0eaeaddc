import { randomBytes } from "node:crypto";
import { utf8 } from "@meritlog/core";
import { nodeSha256 } from "@meritlog/core/node";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** What first start produced or found, for the start-up message (never the secrets themselves). */
interface SecretsInfo {
  adminTokenFile?: string;
  adminTokenGenerated: boolean;
  secretFile?: string;
}

export interface Secrets {
  adminToken: string;
  /** 32 bytes that key the at-rest encryption of private keys. */
  atRestKey: Uint8Array;
  info: SecretsInfo;
}

async function readOrCreate(file: string, make: () => string): Promise<{ value: string; created: boolean }> {
  try {
    return { value: (await readFile(file, "utf8")).trim(), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const value = make();
  // "wx": never overwrite a file another process created meanwhile; 0600: only the service's user reads it.
  await writeFile(file, value + "\n", { mode: 0o600, flag: "wx" });
  return { value, created: true };
}

/**
 * Loads the admin token and the at-rest key: from the environment when given
 * (`MERITLOG_ADMIN_TOKEN`, `MERITLOG_SECRET`), otherwise from files in the data folder,
 * generated with mode 0600 on first start.
 */
export async function loadSecrets(
  dataDir: string,
  env: { adminToken?: string; secret?: string },
): Promise<Secrets> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const info: SecretsInfo = { adminTokenGenerated: false };
  let adminToken = env.adminToken;
  if (!adminToken) {
    info.adminTokenFile = join(dataDir, "admin-token");
    const r = await readOrCreate(info.adminTokenFile, () => `mla_${randomBytes(32).toString("base64url")}`);
    adminToken = r.value;
    info.adminTokenGenerated = r.created;
  }
  let secret = env.secret;
  if (!secret) {
    info.secretFile = join(dataDir, "secret.key");
    secret = (await readOrCreate(info.secretFile, () => randomBytes(32).toString("base64url"))).value;
  }
  // Any secret string is stretched to the 32-byte AES-256 key with SHA-256; generated ones carry 256 bits.
  const atRestKey = new Uint8Array(nodeSha256(utf8(secret)));
  return { adminToken, atRestKey, info };
}

/**
 * The at-rest key of an existing data folder, never generating one (fsck, restore): from
 * `MERITLOG_SECRET` when given, else the folder's `secret.key`. Undefined when neither exists.
 */
export async function readAtRestKey(dataDir: string, secret?: string): Promise<Uint8Array | undefined> {
  let s = secret;
  if (!s) {
    try {
      s = (await readFile(join(dataDir, "secret.key"), "utf8")).trim();
    } catch {
      return undefined;
    }
  }
  return new Uint8Array(nodeSha256(utf8(s)));
}
