// The read-only log API (docs/API.md "Log"): C2SP tlog-tiles under /log/ and JSON proofs under
// /v1/log/. Errors are thrown as LedgerError; the server's handler turns codes into problem+json.
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { LedgerError } from "./errors.js";
import type { TransparencyLog } from "./log.js";
import { toBase64 } from "@meritlog/core";
import type { z } from "zod";
import { consistencyQuerySchema, entryParamsSchema, inclusionQuerySchema } from "./route-contracts.js";
import { parseTilePath, TILE_WIDTH } from "./verify/tiles.js";

/** Full tiles and bundles never change (c2sp.org/tlog-tiles: "immutable … long-lived"). */
export const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";
/** Partial tiles are replaced by full ones; clients should come back for those. */
export const PARTIAL_CACHE = "public, max-age=60";
/** The checkpoint is mutable: "headers SHOULD prevent caching beyond a few seconds". */
export const CHECKPOINT_CACHE = "public, max-age=2, must-revalidate";

const decoder = new TextDecoder();

/**
 * Parses query or path parameters with the route's contract schema.
 * @throws LedgerError `log.bad_request` naming the first offending parameter
 */
function parseParams<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const name = issue?.path.join(".") || "query";
  throw new LedgerError("log.bad_request", `${name} must be a non-negative decimal integer`);
}

const bytesReply = (data: Uint8Array): Buffer => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/** Options of the log routes: the witnesses' cosigner vkeys and the quorum for `/v1/log/key`. */
export interface LogRoutesOptions {
  log: TransparencyLog;
  witnesses?: readonly string[];
  witnessQuorum?: number;
}

const plugin: FastifyPluginAsync<LogRoutesOptions> = async (app, { log, witnesses = [], witnessQuorum }) => {
  app.get("/log/checkpoint", async (_req, reply) =>
    reply.header("cache-control", CHECKPOINT_CACHE).type("text/plain; charset=utf-8").send(log.checkpoint()),
  );

  app.get("/log/tile/*", async (req, reply) => {
    const ref = parseTilePath((req.params as { "*": string })["*"]);
    const data =
      ref.kind === "entries"
        ? await log.entryBundle(ref.index, ref.width)
        : await log.tile(ref.level, ref.index, ref.width);
    return reply
      .header("cache-control", ref.width === TILE_WIDTH ? IMMUTABLE_CACHE : PARTIAL_CACHE)
      .type("application/octet-stream")
      .send(bytesReply(data));
  });

  app.get("/v1/log/key", async () => ({
    origin: log.origin,
    verifierKey: log.verifierKey,
    // C2SP tlog-cosignature vkeys of the witnesses that cosign this log's checkpoints.
    witnesses,
    witnessQuorum: Math.min(witnessQuorum ?? witnesses.length, witnesses.length),
  }));

  app.get("/v1/log/proof/inclusion", async (req) => {
    const q = parseParams(inclusionQuerySchema, req.query);
    const leafIndex = q.leafIndex;
    const treeSize = q.treeSize ?? log.size;
    const proof = await log.inclusionProof(leafIndex, treeSize);
    return { leafIndex, treeSize, proof: proof.map(toBase64) };
  });

  app.get("/v1/log/proof/consistency", async (req) => {
    const q = parseParams(consistencyQuerySchema, req.query);
    const first = q.first;
    const second = q.second ?? log.size;
    const proof = await log.consistencyProof(first, second);
    return { first, second, proof: proof.map(toBase64) };
  });

  app.get("/v1/log/entries/:index", async (req) => {
    const leafIndex = parseParams(entryParamsSchema, req.params).index;
    const entry = await log.entry(leafIndex);
    return { leafIndex, entry: decoder.decode(entry) };
  });
};

/** Fastify plugin for `/log/*` and `/v1/log/*` (register with `{ log, witnesses? }`). */
export const logRoutes: FastifyPluginAsync<LogRoutesOptions> = fp(plugin, {
  name: "meritlog-log-routes",
  fastify: "5.x",
});
