// C2SP tlog-checkpoint: the note text of a signed tree head.
import { LedgerError } from "../errors.js";
import { fromBase64, toBase64 } from "./encoding.js";
import { HASH_SIZE } from "./hashing.js";

/** A parsed checkpoint body (c2sp.org/tlog-checkpoint "Note text"). */
export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions: string[];
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/**
 * Parses checkpoint note text: origin, decimal size without leading zeroes, base64 root hash,
 * then optional non-empty extension lines; the text ends in a newline.
 * @throws LedgerError `log.malformed_checkpoint`
 */
export function parseCheckpoint(body: string): Checkpoint {
  const bad = (why: string): never => {
    throw new LedgerError("log.malformed_checkpoint", `malformed checkpoint: ${why}`);
  };
  if (typeof body !== "string") bad("not a string");
  if (!body.endsWith("\n")) bad("text must end with a newline");
  const lines = body.slice(0, -1).split("\n");
  if (lines.length < 3) bad("fewer than three lines");
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) bad("empty origin line");
  if (!DECIMAL.test(sizeText)) bad("tree size is not a decimal without leading zeroes");
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) bad("tree size too large");
  const rootHash = fromBase64(rootText, "log.malformed_checkpoint", "root hash");
  if (rootHash.length !== HASH_SIZE) bad("root hash is not 32 bytes");
  if (extensions.some((l) => l.length === 0)) bad("empty extension line");
  return { origin, size, rootHash, extensions };
}

/** Formats checkpoint note text (c2sp.org/tlog-checkpoint). */
export function formatCheckpoint(c: {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions?: string[];
}): string {
  const ext = c.extensions ?? [];
  return [c.origin, String(c.size), toBase64(c.rootHash), ...ext].join("\n") + "\n";
}
