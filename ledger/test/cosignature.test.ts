// C2SP tlog-cosignature / tlog-witness known-answer vectors (testdata/ledger/cosignature.json, its
// `source` names where each comes from), with corrupted negatives.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  LedgerError,
  cosignedMessage,
  parseAddCheckpoint,
  formatAddCheckpoint,
  parseCosignerKey,
  parseNote,
  parseTimestampedSignature,
  toHex,
  tryFromBase64,
  verifyCosignatures,
  verifyNote,
  parseVerifierKey,
} from "@meritlog/ledger/verify";

interface Vectors {
  source: string;
  cosignerKeys: { desc: string; key: string; wantErr: boolean; name?: string; keyId?: string }[];
  timestamps: { desc: string; signature: string; keyId?: string; timestamp?: number; wantErr: boolean }[];
  message: { body: string; timestamp: number; want: string };
  witnessRequest: { body: string; oldSize: number; proofLength: number; origin: string; size: number };
  cosigner: string;
  notes: { desc: string; note: string; wantValid: boolean; timestamp?: number; absent?: boolean }[];
}
const v = JSON.parse(
  readFileSync(new URL("../../testdata/ledger/cosignature.json", import.meta.url), "utf8"),
) as Vectors;

describe("cosigner keys (type 0x04, key ID = SHA-256(name || \\n || 0x04 || key)[:4])", () => {
  for (const k of v.cosignerKeys) {
    it(k.desc, () => {
      if (k.wantErr) {
        expect(() => parseCosignerKey(k.key)).toThrow(LedgerError);
        return;
      }
      const p = parseCosignerKey(k.key);
      expect(p.name).toBe(k.name);
      expect(p.keyId.toString(16).padStart(8, "0")).toBe(k.keyId);
      expect(p.verifierKey).toBe(k.key);
    });
  }
  it("a log key (0x01) and the same key as a cosigner (0x04) have different key IDs", () => {
    const log = parseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
    const co = parseCosignerKey(v.cosigner);
    expect(toHex(co.publicKey)).toBe(toHex(log.publicKey));
    expect(co.keyId).not.toBe(log.keyId);
  });
});

describe("timestamped_signature", () => {
  for (const t of v.timestamps) {
    it(t.desc, () => {
      const raw = tryFromBase64(t.signature)!;
      const parsed = parseTimestampedSignature(raw.subarray(4));
      if (t.wantErr) {
        expect(parsed).toBeUndefined();
        return;
      }
      expect(toHex(raw.subarray(0, 4))).toBe(t.keyId);
      expect(Number(parsed!.timestamp)).toBe(t.timestamp);
    });
  }
});

describe("signed message", () => {
  it("is the spec's example byte for byte", () => {
    expect(new TextDecoder().decode(cosignedMessage(v.message.body, v.message.timestamp))).toBe(
      v.message.want,
    );
  });
  it("refuses a body without its final newline", () => {
    expect(() => cosignedMessage(v.message.body.slice(0, -1), 1)).toThrow(LedgerError);
  });
});

describe("add-checkpoint request body", () => {
  it("parses the tlog-witness example and formats it back", () => {
    const r = parseAddCheckpoint(v.witnessRequest.body);
    expect(r.oldSize).toBe(v.witnessRequest.oldSize);
    expect(r.proof).toHaveLength(v.witnessRequest.proofLength);
    const { body, signatures } = parseNote(r.checkpoint);
    expect(body.split("\n")[0]).toBe(v.witnessRequest.origin);
    expect(signatures).toHaveLength(2);
    expect(formatAddCheckpoint(r)).toBe(v.witnessRequest.body);
  });
  const bad: [string, string][] = [
    ["leading zero in old size", v.witnessRequest.body.replace("old 20852014", "old 020852014")],
    ["no old line", v.witnessRequest.body.replace("old 20852014\n", "")],
    [
      "proof line not base64 of 32 bytes",
      v.witnessRequest.body.replace("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=", "PlRNCrwH"),
    ],
    ["no empty line", "old 0\n"],
    ["64 proof lines", `old 1\n${"PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n".repeat(64)}\nx\n`],
  ];
  for (const [desc, body] of bad) {
    it(`refuses: ${desc}`, () => {
      expect(() => parseAddCheckpoint(body)).toThrow(expect.objectContaining({ code: "log.bad_request" }));
    });
  }
});

describe("cosigned notes", () => {
  const key = parseCosignerKey(v.cosigner);
  for (const n of v.notes) {
    it(n.desc, () => {
      const r = verifyCosignatures(n.note, [key]);
      expect(r.ok).toBe(n.wantValid);
      expect(r.cosigners[0]!.state).toBe(n.wantValid ? "valid" : n.absent ? "absent" : "invalid");
      if (n.timestamp !== undefined) expect(r.cosigners[0]!.timestamp).toBe(n.timestamp);
    });
  }
  it("a future timestamp is refused when the caller gives a clock", () => {
    const r = verifyCosignatures(v.notes[0]!.note, [key], { maxTimestamp: 1679315146 });
    expect(r.ok).toBe(false);
  });
  it("quorum 0 of 1 is satisfied without any cosignature; an unknown cosigner's line is ignored", () => {
    const absent = v.notes.find((n) => n.absent)!;
    expect(verifyCosignatures(absent.note, [key], { quorum: 0 }).ok).toBe(true);
    const other = parseCosignerKey(v.cosignerKeys[0]!.key);
    const r = verifyCosignatures(v.notes[0]!.note, [other, key], { quorum: 1 });
    expect(r.ok).toBe(true);
    expect(r.cosigners.map((c) => c.state)).toEqual(["absent", "valid"]);
  });
  it("never throws on garbage", () => {
    expect(verifyCosignatures("not a note", [key]).code).toBe("cosignature.malformed");
  });
  it("the log's own signature check ignores cosignature lines", () => {
    // The spec example log signature does not verify under any key we hold; with the cosigner's
    // key as if it were a log key (type 0x01) no line matches, so the note is "unknown key".
    const asLog = parseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
    expect(verifyNote(v.notes[0]!.note, [asLog]).code).toBe("note.unknown_key");
  });
});
