// Worker thread body for the decode pool (node-decode-pool.ts): what a credential JWT's bytes
// alone decide (decoding, normal form, digest, schema check), off the server's event loop.
import { parentPort } from "node:worker_threads";
import { nodeSha256Hex } from "@meritlog/core/node";
import { decodingToKeep, type KeptDecoding } from "./core/verify-credential.js";

export interface DecodeJob {
  id: number;
  jwt: string;
}

export interface DecodeReply {
  id: number;
  /** Undefined when nothing is kept for this token (it does not decode, or it is too long). */
  kept?: KeptDecoding;
  /** The schema check's parsed credential: non-enumerable there, so not copied with it. */
  parsed?: unknown;
}

// Jobs come in batches (one message per event-loop turn of the main thread) and go back the same way.
parentPort?.on("message", (jobs: DecodeJob[]) => {
  parentPort!.postMessage(
    jobs.map(({ id, jwt }): DecodeReply => {
      try {
        const kept = decodingToKeep(jwt, nodeSha256Hex);
        if (!kept) return { id };
        // The token is the one the job sent: it is not sent back.
        kept.d.raw = "";
        return { id, kept, parsed: kept.schema[1]?.parsed };
      } catch {
        return { id };
      }
    }),
  );
});

// Loaded (in tests through tsx, compiling the schemas takes seconds): the pool may send jobs now.
parentPort?.postMessage("ready");
