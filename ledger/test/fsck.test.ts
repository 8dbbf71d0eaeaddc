// fsckLog recomputes tiles and the root from stored entries and reports the first inconsistency.
import { afterEach, describe, expect, it } from "vitest";
import { checkedEncoding, createNoteSigner, fsckLog } from "@meritlog/ledger";
import { toBase64 } from "@meritlog/ledger/verify";
import { enc, filledLog, removeDir, tempDb, type TempDb } from "./helpers.js";

const ORIGIN = "meritlog.test/log";
const signer = createNoteSigner(ORIGIN, new Uint8Array(32).fill(5));
/** The raw stored bytes (header included), as the disk holds them. */
const ENC = { keyEncoding: "utf8", valueEncoding: "view" } as const;
/** The log's own value format (CRC-32 header sealed on write, checked on read). */
const SEALED = {
  keyEncoding: "utf8",
  valueEncoding: checkedEncoding({ name: "raw", encode: (v: Uint8Array) => v, decode: (v) => v }),
} as const;
const dbs: TempDb[] = [];
afterEach(async () => {
  for (const t of dbs.splice(0)) {
    await t.close();
    removeDir(t.dir);
  }
});

async function filled(n: number): Promise<TempDb> {
  const t = await filledLog(n, signer);
  dbs.push(t);
  return t;
}

/** Flips one bit of a stored record's bytes on disk, as silent disk corruption would. */
async function flipBit(t: TempDb, key: string, byte: number): Promise<void> {
  const value = Uint8Array.from((await t.db.get(key, ENC)) as Uint8Array);
  value[byte]! ^= 1;
  await t.db.put(key, value, ENC);
}

/** Rewrites a record with one bit of its content flipped and a fresh, valid header (a bad writer, not a bad disk). */
async function alter(t: TempDb, key: string, byte: number): Promise<void> {
  const value = Uint8Array.from((await t.db.get(key, SEALED)) as Uint8Array);
  value[byte]! ^= 1;
  await t.db.put(key, value, SEALED);
}

describe("fsckLog", () => {
  it("passes a healthy log with the stored or the given key", async () => {
    const t = await filled(4200);
    const r = await fsckLog(t.db, signer.verifierKey);
    expect(r).toMatchObject({
      ok: true,
      size: 4200,
      verifierKeySource: "argument",
      checked: { entries: 4200 },
    });
    expect(r.checked.records).toBeGreaterThan(4200 / 256);
    expect((await fsckLog(t.db)).ok).toBe(true);
    const empty = await filled(0);
    expect(await fsckLog(empty.db)).toMatchObject({
      ok: true,
      size: 0,
      rootHash: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
    });
  });

  it("names each record a flipped bit on disk damaged (tile, bundle, state, header)", async () => {
    for (const [key, byte, where] of [
      ["t/0/0000000000001", 100, { level: 0, index: 1 }],
      ["e/0000000000000", 12, { index: 0 }],
      ["state", 30, {}],
      ["t/0/0000000000000", 1, { level: 0, index: 0 }], // inside the header's magic
      ["t/0/0000000000000", 6, { level: 0, index: 0 }], // inside the header's CRC
    ] as const) {
      const t = await filled(600);
      await flipBit(t, key, byte);
      const r = await fsckLog(t.db);
      expect(r.ok).toBe(false);
      expect(r.firstError).toMatchObject({ code: "fsck.record_damaged", ...where });
      expect(r.firstError!.message).toContain(key);
    }
  });

  it("reports a stored tile that differs from the entries", async () => {
    const t = await filled(600);
    await alter(t, "t/0/0000000000001", 100);
    expect((await fsckLog(t.db)).firstError).toMatchObject({
      code: "fsck.tile_mismatch",
      level: 0,
      index: 1,
    });
  });

  it("reports an altered entry", async () => {
    const t = await filled(600);
    await alter(t, "e/0000000000000", 5);
    expect((await fsckLog(t.db)).firstError).toMatchObject({
      code: "fsck.tile_mismatch",
      level: 0,
      index: 0,
    });
  });

  it("reports a missing bundle, a foreign key and a missing log", async () => {
    const t = await filled(600);
    await t.db.del("e/0000000000001", ENC);
    expect((await fsckLog(t.db)).firstError).toMatchObject({ code: "fsck.bundle_missing", index: 1 });
    const other = createNoteSigner(ORIGIN, new Uint8Array(32).fill(6));
    expect((await fsckLog(t.db, other.verifierKey)).firstError).toMatchObject({
      code: "fsck.checkpoint_signature",
    });
    expect((await fsckLog(t.db, "not a key")).firstError).toMatchObject({ code: "fsck.bad_verifier_key" });
    const fresh = await tempDb();
    dbs.push(fresh);
    expect((await fsckLog(fresh.db)).firstError).toMatchObject({ code: "fsck.no_log" });
  });

  it("reports a state whose edge disagrees with the entries", async () => {
    const t = await filled(300);
    const raw = JSON.parse(Buffer.from((await t.db.get("state", SEALED)) as Uint8Array).toString()) as {
      edge: string[];
    };
    raw.edge[0] = toBase64(new Uint8Array(32));
    await t.db.put("state", enc(JSON.stringify(raw)), SEALED);
    expect((await fsckLog(t.db)).firstError?.code).toBe("fsck.root_mismatch");
  });
});
