// Test helpers: a real LevelDB in a temp dir and a small AES-256-GCM SecretBox.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { openLog, type LedgerDb, type NoteSigner, type SecretBox } from "@meritlog/ledger";

export function testBox(key: Uint8Array = randomBytes(32)): SecretBox {
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, iv);
      return Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]);
    },
    open(sealed) {
      const d = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      return Buffer.concat([d.update(sealed.subarray(12, sealed.length - 16)), d.final()]);
    },
  };
}

export interface TempDb {
  dir: string;
  level: Level<string, Uint8Array>;
  db: LedgerDb;
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** A LevelDB in a fresh temp dir with the `log` sublevel the server uses. */
export async function tempDb(): Promise<TempDb> {
  const dir = mkdtempSync(join(tmpdir(), "meritlog-ledger-"));
  const t: TempDb = {
    dir,
    level: undefined as unknown as Level<string, Uint8Array>,
    db: undefined as unknown as LedgerDb,
    async reopen() {
      t.level = new Level<string, Uint8Array>(dir, { keyEncoding: "utf8", valueEncoding: "view" });
      await t.level.open();
      t.db = t.level.sublevel<string, Uint8Array>("log", { keyEncoding: "utf8", valueEncoding: "view" });
    },
    async close() {
      await t.level.close();
    },
  };
  await t.reopen();
  return t;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A temp database holding a closed log of `n` entries ("entry 0" …) signed by `signer` (origin = its name). */
export async function filledLog(n: number, signer: NoteSigner): Promise<TempDb> {
  const t = await tempDb();
  const log = await openLog({ db: t.db, origin: signer.name, signer, batchMaxDelayMs: 0, batchMaxSize: 100 });
  await Promise.all(Array.from({ length: n }, (_, i) => log.append(enc(`entry ${i}`))));
  await log.close();
  return t;
}
