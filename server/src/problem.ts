import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { SCHEMA_ERROR_STATUS, type SchemaErrorCode } from "@meritlog/schemas";
import { LEDGER_ERROR_STATUS, type LedgerErrorCode } from "@meritlog/ledger";
import { ISSUER_ERROR_STATUS, type IssuerErrorCode } from "@meritlog/issuer";
import { VERIFIER_ERROR_STATUS, type VerifierErrorCode } from "@meritlog/verifier";
import { redactUrl } from "./redact.js";
import type { ServerStorageCode } from "./errors.js";

/** Codes the server itself answers with (HTTP-level failures that reach no package). */
export const SERVER_ERROR_STATUS = {
  "http.not_found": 404,
  "http.method_not_allowed": 405,
  "http.bad_json": 400,
  "http.bad_request": 400,
  "http.invalid_utf8": 400,
  "http.request_timeout": 408,
  "http.uri_too_long": 414,
  "http.headers_too_large": 431,
  "http.body_too_large": 413,
  "http.unsupported_media_type": 415,
  "http.rate_limited": 429,
  "http.not_built": 503,
  // A node answering while it shuts down (registerHardening): retry, on another node or later.
  "server.shutting_down": 503,
  "internal.error": 500,
  // Storage damage met while serving (issue 9 defect 4) and backups (server/src/errors.ts).
  "storage.corrupt": 503,
  // The database (MERITLOG_DATABASE_URL) cannot be reached: nothing was done, retry (@meritlog/postgres).
  "storage.unavailable": 503,
  "backup.bad_request": 400,
  "backup.target_not_empty": 409,
  "backup.failed": 500,
} as const satisfies Record<ServerStorageCode, number> & Record<string, number>;

export type ServerErrorCode = keyof typeof SERVER_ERROR_STATUS;

/** Every stable code the service can answer with: the union of each package's code union. */
export type ErrorCode =
  SchemaErrorCode | LedgerErrorCode | IssuerErrorCode | VerifierErrorCode | ServerErrorCode;

/**
 * The one table from stable error code to HTTP status (docs/API.md "Errors"). Each package
 * exports its own part typed `Record<Code, number>` (a code of its union without a status fails
 * `tsc` there); `satisfies` here makes the merged table cover exactly `ErrorCode`, and `problem()`
 * takes only an `ErrorCode`, so answering with a code no package declares fails `tsc` too.
 */
export const ERROR_STATUS = {
  ...SCHEMA_ERROR_STATUS,
  ...LEDGER_ERROR_STATUS,
  ...ISSUER_ERROR_STATUS,
  ...VERIFIER_ERROR_STATUS,
  ...SERVER_ERROR_STATUS,
} as const satisfies Readonly<Record<ErrorCode, number>>;

/** Whether `code` is one of ours (a code from a thrown error is an untyped string until checked). */
export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === "string" && Object.hasOwn(ERROR_STATUS, code);

const TITLES: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  408: "Request timeout",
  409: "Conflict",
  410: "Gone",
  413: "Payload too large",
  414: "URI too long",
  415: "Unsupported media type",
  422: "Rule violated",
  429: "Too many requests",
  431: "Request header fields too large",
  500: "Internal error",
  503: "Service unavailable",
};

/** RFC 9457 problem details, with our stable `code` extension member. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  [extension: string]: unknown;
}

/** Problem type URIs are stable per code (RFC 9457 §3.1.1); the docs list every code. */
export const problemType = (code: string): string => `urn:meritlog:problem:${code}`;

/** A problem body for one of our codes, with the status the table gives it. */
export function problem(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}): Problem {
  const status: number = ERROR_STATUS[code];
  return { type: problemType(code), title: TITLES[status] ?? "Error", status, detail, code, ...extra };
}

// Fastify's own error codes for malformed requests, mapped onto ours.
const FASTIFY_CODES: Record<string, keyof typeof SERVER_ERROR_STATUS> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "http.body_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "http.unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "http.bad_request",
  FST_ERR_CTP_EMPTY_JSON_BODY: "http.bad_json",
  FST_ERR_CTP_INVALID_JSON_BODY: "http.bad_json",
  FST_ERR_VALIDATION: "http.bad_request",
  FST_ERR_BAD_URL: "http.bad_request",
  FST_ERR_ASYNC_CONSTRAINT: "http.bad_request",
  FST_ERR_BAD_URL_PARAM: "http.bad_request",
  // @fastify/static refuses paths that escape its root (`/verify//etc/passwd`); to a client that
  // is simply a file that does not exist.
  FST_STATIC_FORBIDDEN_PATH: "http.not_found",
};

/** Any other 4xx a plugin raises, by status, so a client error never becomes a 500. */
const CLIENT_STATUS_CODES: Record<number, keyof typeof SERVER_ERROR_STATUS> = {
  400: "http.bad_request",
  403: "http.not_found",
  404: "http.not_found",
  405: "http.method_not_allowed",
  408: "http.request_timeout",
  413: "http.body_too_large",
  414: "http.uri_too_long",
  415: "http.unsupported_media_type",
  431: "http.headers_too_large",
};

/** Extension members a coded error may carry into the problem body (field pointer, zod issues). */
const EXTENSIONS = ["path", "issues", "field", "rule", "retryAfter"] as const;

/** LevelDB (classic-level) and abstract-level codes for bytes on disk that do not read back. */
const STORAGE_DAMAGE_CODES = new Set([
  "LEVEL_CORRUPTION",
  "LEVEL_DECODE_ERROR",
  "log.corrupt",
  "storage.corrupt",
]);

/**
 * What broke, when `err` (or one of its causes) is damage in storage: a LevelDB corruption error,
 * a record that does not decode, or the ledger's `log.corrupt`. Undefined for anything else.
 */
export function storageDamage(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if ((typeof code === "string" && STORAGE_DAMAGE_CODES.has(code)) || /^Corruption:/.test(e.message)) {
      const cause = e.cause instanceof Error ? `: ${e.cause.message}` : "";
      return `${typeof code === "string" ? code + ": " : ""}${e.message}${cause}`;
    }
    e = e.cause;
  }
  return undefined;
}

/**
 * Whether `err` or one of its causes is @meritlog/postgres's `storage.unavailable` (a package may
 * wrap it, e.g. a failed log append inside issuance). Only that code counts: a socket error from a
 * fetch of someone else's document is not our storage being down.
 */
function storageUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e instanceof Error; depth++) {
    if ((e as { code?: unknown }).code === "storage.unavailable") return true;
    e = e.cause;
  }
  return false;
}

/** Turns any thrown error into a problem: coded errors keep their code; the rest never leak details. */
export function errorToProblem(err: unknown): Problem {
  // The database went away (restart, network): the request did nothing and a retry will work.
  if (storageUnavailable(err))
    return problem("storage.unavailable", "the database is unavailable; retry shortly", { retryAfter: 1 });
  // Damage is the operator's problem, not the client's: 503, and never the bytes or a stack.
  if (storageDamage(err) !== undefined)
    return problem(
      "storage.corrupt",
      "stored data this request needs is damaged; the operator has been alerted (run `meritlog fsck`)",
    );
  const e = err as Partial<FastifyError> & { code?: unknown; statusCode?: number; message?: string } & Record<
      string,
      unknown
    >;
  const code = typeof e?.code === "string" ? e.code : undefined;
  if (isErrorCode(code)) {
    const extra: Record<string, unknown> = {};
    for (const k of EXTENSIONS) if (e[k] !== undefined) extra[k] = e[k];
    return problem(code, e.message ?? code, extra);
  }
  if (code && Object.hasOwn(FASTIFY_CODES, code))
    return problem(FASTIFY_CODES[code]!, e.message ?? "malformed request");
  if (code === "FST_ERR_RATE_LIMIT" || e?.statusCode === 429)
    return problem("http.rate_limited", "rate limit reached; retry later");
  if (e?.statusCode === 400 || (err instanceof SyntaxError && "body" in (err as object))) {
    return problem("http.bad_request", e.message ?? "malformed request");
  }
  const byStatus = typeof e?.statusCode === "number" ? CLIENT_STATUS_CODES[e.statusCode] : undefined;
  if (byStatus)
    return problem(
      byStatus,
      byStatus === "http.not_found" ? "not found" : (e.message ?? "malformed request"),
    );
  return problem(
    "internal.error",
    "the server failed to handle this request; nothing was changed by the failed step",
  );
}

const damageLogged = new Set<string>();
/** Each distinct damage is logged once (with what broke), not once per request that meets it. */
function logDamageOnce(request: FastifyRequest, what: string): void {
  if (damageLogged.has(what) || damageLogged.size >= 1000) return;
  damageLogged.add(what);
  request.log.error(
    { storageDamage: what, url: request.url.split("?")[0] },
    "storage damage: run `meritlog fsck` on a stopped server",
  );
}

/** Fastify error handler: problem+json for everything, 5xx logged with the stack, never sent. */
export function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = errorToProblem(err);
  if (body.code === "storage.corrupt") logDamageOnce(request, storageDamage(err) ?? "unknown");
  else if (body.status >= 500 && body.code !== "log.overloaded") request.log.error({ err }, "request failed");
  if (body.status === 503 || body.status === 429) {
    const retry = typeof body.retryAfter === "number" ? body.retryAfter : 1;
    void reply.header("retry-after", String(retry));
  }
  return reply
    .code(body.status)
    .type("application/problem+json")
    .send({ ...body, instance: redactUrl(request.url) });
}
