// The contracts of the log routes (routes.ts; docs/API.md "Log"). The handlers parse their query
// and path parameters with these zod schemas. Each object has the shape of `RouteContract`
// (@meritlog/schemas); the server checks that shape where it builds the OpenAPI document, so the
// ledger needs no dependency on the schemas package.
import { z } from "zod";

/** A non-negative decimal integer as a string: no sign, no leading zeros, at most 16 digits. */
const decimalIndex = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, "must be a non-negative decimal integer")
  .refine((v) => Number.isSafeInteger(Number(v)), "must be a safe integer")
  .transform(Number);

export const inclusionQuerySchema = z.object({ leafIndex: decimalIndex, treeSize: decimalIndex.optional() });
export const consistencyQuerySchema = z.object({ first: decimalIndex, second: decimalIndex.optional() });
export const entryParamsSchema = z.object({ index: decimalIndex });
const tileParamsSchema = z.object({
  "*": z.string().describe("<L>/<N>[.p/<W>] or entries/<N>[.p/<W>], x-grouped (c2sp.org/tlog-tiles)"),
});

/** `GET /v1/witness/evidence?origin=…`: the witnessed log's origin line. */
export const witnessEvidenceQuerySchema = z.object({
  origin: z.string().min(1).max(1000).describe("origin line of a witnessed log"),
});
/** Largest add-checkpoint body: an old size line, ≤ 63 proof lines and a checkpoint with a few signatures. */
export const WITNESS_BODY_LIMIT = 64 * 1024;
/**
 * `POST /witness/add-checkpoint` body (c2sp.org/tlog-witness): text, taken with any content type;
 * its lines are parsed by `parseAddCheckpoint` (verify/witness-request.ts).
 */
export const addCheckpointBodySchema = z
  .string()
  .max(WITNESS_BODY_LIMIT)
  .describe(
    "`old <size>`, up to 63 base64 consistency proof lines, an empty line, then the signed checkpoint note",
  );

const proofSchema = z.array(z.string().describe("base64 hash"));

export const LOG_ROUTE_CONTRACTS = [
  {
    method: "GET",
    url: "/log/checkpoint",
    tag: "log",
    summary: "The signed checkpoint",
    description:
      "The log's latest C2SP tlog-checkpoint signed note (Ed25519 signature by the log key). Mutable: cached for a few seconds only.",
    auth: "public",
    success: { status: 200, description: "The signed note.", mediaType: "text/plain" },
    problems: [],
  },
  {
    method: "GET",
    url: "/log/tile/*",
    tag: "log",
    summary: "A hash tile or entry bundle",
    description:
      "C2SP tlog-tiles: hash tiles `<L>/<N>[.p/<W>]` and entry bundles `entries/<N>[.p/<W>]`, tile height 8. Full tiles are immutable and cacheable forever.",
    auth: "public",
    params: tileParamsSchema,
    success: { status: 200, description: "The tile bytes.", mediaType: "application/octet-stream" },
    problems: ["log.bad_tile_path", "log.not_found"],
  },
  {
    method: "GET",
    url: "/v1/log/key",
    tag: "log",
    summary: "The log's verifier key",
    description:
      "`{origin, verifierKey}`: the signed-note verifier key `<name>+<hex keyhash>+<base64 key>` to pin.",
    auth: "public",
    success: {
      status: 200,
      description: "The origin and verifier key.",
      schema: z.object({ origin: z.string(), verifierKey: z.string() }),
    },
    problems: [],
  },
  {
    method: "GET",
    url: "/v1/log/proof/inclusion",
    tag: "log",
    summary: "An inclusion proof",
    description:
      "RFC 9162 §2.1.3 inclusion proof of a leaf in the tree of `treeSize` (default: the current size).",
    auth: "public",
    querystring: inclusionQuerySchema,
    success: {
      status: 200,
      description: "`{leafIndex, treeSize, proof}`.",
      schema: z.object({ leafIndex: z.number().int(), treeSize: z.number().int(), proof: proofSchema }),
    },
    problems: ["log.bad_request", "log.size_out_of_range"],
  },
  {
    method: "GET",
    url: "/v1/log/proof/consistency",
    tag: "log",
    summary: "A consistency proof",
    description:
      "RFC 9162 §2.1.4 consistency proof between two tree sizes (`second` defaults to the current size).",
    auth: "public",
    querystring: consistencyQuerySchema,
    success: {
      status: 200,
      description: "`{first, second, proof}`.",
      schema: z.object({ first: z.number().int(), second: z.number().int(), proof: proofSchema }),
    },
    problems: ["log.bad_request", "log.size_out_of_range"],
  },
  {
    method: "GET",
    url: "/v1/log/entries/:index",
    tag: "log",
    summary: "One log entry",
    description: "The canonical JSON entry at a leaf index.",
    auth: "public",
    params: entryParamsSchema,
    success: {
      status: 200,
      description: "`{leafIndex, entry}`.",
      schema: z.object({ leafIndex: z.number().int(), entry: z.string() }),
    },
    problems: ["log.bad_request", "log.not_found", "log.size_out_of_range"],
  },
] as const;

export const WITNESS_ROUTE_CONTRACTS = [
  {
    method: "POST",
    url: "/witness/add-checkpoint",
    tag: "witness",
    summary: "Cosign a checkpoint",
    description:
      "c2sp.org/tlog-witness `add-checkpoint` (served with `MERITLOG_WITNESS=on`, for the logs in the witnessed list): checks the log's signature and the consistency proof from the size this witness last cosigned, and answers the C2SP tlog-cosignature line. When `old` is not that size the answer is 409 with content type `text/x.tlog.size` and the size as its body, as the spec prescribes; a refused checkpoint the log signed is kept as public evidence.",
    auth: "public",
    body: addCheckpointBodySchema,
    bodyMediaType: "text/plain",
    success: { status: 200, description: "The cosignature line.", mediaType: "text/plain" },
    problems: [
      "log.bad_request",
      "log.malformed_checkpoint",
      "witness.unknown_log",
      "witness.bad_signature",
      "witness.bad_proof",
      "witness.fork",
    ],
  },
  {
    method: "GET",
    url: "/v1/witness",
    tag: "witness",
    summary: "The witness's key and logs",
    description:
      "`{name, verifierKey, logs}`: the cosigner verifier key a log pins, and the logs this witness cosigns.",
    auth: "public",
    success: { status: 200, description: "The witness." },
    problems: [],
  },
  {
    method: "GET",
    url: "/v1/witness/evidence",
    tag: "witness",
    summary: "Evidence against a witnessed log",
    description:
      "`{origin, items}`: the checkpoints the log signed that this witness refused (a fork or a bad proof), public evidence that it showed two trees.",
    auth: "public",
    querystring: witnessEvidenceQuerySchema,
    success: { status: 200, description: "The refused checkpoints of the log." },
    problems: ["log.bad_request"],
  },
] as const;
