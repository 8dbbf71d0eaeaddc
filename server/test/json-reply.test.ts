// JSON answers are encoded to UTF-8 once by the server's reply serializer (issue 10): the bytes,
// Content-Length and Content-Type a client receives are those of JSON.stringify's text, including
// for characters outside Latin-1 (a checkpoint's U+2014), astral ones and lone surrogates.
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { registerJsonReply } from "../src/json-reply.js";

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
