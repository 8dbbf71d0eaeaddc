// JSON answers are encoded to UTF-8 once by the server's reply serializer (issue 10): the bytes,
// Content-Length and Content-Type a client receives are those of JSON.stringify's text, including
// for characters outside Latin-1 (a checkpoint's U+2014), astral ones and lone surrogates.
import Fastify from "fastify";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonBytes, registerJsonReply } from "../src/json-reply.js";

/** What the answer must be: JSON.stringify's text in UTF-8. */
const utf8Json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v) ?? "", "utf8");

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object") {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

const answers: Record<string, unknown> = {
  ascii: { ok: true, n: 12, list: ["a", "b"] },
  "checkpoint note": { checkpoint: "example.org/log\n2\nAAAA\n\n— example.org/log pH0U\n" },
  "Latin-1 and astral": { name: "Zoë Ñandú", badge: "🏅", cjk: "証明書" },
  "lone surrogates": { broken: "a\ud800b\udc00c" },
  "nested problem": { type: "about:blank", status: 400, detail: "«quoted» — text", params: { x: [1, null] } },
};

describe("registerJsonReply", () => {
  it("answers the UTF-8 bytes of JSON.stringify with their length", async () => {
    const app = Fastify();
    registerJsonReply(app);
    app.get("/:name", async (req) => answers[(req.params as { name: string }).name]);
    for (const [name, value] of Object.entries(answers)) {
      const res = await app.inject({ method: "GET", url: `/${encodeURIComponent(name)}` });
      const want = Buffer.from(JSON.stringify(value), "utf8");
      expect(res.statusCode, name).toBe(200);
      expect(res.headers["content-type"], name).toBe("application/json; charset=utf-8");
      expect(Number(res.headers["content-length"]), name).toBe(want.length);
      expect(res.rawPayload.equals(want), name).toBe(true);
      expect(res.json(), name).toEqual(JSON.parse(JSON.stringify(value)));
    }
    await app.close();
  });

  it("keeps a route's explicit content type and a string a handler sends as it is", async () => {
    const app = Fastify();
    registerJsonReply(app);
    app.get("/problem", async (_req, reply) =>
      reply.code(404).type("application/problem+json").send({ title: "Not found — here", status: 404 }),
    );
    app.get("/text", async (_req, reply) => reply.type("text/plain; charset=utf-8").send("plain — text"));
    const problem = await app.inject({ method: "GET", url: "/problem" });
    expect(problem.statusCode).toBe(404);
    // As with Fastify's own serializer: the type kept, the charset added.
    expect(problem.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(problem.body).toBe(JSON.stringify({ title: "Not found — here", status: 404 }));
    const text = await app.inject({ method: "GET", url: "/text" });
    expect(text.body).toBe("plain — text");
    expect(Number(text.headers["content-length"])).toBe(Buffer.byteLength("plain — text"));
    await app.close();
  });
});

describe("jsonBytes", () => {
  it("writes JSON.stringify's bytes for any JSON value, frozen or not, answered again and again", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5, stringUnit: "binary" }), fc.boolean(), (v, freeze) => {
        const value = freeze ? deepFreeze(v) : v;
        // The third answer of a deep-frozen object comes from the bytes kept at its second.
        for (let i = 0; i < 3; i++) expect(jsonBytes(value).equals(utf8Json(value))).toBe(true);
      }),
    );
  });

  it("skips and converts members as JSON.stringify does at every level it walks", () => {
    const when = new Date("2026-11-30T00:00:00Z");
    const sym = Symbol("s");
    class Point {
      x = 1;
      y = 2;
    }
    const value = {
      u: undefined,
      f: () => 1,
      [sym]: "hidden",
      2: "index keys first",
      a: [undefined, () => 1, NaN, Infinity, -0],
      when,
      custom: { toJSON: () => ({ as: "toJSON" }) },
      point: new Point(),
      bare: Object.assign(Object.create(null) as object, { z: 1 }),
      checks: { one: { ok: true, u: undefined, nested: { deep: { deeper: [1, { x: undefined }] } } } },
      last: "— after a long two-byte string —".repeat(4),
    };
    // Frozen: the same data without functions (structuredClone keeps no symbol keys and no classes).
    const data = structuredClone({ ...value, f: undefined, a: [undefined, NaN, -0], custom: undefined });
    for (const v of [value, deepFreeze(data)])
      for (let i = 0; i < 3; i++) expect(jsonBytes(v).equals(utf8Json(v))).toBe(true);
    expect(jsonBytes(undefined).length).toBe(0);
    expect(jsonBytes(() => 1).length).toBe(0);
  });

  it("never reuses the bytes of a frozen object whose content can still change", () => {
    const inner = { n: 1 };
    const shallow = Object.freeze({ inner });
    const withGetter = Object.freeze(
      Object.defineProperty({}, "n", { enumerable: true, get: () => inner.n }) as { n: number },
    );
    const report = { checks: { a: { b: { shallow, withGetter } } }, top: shallow };
    for (let n = 1; n <= 4; n++) {
      inner.n = n;
      expect(jsonBytes(report).toString("utf8")).toBe(JSON.stringify(report));
    }
  });
});
