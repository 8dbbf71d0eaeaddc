import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Level } from "level";
import { loadOrCreateLogSigner, openLog, type TransparencyLog } from "@meritlog/ledger";
import { createSecretBox } from "@meritlog/issuer";
import { parseTilePath } from "@meritlog/ledger/verify";
import { tileHasher } from "../src/tile-proof.js";

// The real transparency log (LevelDB, tiles) as the reference: proofs computed by the wallet from
// tiles must equal the log's own inclusion proofs, across tile boundaries and partial tiles.
let dir: string;
let db: Level<string, Uint8Array>;
let log: TransparencyLog;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wallet-tiles-"));
  db = new Level<string, Uint8Array>(join(dir, "db"), { keyEncoding: "utf8", valueEncoding: "view" });
  await db.open();
  const sub = (n: string) =>
    db.sublevel<string, Uint8Array>(n, { keyEncoding: "utf8", valueEncoding: "view" });
  const signer = await loadOrCreateLogSigner(
    sub("keys"),
    "wallet.test/log",
    createSecretBox(randomBytes(32)),
  );
  log = await openLog({ db: sub("log"), origin: "wallet.test/log", signer, batchMaxDelayMs: 1 });
}, 60_000);

afterAll(async () => {
  await log?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("inclusion proofs from hash tiles", () => {
  it("equal the log's own proofs for every leaf, at sizes around tile boundaries (partial tiles included)", async () => {
    const checked: number[] = [];
    let maxFetches = 0;
    for (const target of [1, 2, 3, 255, 256, 257, 511, 512, 513, 600]) {
      // Appended together, so the log commits them in a few group-commit batches (one fsync each)
      // rather than one fsync per entry; the log keeps their order, so entry i is leaf i.
      const from = log.size;
      await Promise.all(
        Array.from({ length: target - from }, (_, i) =>
          log.append(new TextEncoder().encode(`entry ${from + i}`)),
        ),
      );
      expect(log.size).toBe(target);
      const fetched: string[] = [];
      const hasher = tileHasher(
        {
          tile: async (path: string) => {
            fetched.push(path);
            const ref = parseTilePath(path);
            return log.tile(ref.level, ref.index, ref.width);
          },
        },
        log.size,
      );
      for (let m = 0; m < log.size; m++) {
        const mine = await hasher.inclusionProof(m);
        const theirs = await log.inclusionProof(m, log.size);
        expect(
          mine.map((h) => Buffer.from(h).toString("hex")),
          `leaf ${m} of ${log.size}`,
        ).toEqual(theirs.map((h) => Buffer.from(h).toString("hex")));
      }
      // Each tile is fetched once per tree size.
      expect(new Set(fetched).size).toBe(fetched.length);
      maxFetches = Math.max(maxFetches, fetched.length);
      checked.push(log.size);
    }
    expect(checked).toEqual([1, 2, 3, 255, 256, 257, 511, 512, 513, 600]);
    expect(maxFetches).toBeLessThanOrEqual(4);
  }, 60_000);
});
