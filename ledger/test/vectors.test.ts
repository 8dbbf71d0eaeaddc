// Known-answer vectors (testdata/ledger/*.json) from RFC 6962 / transparency-dev/merkle,
// golang.org/x/mod/sumdb/note, C2SP signed-note, tlog-checkpoint and tlog-tiles.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_TREE_HASHER,
  EMPTY_ROOT,
  LedgerError,
  entriesPath,
  formatCheckpoint,
  leafHash,
  nodeHash,
  parseCheckpoint,
  parseTilePath,
  parseVerifierKey,
  partialTileWidth,
  tilePath,
  toBase64,
  toHex,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
  verifyReceipt,
  type Receipt,
  type TreeHasher,
} from "@meritlog/ledger/verify";
import { NODE_TREE_HASHER } from "@meritlog/ledger";

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../../testdata/ledger/${name}`, import.meta.url), "utf8")) as T;
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, "hex"));
const HASHERS: [string, TreeHasher][] = [
  ["portable", DEFAULT_TREE_HASHER],
  ["node:crypto", NODE_TREE_HASHER],
];

describe("RFC 6962 test tree", () => {
  const v = load<{ leafInputs: string[]; rootHashes: string[]; nodeHashes: string[][] }>("rfc6962-tree.json");
  // Naive MTH straight from RFC 9162 §2.1.1, independent of the library's tree code.
  const mth = (d: Uint8Array[]): Uint8Array => {
    if (d.length === 0) return EMPTY_ROOT;
    if (d.length === 1) return leafHash(d[0]!);
    let k = 1;
    while (k * 2 < d.length) k *= 2;
    return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
  };
  const leaves = v.leafInputs.map(hex);
  it("empty root is SHA-256 of the empty string", () => {
    expect(toHex(EMPTY_ROOT)).toBe(v.rootHashes[0]);
  });
  it.each(v.rootHashes.map((r, size) => ({ size, r })))("root of size $size", ({ size, r }) => {
    expect(toHex(mth(leaves.slice(0, size)))).toBe(r);
  });
  it("leaf hashes are the level-0 node hashes", () => {
    expect(leaves.map((l) => toHex(leafHash(l)))).toEqual(v.nodeHashes[0]);
  });
  it.each(HASHERS)("the %s hasher gives the vector roots", (_, h) => {
    const mthWith = (d: Uint8Array[]): Uint8Array => {
      if (d.length === 1) return h.hashLeaf(d[0]!);
      let k = 1;
      while (k * 2 < d.length) k *= 2;
      return h.hashChildren(mthWith(d.slice(0, k)), mthWith(d.slice(k)));
    };
    for (let size = 1; size < v.rootHashes.length; size++)
      expect(toHex(mthWith(leaves.slice(0, size)))).toBe(v.rootHashes[size]);
  });
});

describe("inclusion proofs", () => {
  const v = load<{
    cases: {
      desc: string;
      leafIndex: number;
      treeSize: number;
      leafHash: string;
      proof: string[];
      root: string;
      wantErr: boolean;
    }[];
  }>("inclusion.json");
  // Every hasher the code runs with (portable and node:crypto) goes through the same vectors.
  it.each(v.cases.flatMap((c) => HASHERS.map(([hasherName, hasher]) => ({ ...c, hasherName, hasher }))))(
    "$desc ($hasherName)",
    (c) => {
      expect(
        verifyInclusion(c.hasher, hex(c.leafHash), c.leafIndex, c.treeSize, c.proof.map(hex), hex(c.root)),
      ).toBe(!c.wantErr);
    },
  );
  it("rejects non-integer and non-array input without throwing", () => {
    const h = new Uint8Array(32);
    expect(verifyInclusion(DEFAULT_TREE_HASHER, h, 0.5, 1, [], h)).toBe(false);
    expect(verifyInclusion(DEFAULT_TREE_HASHER, h, -1, 1, [], h)).toBe(false);
    expect(verifyInclusion(DEFAULT_TREE_HASHER, h, 0, Number.NaN, [], h)).toBe(false);
    expect(verifyInclusion(DEFAULT_TREE_HASHER, h, 0, 1, "x" as unknown as Uint8Array[], h)).toBe(false);
    expect(verifyInclusion(DEFAULT_TREE_HASHER, h, 0, 2, ["x" as unknown as Uint8Array], h)).toBe(false);
  });
});

describe("consistency proofs", () => {
  const v = load<{
    cases: {
      desc: string;
      first: number;
      second: number;
      proof: string[];
      firstRoot: string;
      secondRoot: string;
      wantErr: boolean;
    }[];
  }>("consistency.json");
  it.each(v.cases.flatMap((c) => HASHERS.map(([hasherName, hasher]) => ({ ...c, hasherName, hasher }))))(
    "$desc ($hasherName)",
    (c) => {
      expect(
        verifyConsistency(c.hasher, c.first, c.second, c.proof.map(hex), hex(c.firstRoot), hex(c.secondRoot)),
      ).toBe(!c.wantErr);
    },
  );
});

describe("checkpoints", () => {
  const v = load<{
    cases: {
      desc: string;
      body: string;
      wantErr: boolean;
      origin?: string;
      size?: number;
      rootHash?: string;
      extensions?: string[];
    }[];
  }>("checkpoint.json");
  it.each(v.cases)("$desc", (c) => {
    if (c.wantErr) {
      expect(() => parseCheckpoint(c.body)).toThrow(
        expect.objectContaining({ code: "log.malformed_checkpoint" }),
      );
      return;
    }
    const cp = parseCheckpoint(c.body);
    expect({
      origin: cp.origin,
      size: cp.size,
      rootHash: toBase64(cp.rootHash),
      extensions: cp.extensions,
    }).toEqual({
      origin: c.origin,
      size: c.size,
      rootHash: c.rootHash,
      extensions: c.extensions,
    });
    expect(formatCheckpoint(cp)).toBe(c.body);
  });
});

describe("signed notes", () => {
  const v = load<{
    verifierKeys: { desc: string; key: string; wantErr: boolean; name?: string; keyId?: string }[];
    notes: {
      desc: string;
      note: string;
      verifiers: string[];
      wantErr: boolean;
      code: string;
      body?: string;
    }[];
  }>("signed-note.json");
  it.each(v.verifierKeys)("verifier key: $desc", (c) => {
    if (c.wantErr) {
      expect(() => parseVerifierKey(c.key)).toThrow(LedgerError);
      expect(() => parseVerifierKey(c.key)).toThrow(expect.objectContaining({ code: "log.malformed_key" }));
      return;
    }
    const k = parseVerifierKey(c.key);
    expect(k.name).toBe(c.name);
    expect(k.keyId.toString(16).padStart(8, "0")).toBe(c.keyId);
  });
  it.each(v.notes)("note: $desc", (c) => {
    const r = verifyNote(c.note, c.verifiers.map(parseVerifierKey));
    expect(r.ok).toBe(!c.wantErr);
    expect(r.code).toBe(c.code);
    if (c.body !== undefined) expect(r.body).toBe(c.body);
  });
  it("never throws for non-string notes", () => {
    expect(verifyNote(42 as unknown as string, []).code).toBe("note.malformed");
  });
});

describe("tile paths", () => {
  const v = load<{
    paths: { desc: string; level?: number; entries?: boolean; index: number; width?: number; path: string }[];
    badPaths: { desc: string; path: string }[];
    partialWidths: { desc: string; size: number; level: number; width: number }[];
  }>("tiles.json");
  it.each(v.paths)("encode $desc", (c) => {
    expect(c.entries ? entriesPath(c.index, c.width) : tilePath(c.level!, c.index, c.width)).toBe(c.path);
  });
  it.each(v.paths)("parse $desc", (c) => {
    expect(parseTilePath(c.path)).toEqual({
      kind: c.entries ? "entries" : "hash",
      level: c.level ?? 0,
      index: c.index,
      width: c.width ?? 256,
    });
  });
  it.each(v.badPaths)("reject $desc", (c) => {
    expect(() => parseTilePath(c.path)).toThrow(expect.objectContaining({ code: "log.bad_tile_path" }));
  });
  it.each(v.partialWidths)("$desc", (c) => {
    expect(partialTileWidth(c.level, c.size)).toBe(c.width);
  });
  it("rejects out-of-range arguments with a coded error", () => {
    expect(() => tilePath(64, 0)).toThrow(expect.objectContaining({ code: "log.bad_tile_path" }));
    expect(() => tilePath(0, -1)).toThrow(expect.objectContaining({ code: "log.bad_tile_path" }));
    expect(() => tilePath(0, 0, 0)).toThrow(expect.objectContaining({ code: "log.bad_tile_path" }));
  });
});

describe("receipts", () => {
  const v = load<{
    verifierKey: string;
    cases: { desc: string; receipt: unknown; verifierKey?: string; wantErr: boolean; code: string }[];
  }>("receipts.json");
  it.each(v.cases)("$desc", (c) => {
    const r = verifyReceipt(c.receipt as Receipt, c.verifierKey ?? v.verifierKey);
    expect(r.ok).toBe(!c.wantErr);
    expect(r.code).toBe(c.code);
  });
});
