// HTTP-level defences of the server (issue 9 defects 6-8 and "Defences that are missing"): every
// client error is 4xx problem+json (also those Node's parser and Fastify's router answer
// themselves), static path tricks never reach a 500, security headers on every answer, CORS on the
// public read routes, slow clients cut off, query strings never echoed, Bearer-only issuer tokens,
// the documented body limits, strict UTF-8 JSON, and a rate limiter that random tokens cannot dodge.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";
import { newHolder } from "./helpers/did-key.js";
import { apiExamples, apiOfferExamples } from "./helpers/api-examples.js";

let server: RunningServer;
let port: number;
let issuerToken: string;

beforeAll(async () => {
  server = await startServer({ requestTimeoutMs: 1500 });
  port = server.config.port;
  // In-process, so the short request timeout above (for the slow-client tests) never cuts off
  // this setup on a loaded machine (key generation and, on PostgreSQL, a few commits).
  const res = await server.app.inject({
    method: "POST",
    url: "/v1/issuers",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { name: "Hardening Academy" },
  });
  expect(res.statusCode, res.body).toBe(201);
  issuerToken = (res.json() as { token: string }).token;
}, 60_000);
afterAll(async () => {
  await server?.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connect to the server closing the socket (or answering). */
  ms: number;
}

/** Writes raw bytes (in chunks, `gapMs` apart) on a fresh socket and parses the first answer. */
function raw(chunks: (string | Buffer)[], gapMs = 0, timeoutMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const socket = connect(port, "127.0.0.1");
    let data = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(guard);
      if (timer) clearInterval(timer);
      const text = data.toString("latin1");
      const head = text.slice(0, text.indexOf("\r\n\r\n"));
      const [statusLine, ...lines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const l of lines)
        headers[l.slice(0, l.indexOf(":")).toLowerCase()] = l.slice(l.indexOf(":") + 1).trim();
      resolve({
        status: Number(statusLine?.split(" ")[1] ?? 0),
        headers,
        body: text.slice(head.length + 4),
        ms: Date.now() - t0,
      });
    };
    socket.on("data", (d) => {
      data = Buffer.concat([data, d]);
      const text = data.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      const len = /content-length:\s*(\d+)/i.exec(text.slice(0, end));
      if (end >= 0 && len && Buffer.byteLength(text.slice(end + 4), "latin1") >= Number(len[1])) {
        socket.destroy();
        finish();
      }
    });
    socket.on("close", () => {
      if (!socket.destroyed || data.length === 0) return;
    });
    socket.on("end", finish);
    socket.on("error", () => undefined);
    socket.on("connect", () => {
      const queue = [...chunks];
      const next = () => {
        const c = queue.shift();
        if (c === undefined) {
          if (timer) clearInterval(timer);
          return;
        }
        if (!socket.destroyed) socket.write(c);
      };
      next();
      if (gapMs > 0) timer = setInterval(next, gapMs);
      else while (queue.length) next();
    });
  });
}

function expectProblem(
  a: { status: number; headers: Record<string, string> | Headers; body: unknown },
  status: number,
  code?: string,
): Record<string, unknown> {
  const ct = a.headers instanceof Headers ? a.headers.get("content-type") : a.headers["content-type"];
  expect(a.status, String(typeof a.body === "string" ? a.body : JSON.stringify(a.body))).toBe(status);
  expect(ct).toMatch(/^application\/problem\+json/);
  const p = (typeof a.body === "string" ? JSON.parse(a.body) : a.body) as Record<string, unknown>;
  expect(p.status).toBe(status);
  if (code) expect(p.code).toBe(code);
  expect(JSON.stringify(p)).not.toMatch(/at .*\.(ts|js):\d+/);
  return p;
}

describe("path tricks on static pages (defect 7)", () => {
  it.each([
    "/wallet/../../etc/passwd",
    "/wallet/%2e%2e/index.html",
    "/verify//x",
    "/wallet/./index.html",
    "/verify//etc/passwd",
    "/verify/%2e%2e/%2e%2e/etc/passwd",
    "/verify/..%2f..%2fetc%2fpasswd",
    "/verify/%00",
    "/wallet/%c0%ae%c0%ae/",
  ])("%s is a 2xx page or a 4xx problem, never a 500 nor a file outside the root", async (path) => {
    const a = await raw([`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
    expect(a.body).not.toContain("root:");
    if (a.status >= 300) expectProblem(a, a.status);
    expect(a.status).toBeLessThan(500);
  });
});

describe("errors Node and Fastify answer themselves are problem+json (defect 7)", () => {
  it("bad percent-encoding in the path: 400", async () => {
    expectProblem(
      await raw(["GET /wallet/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]),
      400,
      "http.bad_request",
    );
  });
  it("a request target longer than 8 KiB: 414", async () => {
    expectProblem(
      await raw([`GET /v1/issuers?${"a".repeat(9000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]),
      414,
      "http.uri_too_long",
    );
  });
  it("headers larger than Node's limit: 431", async () => {
    expectProblem(
      await raw([`GET /v1/issuers HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`]),
      431,
      "http.headers_too_large",
    );
  });
  it("an unknown method and a broken request line: 400", async () => {
    expectProblem(await raw(["FOO /v1/issuers HTTP/1.1\r\nHost: x\r\n\r\n"]), 400, "http.bad_request");
    expectProblem(await raw(["GARBAGE\r\n\r\n"]), 400, "http.bad_request");
    expectProblem(
      await raw([
        "GET /v1/issuers HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      ]),
      400,
      "http.bad_request",
    );
  });
  it("a known method without a route: 404 problem", async () => {
    expectProblem(
      await raw(["PROPFIND /v1/issuers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"]),
      404,
      "http.not_found",
    );
  });
  it("empty JSON body, broken JSON, wrong content type", async () => {
    expectProblem(await call(server.url, "POST", "/v1/verify", { raw: "" }), 400, "http.bad_json");
    expectProblem(await call(server.url, "POST", "/v1/verify", { raw: "{bad" }), 400, "http.bad_json");
    const wrong = await call(server.url, "POST", "/v1/credentials", {
      token: issuerToken,
      raw: "<x/>",
      contentType: "application/xml",
    });
    expectProblem(wrong, 415, "http.unsupported_media_type");
  });
});

describe("slow clients (request timeout)", () => {
  it("a body trickled slower than the request timeout is cut off with 408 problem+json", async () => {
    const head = `POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n`;
    const a = await raw([head, ...Array.from({ length: 100 }, () => " ")], 100, 10_000);
    expectProblem(a, 408, "http.request_timeout");
    // requestTimeoutMs is 1500 here (30 s by default); Node checks once a second at most.
    expect(a.ms).toBeLessThan(4000);
  });
  it("headers trickled slower than the header timeout are cut off", async () => {
    const a = await raw(
      ["GET /v1/issuers HTTP/1.1\r\n", ...Array.from({ length: 60 }, (_, i) => `X-${i}: y\r\n`)],
      100,
      10_000,
    );
    expectProblem(a, 408, "http.request_timeout");
    expect(a.ms).toBeLessThan(4000);
  });
});

describe("security headers and CORS", () => {
  it.each([
    "/verify/",
    "/verify/verify.js",
    "/verify/verify.css",
    "/v1/issuers",
    "/log/checkpoint",
    "/openapi.json",
    "/no/such/route",
    "/healthz",
  ])("%s carries CSP with frame-ancestors 'none', nosniff, no-referrer", async (path) => {
    const res = await fetch(server.url + path);
    expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });
  it("problem answers of the raw parser carry nosniff too", async () => {
    const a = await raw(["GARBAGE\r\n\r\n"]);
    expect(a.headers["x-content-type-options"]).toBe("nosniff");
  });
  it.each([
    "/v1/verify",
    "/v1/challenges",
    "/log/checkpoint",
    "/v1/log/key",
    "/v1/issuers",
    "/.well-known/openid-credential-issuer",
  ])("%s: CORS * without credentials, preflight answered", async (path) => {
    const pre = await fetch(server.url + path, {
      method: "OPTIONS",
      headers: {
        origin: "https://elsewhere.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("*");
    expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
    expect(pre.headers.get("access-control-allow-headers")).toMatch(/content-type/);
    if (path !== "/v1/verify") {
      const get = await fetch(server.url + path, { headers: { origin: "https://elsewhere.example" } });
      expect(get.headers.get("access-control-allow-origin")).toBe("*");
    }
  });
  it("issuer routes are not CORS-enabled", async () => {
    const res = await fetch(`${server.url}/v1/credentials`, {
      method: "POST",
      headers: {
        origin: "https://elsewhere.example",
        "content-type": "application/json",
        authorization: `Bearer ${issuerToken}`,
      },
      body: "{}",
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("smaller defects (defect 8)", () => {
  it("a token in a query string is not echoed in the problem instance or detail", async () => {
    const res = await call(server.url, "GET", `/v1/credentials/abc?access_token=${issuerToken}`);
    const p = expectProblem(res, 401);
    expect(res.text).not.toContain(issuerToken);
    expect(p.instance).toBe("/v1/credentials/abc?[redacted]");
    const nf = await call(server.url, "GET", `/nowhere?token=${issuerToken}`);
    expect(nf.text).not.toContain(issuerToken);
  });

  it("POST /v1/offers takes only Bearer, not DPoP", async () => {
    const body = apiOfferExamples().microCredential;
    const dpop = await fetch(`${server.url}/v1/offers`, {
      method: "POST",
      headers: { authorization: `DPoP ${issuerToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expectProblem({ status: dpop.status, headers: dpop.headers, body: await dpop.json() }, 401);
    expect((await call(server.url, "POST", "/v1/offers", { token: issuerToken, body })).status).toBe(201);
  });

  it("POST /v1/offers refuses a body over 192 KiB (room for a 64 KB badge image) with 413", async () => {
    const body = { ...apiOfferExamples().microCredential, pad: "x".repeat(200 * 1024) };
    expectProblem(
      await call(server.url, "POST", "/v1/offers", { token: issuerToken, body }),
      413,
      "http.body_too_large",
    );
  });

  it("invalid UTF-8 in a JSON body is refused (400) and nothing is signed", async () => {
    const before = ((await call(server.url, "GET", "/healthz")).body as { logSize: number }).logSize;
    const good = JSON.stringify(apiExamples(newHolder().did).microCredential());
    const at = Buffer.from(good).indexOf("Hand-Pump");
    const bytes = Buffer.concat([
      Buffer.from(good).subarray(0, at),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from(good).subarray(at),
    ]);
    const res = await fetch(`${server.url}/v1/credentials`, {
      method: "POST",
      headers: { authorization: `Bearer ${issuerToken}`, "content-type": "application/json" },
      body: bytes,
    });
    expectProblem(
      { status: res.status, headers: res.headers, body: await res.json() },
      400,
      "http.invalid_utf8",
    );
    expect(((await call(server.url, "GET", "/healthz")).body as { logSize: number }).logSize).toBe(before);
  });
});

describe("rate limits keyed by the verified caller (defect 6)", () => {
  it("random Bearer values share their address's budget", async () => {
    const limited = await startServer({ rateLimitPerMinute: 5 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push(
          (await call(limited.url, "GET", "/v1/issuers", { token: `mlt_random-${i}-${Math.random()}` }))
            .status,
        );
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      // The admin token is its own caller, with its own budget, whatever the address.
      expect((await call(limited.url, "GET", "/v1/issuers", { token: ADMIN_TOKEN })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("a node shutting down", () => {
  it("closes within its request timeout even while a client holds a half-sent request", async () => {
    // Node stops checking request timeouts once its server starts closing, so a client that sent
    // half a request and stalls would keep the node (and its database) open for good.
    const closing = await startServer({ requestTimeoutMs: 1500 });
    const socket = connect(closing.config.port, "127.0.0.1");
    socket.on("error", () => undefined);
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write("GET /v1/issuers HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // headers never finished
    await new Promise((r) => setTimeout(r, 100));
    const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    const t0 = Date.now();
    await closing.close();
    expect(Date.now() - t0).toBeLessThan(1500 + 4000);
    await ended;
  });
  it("answers a request that reaches it while closing with 503 problem+json server.shutting_down", async () => {
    const closing = await startServer();
    const socket = connect(closing.config.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    let data = "";
    socket.on("data", (d: Buffer) => (data += d.toString("latin1")));
    const ended = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    // Request A is in flight (headers sent, body not yet) when the close starts, so its
    // connection is not idle and stays open; B is pipelined behind it and arrives while closing.
    const body = JSON.stringify({ name: "Late Academy" });
    socket.write(
      `POST /v1/issuers HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await new Promise((r) => setTimeout(r, 100));
    const closed = closing.close();
    // server.close() (the listener) comes after the preClose hooks, so once it has stopped
    // listening the node is shutting down.
    while (closing.app.server.listening) await new Promise((r) => setTimeout(r, 5));
    socket.write(body + "GET /v1/issuers HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await ended;
    await closed;
    const answers = data.split(/(?=HTTP\/1\.1 )/);
    expect(answers, data).toHaveLength(2);
    expect(answers[0]).toMatch(/^HTTP\/1\.1 401 /); // A: served normally (no admin token)
    const b = answers[1]!;
    expect(b).toMatch(/^HTTP\/1\.1 503 /);
    expect(b).toMatch(/\r\ncontent-type: application\/problem\+json/i);
    expect(b).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(b).toMatch(/\r\nconnection: close\r\n/i);
    const problem = JSON.parse(b.slice(b.indexOf("\r\n\r\n") + 4)) as { code: string; status: number };
    expect(problem).toMatchObject({ code: "server.shutting_down", status: 503 });
  });
});
