// Checked values (value-codec.ts): every log value and credential record carries a CRC-32 header
// checked on every read, so a bit flipped on disk is refused rather than served (issue 9).
import { afterEach, describe, expect, it } from "vitest";
import { checkValue, checkedEncoding, createNoteSigner, openLog, openValue } from "@meritlog/ledger";
import { enc, filledLog, removeDir, type TempDb } from "./helpers.js";

const RAW = { keyEncoding: "utf8", valueEncoding: "view" } as const;
const sealed = checkedEncoding({ name: "raw", encode: (v: Uint8Array) => v, decode: (v) => v });
const seal = (v: Uint8Array): Uint8Array => sealed.encode(v);
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

const ORIGIN = "meritlog.test/log";
const signer = createNoteSigner(ORIGIN, new Uint8Array(32).fill(7));
const dbs: TempDb[] = [];
afterEach(async () => {
  for (const t of dbs.splice(0)) {
    await t.close();
    removeDir(t.dir);
  }
});

describe("checked value format", () => {
  it("is magic C5 4D 4C 01, the CRC-32 of the payload (big-endian), then the payload", () => {
    // Known answer: the CRC-32 (ISO-HDLC) check value of "123456789" is CBF43926.
    expect(hex(seal(enc("123456789")))).toBe(`c54d4c01cbf43926${hex(enc("123456789"))}`);
    expect(hex(seal(new Uint8Array(0)))).toBe("c54d4c0100000000");
    expect(hex(openValue(seal(enc("123456789"))))).toBe(hex(enc("123456789")));
    expect(checkValue(seal(enc("x"))).kind).toBe("checked");
  });

  it("is the same bytes when the inner encoding writes after the header's room in a shared buffer", () => {
    // encodeAfter(v, reserve): the inner bytes start `reserve` bytes in; here inside a larger pool
    // buffer at a non-zero offset, as Buffer.allocUnsafe hands out small buffers.
    const inPlace = checkedEncoding({
      name: "raw-after",
      encode: (v: Uint8Array) => v,
      encodeAfter: (v: Uint8Array, reserve: number) => {
        const pool = new Uint8Array(64 + reserve + v.length).fill(0xee);
        const out = pool.subarray(13, 13 + reserve + v.length);
        out.set(v, reserve);
        return out;
      },
      decode: (v) => v,
    });
    for (const v of [enc("123456789"), new Uint8Array(0), enc("— two-byte text ✓")])
      expect(hex(inPlace.encode(v))).toBe(hex(seal(v)));
  });

  it("refuses every single-bit flip of a sealed value, header included", () => {
    const payload = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 255);
    const good = seal(payload);
    for (let bit = 0; bit < good.length * 8; bit++) {
      const bad = Uint8Array.from(good);
      bad[bit >> 3]! ^= 1 << (bit & 7);
      const c = checkValue(bad);
      expect(c.kind, `bit ${bit}`).toBe("damaged");
      expect(() => openValue(bad)).toThrow(expect.objectContaining({ code: "log.corrupt" }));
    }
  });

  it("refuses a zeroed range and a truncated value", () => {
    const good = seal(Uint8Array.from({ length: 300 }, (_, i) => i & 255));
    const zeroed = Uint8Array.from(good);
    zeroed.fill(0, 100, 132);
    expect(checkValue(zeroed).kind).toBe("damaged");
    expect(checkValue(good.subarray(0, good.length - 1)).kind).toBe("damaged");
  });

  it("reads values written before the header (legacy) as they are", () => {
    for (const legacy of [
      enc('{"v":1,"size":0}'),
      new Uint8Array(32).fill(0xab), // a tile hash
      Uint8Array.of(0x01, 0, 0, 0, 2, 0x7b, 0x7d), // a binary credential record
      new Uint8Array(0),
      Uint8Array.of(0xc5, 0x4d), // shorter than a header
      // Close to the magic, but bytes 4..8 are not the CRC of the rest: legacy, not damage.
      Uint8Array.of(0xc5, 0x4d, 0x4c, 0x00, 1, 2, 3, 4, 5, 6),
    ]) {
      const c = checkValue(legacy);
      expect(c.kind).toBe("legacy");
      expect(hex(openValue(legacy))).toBe(hex(legacy));
    }
  });
});

describe("a log over checked values", () => {
  async function filled(n: number): Promise<TempDb> {
    const t = await filledLog(n, signer);
    dbs.push(t);
    return t;
  }
  async function flip(t: TempDb, key: string, byte: number): Promise<void> {
    const v = Uint8Array.from((await t.db.get(key, RAW)) as Uint8Array);
    v[byte]! ^= 4;
    await t.db.put(key, v, RAW);
  }
  const isCorrupt = expect.objectContaining({
    code: "LEVEL_DECODE_ERROR",
    cause: expect.objectContaining({ code: "log.corrupt" }),
  });

  it("stores every record with the header", async () => {
    const t = await filled(300);
    for (const key of [
      "state",
      "t/0/0000000000000",
      "t/0/0000000000001",
      "e/0000000000000",
      "e/0000000000001",
    ])
      expect(checkValue((await t.db.get(key, RAW)) as Uint8Array).kind, key).toBe("checked");
  });

  it("refuses to serve a full tile, bundle, entry or proof over a flipped bit; undamaged records still serve", async () => {
    const t = await filled(600);
    await flip(t, "t/0/0000000000000", 200);
    await flip(t, "e/0000000000001", 50);
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, syncReads: false, batchMaxDelayMs: 0 });
    try {
      await expect(log.tile(0, 0)).rejects.toThrow(isCorrupt);
      await expect(log.inclusionProof(3, 600)).rejects.toThrow(isCorrupt);
      await expect(log.entryBundle(1)).rejects.toThrow(isCorrupt);
      await expect(log.entry(300)).rejects.toThrow(isCorrupt);
      // Undamaged records still serve.
      expect((await log.tile(0, 1)).length).toBe(256 * 32);
      expect(new TextDecoder().decode(await log.entry(5))).toBe("entry 5");
    } finally {
      await log.close();
    }
  });

  it("refuses to open (and so to sign) over a damaged state or right-edge record", async () => {
    for (const key of ["state", "t/0/0000000000002", "e/0000000000002"]) {
      const t = await filled(600);
      await flip(t, key, 20);
      await expect(openLog({ db: t.db, origin: ORIGIN, signer }), key).rejects.toThrow(isCorrupt);
    }
  });

  it("opens a log written before the header and keeps serving it", async () => {
    const t = await filled(300);
    // Rewrite every record without its header, as a data folder from before this format holds.
    for await (const [k, v] of t.db.iterator(RAW) as AsyncIterable<[string, Uint8Array]>)
      await t.db.put(k, openValue(v), RAW);
    expect(checkValue((await t.db.get("state", RAW)) as Uint8Array).kind).toBe("legacy");
    const log = await openLog({ db: t.db, origin: ORIGIN, signer, batchMaxDelayMs: 0 });
    try {
      expect(log.size).toBe(300);
      expect(new TextDecoder().decode(await log.entry(299))).toBe("entry 299");
      expect((await log.inclusionProof(7)).length).toBeGreaterThan(0);
      await log.append(enc("entry 300"));
      // What is written from now on carries the header.
      expect(checkValue((await t.db.get("state", RAW)) as Uint8Array).kind).toBe("checked");
      expect(checkValue((await t.db.get("e/0000000000001", RAW)) as Uint8Array).kind).toBe("checked");
    } finally {
      await log.close();
    }
  });
});
