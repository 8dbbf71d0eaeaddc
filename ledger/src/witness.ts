// meritlog as a C2SP tlog-witness for other logs: checks each submitted checkpoint against the
// latest one it cosigned for that origin (RFC 6962 §2.1.2 consistency), stores the new one with a
// synced write, and only then returns its cosignature (C2SP tlog-cosignature, Ed25519 v1). So it
// never cosigns two views of one log: a checkpoint inconsistent with what it cosigned is refused.
import { generateKeyPairSync, verify as edVerify, type KeyObject } from "node:crypto";
import { ed25519PublicKey, ed25519Seed } from "@meritlog/core/node";
import { LedgerError } from "./errors.js";
import { createNoteSigner, type SecretBox } from "./signer.js";
import { ENC, SYNC_WRITE, type LedgerDb } from "./store.js";
import { parseCheckpoint } from "./verify/checkpoint.js";
import { verifyConsistency } from "./verify/consistency.js";
import {
  cosignedMessage,
  cosignerKey,
  formatCosignatureLine,
  type CosignerKey,
} from "./verify/cosignature.js";
import { bytesEqual, toBase64, tryFromBase64, tryUtf8Decode, utf8 } from "./verify/encoding.js";
import { parseNote, parseVerifierKey, verifyNote, type NoteVerifier } from "./verify/note.js";
import { parseAddCheckpoint } from "./verify/witness-request.js";
import { NODE_TREE_HASHER } from "./node-hashing.js";

const keyObjects = new Map<string, KeyObject>();

/**
 * Ed25519 verification on node:crypto with cached KeyObjects: ~10× faster than @noble's sync
 * verify (DEPENDENCIES.md "Speeds"), for the server side of witnessing.
 */
export function nodeEd25519Verify(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const id = Buffer.from(publicKey).toString("hex");
  let key = keyObjects.get(id);
  if (key === undefined) {
    key = ed25519PublicKey(publicKey);
    if (keyObjects.size >= 1024) keyObjects.clear();
    keyObjects.set(id, key);
  }
  try {
    return edVerify(null, message, key, signature);
  } catch {
    return false;
  }
}

/** A signed-note verifier like `parseVerifierKey`'s, verifying on node:crypto. */
function nodeNoteVerifier(vkey: string): NoteVerifier {
  const v = parseVerifierKey(vkey);
  return {
    name: v.name,
    keyId: v.keyId,
    publicKey: v.publicKey,
    verify: (m, sig) => nodeEd25519Verify(sig, m, v.publicKey),
  };
}

/** Storage key of the witness's Ed25519 seed in the keys sublevel (sealed like `key/log`). */
export const WITNESS_KEY_KEY = "key/witness";

/** A cosigner: the witness's public key and a signer over cosigned messages. */
export interface Cosigner {
  readonly key: CosignerKey;
  /** Signs `cosignature/v1` messages (node:crypto, cached KeyObject). */
  sign(message: Uint8Array): Uint8Array;
}

/**
 * A cosigner for a name and a 32-byte Ed25519 seed.
 * @throws LedgerError `log.malformed_key`
 */
export function createCosigner(name: string, seed: Uint8Array): Cosigner {
  // createNoteSigner holds the node:crypto KeyObject; only the key ID differs (type 0x04, not 0x01).
  const s = createNoteSigner(name, seed);
  return { key: cosignerKey(name, s.publicKey), sign: (m) => s.sign(m) };
}

/**
 * Loads the witness key from `db` (sealed with `box`), generating it on first start. It is a key of
 * its own, never the log key: an Ed25519 cosignature does not commit to the cosigner's name, so one
 * key must not serve two roles (tlog-cosignature "Ed25519 signed message").
 * @throws LedgerError `log.corrupt` when the stored key does not open
 */
export async function loadOrCreateWitnessCosigner(
  db: LedgerDb,
  name: string,
  box: SecretBox,
): Promise<Cosigner> {
  const sealed = (await db.get(WITNESS_KEY_KEY, ENC)) as Uint8Array | undefined;
  if (sealed !== undefined) {
    let seed: Uint8Array;
    try {
      seed = box.open(sealed);
    } catch (cause) {
      throw new LedgerError("log.corrupt", "the stored witness key does not open with this secret", {
        cause,
      });
    }
    if (seed.length !== 32) throw new LedgerError("log.corrupt", "the stored witness key is malformed");
    return createCosigner(name, seed);
  }
  const seed = ed25519Seed(generateKeyPairSync("ed25519").privateKey);
  await db.put(WITNESS_KEY_KEY, box.seal(seed), SYNC_WRITE);
  return createCosigner(name, seed);
}

/** What the witness answers; the route copies it onto the HTTP reply. */
export type WitnessReply =
  | { status: 200; contentType: "text/plain; charset=utf-8"; body: string }
  | { status: 409; contentType: "text/x.tlog.size"; body: string };

/** The latest checkpoint the witness cosigned for one log. */
export interface WitnessedState {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** The checkpoint note as submitted (the evidence, should the log later show another tree). */
  checkpoint: string;
}

export interface WitnessOptions {
  /** A sublevel of its own (`state/<origin>` records). */
  db: LedgerDb;
  cosigner: Cosigner;
  /** Verifier keys of the logs witnessed; each key's name is the log's origin (tlog-checkpoint). */
  logs: readonly string[];
  /** POSIX seconds for the cosignature's `time` (default: the system clock). */
  now?: () => number;
}

/** A tlog-witness. */
export interface Witness {
  readonly key: CosignerKey;
  /** The witnessed logs' verifier keys. */
  readonly logs: readonly string[];
  /**
   * Handles an add-checkpoint request body (c2sp.org/tlog-witness "add-checkpoint"). Resolves
   * with the cosignature only after the new state is durably stored.
   * @throws LedgerError `log.bad_request` (400), `witness.unknown_log` (404), `witness.bad_signature`
   *   (403), `witness.bad_proof` (422), `witness.fork` (409: same size, another root)
   */
  addCheckpoint(body: string): Promise<WitnessReply>;
  /** The latest cosigned checkpoint of `origin`, if any. */
  state(origin: string): Promise<WitnessedState | undefined>;
  /**
   * Refused checkpoints of `origin` that its own key signed (newest last, at most 100 kept per
   * origin): with the checkpoint cosigned before, proof that the log showed two trees.
   */
  evidence(origin: string): Promise<WitnessEvidence[]>;
}

/** A validly signed checkpoint the witness refused, kept as evidence of log misbehaviour. */
export interface WitnessEvidence {
  at: string;
  code: "witness.fork" | "witness.bad_proof";
  oldSize: number;
  /** The refused checkpoint note, as submitted. */
  submitted: string;
  /** The checkpoint the witness had cosigned (what the refused one contradicts). */
  cosigned: string;
}

const stateKey = (origin: string): string => `state/${origin}`;
// `evidence/<origin>\n<13-digit ms><seq>`: '\n' never occurs in an origin, so prefixes do not overlap.
const evidencePrefix = (origin: string): string => `evidence/${origin}\n`;
const MAX_EVIDENCE = 100;

/**
 * Opens a witness over `db`.
 * @throws LedgerError `log.malformed_key` for a malformed log key in `logs`
 */
export function createWitness(o: WitnessOptions): Witness {
  const byOrigin = new Map<string, NoteVerifier[]>();
  for (const vkey of o.logs) {
    const v = nodeNoteVerifier(vkey);
    byOrigin.set(v.name, [...(byOrigin.get(v.name) ?? []), v]);
  }
  const now = o.now ?? (() => Math.floor(Date.now() / 1000));
  // Checking the old size and storing the new checkpoint must be one atomic step, or two requests
  // could roll the state back (tlog-witness "add-checkpoint", the race of requests A and B).
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = chain.then(f, f);
    chain = run.catch(() => undefined);
    return run;
  };

  async function state(origin: string): Promise<WitnessedState | undefined> {
    const raw = (await o.db.get(stateKey(origin), ENC)) as Uint8Array | undefined;
    if (raw === undefined) return undefined;
    const corrupt = (): never => {
      throw new LedgerError("log.corrupt", `stored witness state of ${origin} is unreadable`);
    };
    let j: { size?: unknown; root?: unknown; checkpoint?: unknown };
    try {
      j = JSON.parse(tryUtf8Decode(raw) ?? "") as typeof j;
    } catch {
      return corrupt();
    }
    const root = typeof j.root === "string" ? tryFromBase64(j.root) : undefined;
    if (!Number.isSafeInteger(j.size) || root?.length !== 32 || typeof j.checkpoint !== "string")
      return corrupt();
    return { origin, size: j.size as number, rootHash: root, checkpoint: j.checkpoint };
  }

  let seq = 0;
  async function keepEvidence(
    code: WitnessEvidence["code"],
    oldSize: number,
    submitted: string,
    prev: WitnessedState,
  ): Promise<void> {
    // "the witness MAY log the request even if the consistency proof doesn't verify (but MUST NOT
    // cosign the checkpoint) as it might be proof of log misbehavior" (tlog-witness).
    const at = new Date();
    const key = `${evidencePrefix(prev.origin)}${String(at.getTime()).padStart(13, "0")}${String(seq++ % 1000).padStart(3, "0")}`;
    const rec: WitnessEvidence = {
      at: at.toISOString(),
      code,
      oldSize,
      submitted,
      cosigned: prev.checkpoint,
    };
    try {
      await o.db.put(key, utf8(JSON.stringify(rec)), SYNC_WRITE);
      const keys: string[] = [];
      for await (const k of o.db.keys({
        gt: evidencePrefix(prev.origin),
        lt: `${evidencePrefix(prev.origin)}\uffff`,
        keyEncoding: "utf8",
      }))
        keys.push(k as string);
      for (const k of keys.slice(0, Math.max(0, keys.length - MAX_EVIDENCE))) await o.db.del(k, ENC);
    } catch {
      // Evidence is best effort: the refusal itself stands either way.
    }
  }

  async function evidence(origin: string): Promise<WitnessEvidence[]> {
    const out: WitnessEvidence[] = [];
    for await (const v of o.db.values({
      gt: evidencePrefix(origin),
      lt: `${evidencePrefix(origin)}\uffff`,
      ...ENC,
    })) {
      try {
        out.push(JSON.parse(tryUtf8Decode(v as Uint8Array) ?? "") as WitnessEvidence);
      } catch {
        // skip an unreadable record
      }
    }
    return out;
  }

  async function addCheckpoint(body: string): Promise<WitnessReply> {
    const req = parseAddCheckpoint(body);
    let cpBody: string;
    try {
      cpBody = parseNote(req.checkpoint).body;
    } catch (cause) {
      throw new LedgerError("log.bad_request", "the checkpoint is not a signed note", { cause });
    }
    const cp = parseCheckpoint(cpBody); // log.malformed_checkpoint (400)
    const verifiers = byOrigin.get(cp.origin);
    if (verifiers === undefined)
      throw new LedgerError("witness.unknown_log", `this witness does not witness the log "${cp.origin}"`);
    // "MUST ignore signatures from unknown keys"; none verifying → 403.
    const sig = verifyNote(req.checkpoint, verifiers);
    if (!sig.ok)
      throw new LedgerError(
        "witness.bad_signature",
        `the checkpoint is not signed by a key of "${cp.origin}" this witness trusts`,
      );
    if (req.oldSize > cp.size)
      throw new LedgerError(
        "log.bad_request",
        `old size ${req.oldSize} is above the checkpoint size ${cp.size}`,
      );
    return await serial(async (): Promise<WitnessReply> => {
      const prev = await state(cp.origin);
      const prevSize = prev?.size ?? 0;
      if (req.oldSize !== prevSize)
        return { status: 409, contentType: "text/x.tlog.size", body: `${prevSize}\n` };
      if (req.oldSize === 0) {
        // "The proof MUST be empty if the old size is zero."
        if (req.proof.length > 0)
          throw new LedgerError("witness.bad_proof", "a consistency proof from size 0 must be empty");
      } else if (req.oldSize === cp.size) {
        if (!bytesEqual(prev!.rootHash, cp.rootHash)) {
          await keepEvidence("witness.fork", req.oldSize, req.checkpoint, prev!);
          throw new LedgerError(
            "witness.fork",
            `this witness cosigned another root hash for size ${cp.size} of "${cp.origin}": the log shows two trees`,
          );
        }
        if (req.proof.length > 0)
          throw new LedgerError("witness.bad_proof", "a consistency proof between equal sizes must be empty");
      } else if (
        !verifyConsistency(NODE_TREE_HASHER, req.oldSize, cp.size, req.proof, prev!.rootHash, cp.rootHash)
      ) {
        await keepEvidence("witness.bad_proof", req.oldSize, req.checkpoint, prev!);
        throw new LedgerError(
          "witness.bad_proof",
          `the consistency proof from size ${req.oldSize} to ${cp.size} does not verify against the checkpoint this witness cosigned`,
        );
      }
      if (prev === undefined || cp.size > prev.size) {
        // Durable before the cosignature leaves (tlog-witness: "MUST persist the new checkpoint before responding").
        const rec = JSON.stringify({
          v: 1,
          size: cp.size,
          root: toBase64(cp.rootHash),
          checkpoint: req.checkpoint,
        });
        await o.db.put(stateKey(cp.origin), utf8(rec), SYNC_WRITE);
      }
      const t = now();
      const line = formatCosignatureLine(o.cosigner.key, t, o.cosigner.sign(cosignedMessage(cpBody, t)));
      return { status: 200, contentType: "text/plain; charset=utf-8", body: line };
    });
  }

  return { key: o.cosigner.key, logs: [...o.logs], addCheckpoint, state, evidence };
}
