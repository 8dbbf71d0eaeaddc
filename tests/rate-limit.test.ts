// Rate limits are per token (hashed) or per address, and answer 429 problem+json with Retry-After.
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_TOKEN, call, startServer, type RunningServer } from "./helpers/server.js";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ rateLimitPerMinute: 5 });
});
afterAll(async () => {
  await server?.close();
});

it("limits each token separately and says when to retry", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++)
    statuses.push((await call(server.url, "GET", "/v1/issuers", { token: ADMIN_TOKEN })).status);
  expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  const limited = await call(server.url, "GET", "/v1/issuers", { token: ADMIN_TOKEN });
  expect(limited.status).toBe(429);
  expect(limited.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect((limited.body as { code: string }).code).toBe("http.rate_limited");
  expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  // A request without a valid token counts against the address, which has its own budget.
  expect((await call(server.url, "GET", "/v1/issuers", { token: "mlt_other" })).status).toBe(200);
});
