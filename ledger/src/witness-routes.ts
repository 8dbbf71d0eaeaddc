// HTTP face of the witness (docs/API.md "Witnessing"): `POST /witness/add-checkpoint` exactly as
// c2sp.org/tlog-witness says, `GET /v1/witness` with the witness's cosigner key and `GET /v1/witness/evidence`. Refusals are
// LedgerErrors (problem+json through the server's handler) except the stale-size 409, whose body
// and `text/x.tlog.size` content type the spec fixes.
import type { FastifyPluginAsync } from "fastify";
import { LedgerError } from "./errors.js";
import type { Witness } from "./witness.js";
import {
  addCheckpointBodySchema,
  WITNESS_BODY_LIMIT as BODY_LIMIT,
  witnessEvidenceQuerySchema,
} from "./route-contracts.js";

/** Fastify plugin for the witness routes (register with `{ witness }`; encapsulated, not fp). */
export const witnessRoutes: FastifyPluginAsync<{ witness: Witness }> = async (app, { witness }) => {
  // The spec names no request content type: take any body as text, in this plugin's scope only.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post("/witness/add-checkpoint", { bodyLimit: BODY_LIMIT }, async (req, reply) => {
    // Anything but a text body within the limit reads as empty, which the parser refuses (log.bad_request).
    const body = addCheckpointBodySchema.safeParse(req.body);
    const r = await witness.addCheckpoint(body.success ? body.data : "");
    return reply.code(r.status).header("cache-control", "no-store").type(r.contentType).send(r.body);
  });

  // Refused checkpoints a witnessed log signed: public evidence that it showed two trees.
  app.get("/v1/witness/evidence", async (req) => {
    const q = witnessEvidenceQuerySchema.safeParse(req.query ?? {});
    if (!q.success) throw new LedgerError("log.bad_request", "origin must name a witnessed log");
    const { origin } = q.data;
    return { origin, items: await witness.evidence(origin) };
  });

  app.get("/v1/witness", async () => ({
    name: witness.key.name,
    verifierKey: witness.key.verifierKey,
    logs: witness.logs,
  }));
};
