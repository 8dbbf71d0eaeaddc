// C2SP tlog-witness `add-checkpoint` request bodies: `old <size>`, up to 63 base64 consistency
// proof lines, an empty line, then the signed checkpoint note. Pure, browser-safe.
import { LedgerError } from "../errors.js";
import { HASH_SIZE } from "./hashing.js";
import { toBase64, tryFromBase64 } from "./encoding.js";

/** "The client MUST NOT send more than 63 consistency proof lines." */
export const MAX_PROOF_LINES = 63;

/** A parsed add-checkpoint request. */
export interface AddCheckpointRequest {
  oldSize: number;
  proof: Uint8Array[];
  /** The signed checkpoint note, as sent (it may carry several signatures). */
  checkpoint: string;
}

/**
 * Parses an add-checkpoint request body (tlog-witness "add-checkpoint").
 * @throws LedgerError `log.bad_request` for anything that is not that shape
 */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const bad = (why: string): never => {
    throw new LedgerError("log.bad_request", `malformed add-checkpoint request: ${why}`);
  };
  if (typeof body !== "string") bad("not text");
  const blank = body.indexOf("\n\n");
  if (blank < 0) bad("no empty line before the checkpoint");
  const head = body.slice(0, blank).split("\n");
  const checkpoint = body.slice(blank + 2);
  const m = /^old (0|[1-9][0-9]*)$/.exec(head[0] ?? "");
  if (!m) bad("the first line must be `old <size>` in decimal without leading zeroes");
  const oldSize = Number(m![1]);
  if (!Number.isSafeInteger(oldSize)) bad("old size too large");
  const lines = head.slice(1);
  if (lines.length > MAX_PROOF_LINES) bad(`more than ${MAX_PROOF_LINES} consistency proof lines`);
  const proof = lines.map((l) => {
    const h = tryFromBase64(l);
    return h !== undefined && h.length === HASH_SIZE
      ? h
      : bad("a consistency proof line is not a base64 SHA-256 hash");
  });
  if (checkpoint.length === 0) bad("no checkpoint after the empty line");
  return { oldSize, proof, checkpoint };
}

/** Formats an add-checkpoint request body. */
export function formatAddCheckpoint(r: AddCheckpointRequest): string {
  return `old ${r.oldSize}\n${r.proof.map((h) => `${toBase64(h)}\n`).join("")}\n${r.checkpoint}`;
}
