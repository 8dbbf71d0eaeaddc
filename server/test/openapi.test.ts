// The OpenAPI document against the routes Fastify really registers: every route has an operation
// built from its contract (tag, summary, description, real success status, problem codes), and
// the documented examples are the API.md bodies, accepted by the route's own schema and answered
// with the documented status.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FastifyInstance, RouteOptions } from "fastify";

// Every route any plugin registers, seen through an onRoute hook on the root instance (hooks are
// inherited by encapsulated plugins), without changing how buildApp builds the app.
const registered: RouteOptions[] = [];
// Test files share a worker's modules (vitest.config.ts `isolate: false`): an earlier file may have
// loaded the app with the real fastify, so the module cache is cleared before this file's imports.
vi.hoisted(() => vi.resetModules());
vi.mock("fastify", async (importOriginal) => {
  const mod = await importOriginal<typeof import("fastify")>();
  const wrapped = ((opts?: object) => {
    const app = mod.default(opts);
    app.addHook("onRoute", (r) => void registered.push(r));
    return app;
  }) as unknown as typeof mod.default;
  return { ...mod, default: wrapped };
});

const { buildApp } = await import("../src/app.js");
const { configFromEnv } = await import("../src/config.js");
const { ERROR_STATUS } = await import("../src/problem.js");
const { openApiPath } = await import("../src/openapi.js");
const { ROUTE_CONTRACTS } = await import("../src/route-contracts.js");

const ADMIN = "mla_openapi-test-admin-token-0123456789";
type Operation = {
  tags?: string[];
  summary?: string;
  description?: string;
  responses?: Record<
    string,
    { description: string; content?: Record<string, { examples?: Record<string, { value: unknown }> }> }
  >;
  requestBody?: {
    content: Record<string, { examples?: Record<string, { summary: string; value: unknown }> }>;
  };
};
type Doc = { paths: Record<string, Record<string, Operation>> };

const corpus = JSON.parse(
  await readFile(new URL("../../testdata/schemas/requests.json", import.meta.url), "utf8"),
) as { cases: { desc: string; input: unknown }[] };
const exampleBody = (desc: string): unknown => corpus.cases.find((c) => c.desc === desc)!.input;

let app: FastifyInstance;
let dataDir: string;
let doc: Doc;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "meritlog-openapi-"));
  // With the witness on, so its routes are registered and checked too.
  app = await buildApp(
    configFromEnv(
      {},
      { dataDir, adminToken: ADMIN, logger: false, batchMaxDelayMs: 1, witness: true, witnessedLogs: [] },
    ),
  );
  doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json<Doc>();
}, 60_000);

afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Registered operations, without Fastify's automatic HEAD routes and routes hidden from the docs (static files, /docs, the document itself). */
function operations(): { method: string; url: string }[] {
  const out: { method: string; url: string }[] = [];
  for (const r of registered) {
    if ((r.schema as { hide?: boolean } | undefined)?.hide) continue;
    for (const method of [r.method].flat()) if (method !== "HEAD") out.push({ method, url: r.url });
  }
  return out;
}

describe("/openapi.json", () => {
  it("has an operation for every registered route, with tag, summary, description, success status and problem codes", () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(25);
    for (const { method, url } of ops) {
      const where = `${method} ${url}`;
      const op = doc.paths[openApiPath(url)]?.[method.toLowerCase()];
      expect(op, `${where} is missing from /openapi.json`).toBeDefined();
      const contract = ROUTE_CONTRACTS.find((c) => c.method === method && c.url === url);
      expect(contract, `${where} has no route contract`).toBeDefined();
      expect(op!.tags, where).toEqual([contract!.tag]);
      expect(op!.summary, where).toBeTruthy();
      expect(op!.description, where).toBeTruthy();
      expect(Object.keys(op!.responses ?? {}), where).toContain(String(contract!.success.status));
      for (const code of contract!.problems) {
        const status = ERROR_STATUS[code as keyof typeof ERROR_STATUS];
        expect(status, `${where}: ${code} is a known code`).toBeTypeOf("number");
        const res = op!.responses![String(status)];
        expect(res?.description, `${where} documents ${code} under ${status}`).toContain(`\`${code}\``);
        expect(res?.content?.["application/problem+json"]?.examples?.[code], where).toBeDefined();
      }
    }
  });

  it("keeps one contract per route (no duplicates)", () => {
    const keys = ROUTE_CONTRACTS.map((c) => `${c.method} ${c.url}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("shows the API.md bodies as examples, each accepted by the route's own schema", () => {
    let seen = 0;
    for (const c of ROUTE_CONTRACTS) {
      for (const desc of c.examples ?? []) {
        const input = exampleBody(desc);
        expect(input, `${desc} is in testdata/schemas/requests.json`).toBeDefined();
        const parsed = c.body!.safeParse(input);
        expect(
          parsed.success,
          `${c.method} ${c.url}: "${desc}" ${parsed.success ? "" : JSON.stringify(parsed.error.issues[0])}`,
        ).toBe(true);
        const media =
          doc.paths[openApiPath(c.url)]![c.method.toLowerCase()]!.requestBody!.content["application/json"]!;
        expect(Object.values(media.examples ?? {}).find((e) => e.summary === desc)?.value).toEqual(input);
        seen++;
      }
    }
    expect(seen).toBeGreaterThanOrEqual(6);
  });

  it("documents the success status the routes really answer with", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/v1/issuers",
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { name: "Contract Academy" },
    });
    const documented = (method: string, url: string): number =>
      ROUTE_CONTRACTS.find((c) => c.method === method && c.url === url)!.success.status;
    expect(created.statusCode).toBe(documented("POST", "/v1/issuers"));
    const token = created.json<{ token: string }>().token;
    for (const route of ["/v1/credentials", "/v1/offers"]) {
      for (const desc of ROUTE_CONTRACTS.find((c) => c.method === "POST" && c.url === route)!.examples!) {
        const res = await app.inject({
          method: "POST",
          url: route,
          headers: { authorization: `Bearer ${token}` },
          payload: exampleBody(desc) as object,
        });
        expect(res.statusCode, `${route} ${desc}: ${res.body}`).toBe(documented("POST", route));
      }
    }
    const gets = [
      ["/healthz", "/healthz"],
      ["/v1/issuers", "/v1/issuers"],
      ["/v1/challenges", "/v1/challenges"],
      ["/log/checkpoint", "/log/checkpoint"],
      ["/v1/log/key", "/v1/log/key"],
      ["/v1/log/proof/inclusion?leafIndex=0", "/v1/log/proof/inclusion"],
      ["/v1/log/entries/0", "/v1/log/entries/:index"],
      ["/.well-known/openid-credential-issuer", "/.well-known/openid-credential-issuer"],
      ["/verify", "/verify"],
      ["/", "/"],
      ["/v1/register/stats", "/v1/register/stats"],
      ["/register", "/register"],
      ["/s/AAAAAAAAAAAAAAAAAAAAAA", "/s/:id"],
      ["/v1/witness", "/v1/witness"],
      ["/v1/witness/evidence?origin=example.com/log", "/v1/witness/evidence"],
    ] as const;
    for (const [url, route] of gets) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, `GET ${url}`).toBe(documented("GET", route));
    }
    const asked = await app.inject({
      method: "POST",
      url: "/v1/presentation-requests",
      payload: { purpose: "Contract check" },
    });
    expect(asked.statusCode, asked.body).toBe(documented("POST", "/v1/presentation-requests"));
    const { id, manageToken } = asked.json<{ id: string; manageToken: string }>();
    for (const [url, route, headers] of [
      [`/oid4vp/requests/${id}`, "/oid4vp/requests/:id", {}],
      [
        `/v1/presentation-requests/${id}`,
        "/v1/presentation-requests/:id",
        { authorization: `Bearer ${manageToken}` },
      ],
      [`/v1/presentation-requests/${id}/qr.svg`, "/v1/presentation-requests/:id/qr.svg", {}],
    ] as const) {
      const res = await app.inject({ method: "GET", url, headers });
      expect(res.statusCode, `GET ${url}`).toBe(documented("GET", route));
    }
    const backup = await app.inject({
      method: "POST",
      url: "/v1/admin/backup",
      headers: { authorization: `Bearer ${ADMIN}` },
      payload: { dir: join(dataDir, "..", `${dataDir.split("/").pop()}-backup`) },
    });
    expect(backup.statusCode, backup.body).toBe(documented("POST", "/v1/admin/backup"));
    await rm(join(dataDir, "..", `${dataDir.split("/").pop()}-backup`), { recursive: true, force: true });
    const rotated = await app.inject({
      method: "POST",
      url: `/v1/issuers/${created.json<{ id: string }>().id}/token`,
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(rotated.statusCode, rotated.body).toBe(documented("POST", "/v1/issuers/:id/token"));
    const preflight = await app.inject({ method: "OPTIONS", url: "/oid4vci/token" });
    expect(preflight.statusCode).toBe(documented("OPTIONS", "/oid4vci/token"));
  }, 60_000);
});
