import type { Socket } from "node:net";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { problem, type Problem } from "./problem.js";
import { redactUrl } from "./redact.js";

/**
 * HTTP-level defences of the composition root (issue 9): security headers on every answer, CORS on
 * the public read routes, problem+json for the errors Node's parser and Fastify's router answer
 * themselves, strict UTF-8 JSON bodies, a URI length limit, and query strings kept out of logs and
 * problem `instance`s. Each is registered by {@link registerHardening} before any route group.
 */

/** Longest request target answered; longer ones get 414 (RFC 9110 §15.5.15). Node's own limit (16 KiB of headers, URL included) answers 431 above it. */
const MAX_URI_LENGTH = 8192;

// Content-Security-Policy (CSP Level 3) per kind of answer. `frame-ancestors 'none'` (§6.4.2) only
// works as a header, which is why the policy is sent here and not only in the pages' <meta>.
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** The verify, share (`/s/{id}`) and register pages: their own scripts and stylesheets, and fetches to this service only. */
const VERIFY_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/**
 * The wallet: the same policy as its <meta> (wallet-web/index.html), plus frame-ancestors. It
 * fetches credential offers and status lists from other issuers (https:) and local test servers.
 */
const WALLET_CSP =
  "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self' https: http://127.0.0.1:* http://localhost:*; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
/**
 * The issuer console: the same policy as its <meta> (issuer-web/index.html), plus frame-ancestors.
 * It talks to this service only; its QR codes are inline SVG, its icon a data: URL.
 */
const ISSUER_CONSOLE_CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
/** Swagger UI at /docs styles elements inline. */
const DOCS_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The provenance page: its own script and stylesheet, fetches to this service only, and no form
 * posts. A dropped file is read and hashed in the browser (File/SubtleCrypto need no CSP source)
 * and never sent anywhere.
 */
const PROVENANCE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The Content-Security-Policy for a request path. */
export function cspFor(path: string): string {
  if (path === "/wallet" || path.startsWith("/wallet/")) return WALLET_CSP;
  if (path === "/verify" || path.startsWith("/verify/")) return VERIFY_CSP;
  if (path === "/issuer" || path.startsWith("/issuer/")) return ISSUER_CONSOLE_CSP;
  if (path.startsWith("/s/") || path === "/register" || path.startsWith("/register/")) return VERIFY_CSP;
  if (path === "/docs" || path.startsWith("/docs/")) return DOCS_CSP;
  if (path === "/provenance" || path.startsWith("/provenance/")) return PROVENANCE_CSP;
  return API_CSP;
}

/**
 * Public read routes that any web page may call (CORS `*`, never with credentials: Fetch §3.2.5
 * forbids `*` with credentials, and none of these read cookies or tokens).
 */
const PUBLIC_CORS_PREFIXES = [
  "/v1/verify",
  "/v1/challenges",
  "/log/",
  "/v1/log/",
  "/v1/status/",
  "/v1/issuers",
  "/.well-known/",
  // Artifact lookup (docs/API.md "Provenance"): public reads any page or tool may make.
  "/v1/provenance",
] as const;

export function isPublicCorsPath(path: string): boolean {
  // Entries ending in "/" cover a folder; the others are one route (`/v1/issuers/{id}/token` is an admin route).
  const p0 = pathOf(path);
  for (const p of PUBLIC_CORS_PREFIXES) if (p.endsWith("/") ? p0.startsWith(p) : p0 === p) return true;
  return false;
}

const pathOf = (url: string): string => {
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
};

/** A problem+json answer, with its `instance` redacted. */
function send(reply: FastifyReply, request: FastifyRequest, body: Problem): FastifyReply {
  return reply
    .code(body.status)
    .type("application/problem+json")
    .send({ ...body, instance: redactUrl(request.url) });
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (RFC 9112 framing, header size,
 * request timeout) answered as problem+json on the raw socket, then the socket is closed. Fastify's
 * default answers plain JSON without a code.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const p =
    err.code === "ERR_HTTP_REQUEST_TIMEOUT"
      ? problem("http.request_timeout", "the request was not received in time")
      : err.code === "HPE_HEADER_OVERFLOW"
        ? problem("http.headers_too_large", "the request headers (request line included) are too large")
        : problem("http.bad_request", "the request is not valid HTTP/1.1");
  const body = JSON.stringify(p);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${p.status} ${p.title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        "X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n" +
        body,
    );
  }
  socket.destroy();
}

/** Fastify's router errors (bad percent-encoding, over-long parameters) as problem+json. */
export function frameworkErrors(
  err: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const p =
    err.code === "FST_ERR_BAD_URL"
      ? problem("http.bad_request", "the request target is not valid percent-encoded UTF-8")
      : problem("http.bad_request", "malformed request");
  void send(reply, request, p);
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Registers the defences on the root instance, before any route group (hooks and parsers are
 * inherited by every encapsulated plugin registered after).
 */
export function registerHardening(app: FastifyInstance, requestTimeoutMs: number): void {
  // RFC 8259 §8.1: JSON text exchanged between systems MUST be UTF-8. The default parser decodes
  // with replacement characters, so ill-formed bytes were signed into credentials as U+FFFD.
  const defaultJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(
        Object.assign(new Error("the JSON body is not valid UTF-8 (RFC 8259 §8.1)"), {
          code: "http.invalid_utf8",
        }),
        undefined,
      );
      return;
    }
    defaultJson(request, text, done);
  });

  // A node that is shutting down answers what still reaches it with 503 problem+json and
  // Connection: close, so a load balancer retries on another node (Fastify's own
  // return503OnClosing answer is plain JSON without a stable code). Requests already in flight
  // finish. The flag is set in preClose, before the listening socket closes.
  //
  // Node stops checking request timeouts once its server starts closing (server.close() clears
  // the connections-checking interval), so a client that sent half a request and stalls would
  // hold the node open for good, its database with it. No request may take longer than
  // `requestTimeoutMs` anyway: that long after the close starts, what is still connected is cut.
  let shuttingDown = false;
  let cutOff: NodeJS.Timeout | undefined;
  app.addHook("preClose", (done) => {
    shuttingDown = true;
    cutOff = setTimeout(() => app.server.closeAllConnections(), requestTimeoutMs).unref();
    done();
  });
  app.addHook("onClose", (_instance, done) => {
    clearTimeout(cutOff);
    done();
  });

  // Both hooks are callback-style (no promise and microtask per request, issue 10) and create no
  // closure: every request of every route passes through them.
  app.addHook("onRequest", (request, reply, done) => {
    if (shuttingDown) {
      void reply.header("connection", "close").header("retry-after", "1");
      void send(
        reply,
        request,
        problem("server.shutting_down", "this node is shutting down; retry the request"),
      );
      return;
    }
    // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header.
    if (request.raw.httpVersion === "1.1" && request.headers.host === undefined) {
      void send(
        reply,
        request,
        problem("http.bad_request", "an HTTP/1.1 request needs a Host header (RFC 9112 §3.2)"),
      );
      return;
    }
    if (request.url.length > MAX_URI_LENGTH) {
      void send(
        reply,
        request,
        problem("http.uri_too_long", `the request target is longer than ${MAX_URI_LENGTH} characters`),
      );
      return;
    }
    // CORS preflight (Fetch §3.2.2) for the public read routes, answered before routing.
    if (
      request.method === "OPTIONS" &&
      request.headers["access-control-request-method"] !== undefined &&
      isPublicCorsPath(request.url)
    ) {
      void reply
        .code(204)
        .header("access-control-allow-origin", "*")
        .header("access-control-allow-methods", "GET, POST, OPTIONS")
        .header("access-control-allow-headers", "content-type, accept")
        .header("access-control-max-age", "600")
        .send();
      return;
    }
    done();
  });

  app.addHook("onSend", (request, reply, payload, done) => {
    const path = pathOf(request.url);
    void reply.header("content-security-policy", cspFor(path));
    void reply.header("x-content-type-options", "nosniff");
    void reply.header("referrer-policy", "no-referrer");
    if (isPublicCorsPath(path)) void reply.header("access-control-allow-origin", "*");
    done(null, payload);
  });
}
