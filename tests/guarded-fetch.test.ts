// The guarded fetcher (issue 13) against real local servers: https with a self-signed certificate
// made by openssl for this test, a DNS-rebinding resolver, redirects, size and time limits.
// Loopback is reachable here only through the explicit test-only option.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpsServer, type Server } from "node:https";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGuardedFetch,
  guardedFetcher,
  isPublicAddress,
  type ResolvedAddress,
} from "@meritlog/verifier";
import { configFromEnv } from "@meritlog/server";

let dir = "";
let cert = "";
let key = "";
let https: Server;
let port = 0;
let plain: HttpServer;
let plainPort = 0;
let hits = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "meritlog-fetch-"));
  // A certificate for the names the test resolves itself: issuer.test and other.test.
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=issuer.test",
      "-addext",
      "subjectAltName=DNS:issuer.test,DNS:other.test",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  cert = readFileSync(join(dir, "cert.pem"), "utf8");
  key = readFileSync(join(dir, "key.pem"), "utf8");
  https = createHttpsServer({ cert, key }, (req, res) => {
    hits++;
    if (req.url === "/log/checkpoint")
      return void res
        .writeHead(200, { "content-type": "text/plain" })
        .end("issuer.test/log\n7\nAAAA\n\n— sig\n");
    if (req.url === "/status/1")
      return void res
        .writeHead(200, { "content-type": "application/vc+jwt" })
        .end("eyJhbGciOiJFZERTQSJ9.e30.c2ln\n");
    if (req.url === "/big") return void res.writeHead(200).end(Buffer.alloc(2 * 1024 * 1024, 0x61));
    if (req.url === "/slow") return void setTimeout(() => res.writeHead(200).end("late"), 2000);
    if (req.url === "/redirect-same") return void res.writeHead(302, { location: "/status/1" }).end();
    if (req.url === "/redirect-other")
      return void res.writeHead(302, { location: `https://other.test:${port}/status/1` }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => https.listen(0, "127.0.0.1", r));
  port = (https.address() as AddressInfo).port;
  plain = createHttpServer((_req, res) => res.writeHead(200).end("plain"));
  await new Promise<void>((r) => plain.listen(0, "127.0.0.1", r));
  plainPort = (plain.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => https?.close(r));
  await new Promise((r) => plain?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const loopback = async (): Promise<ResolvedAddress[]> => [{ address: "127.0.0.1", family: 4 }];
/** The test's own fetcher: issuer.test → 127.0.0.1, trusted certificate, loopback allowed (test only). */
const testFetch = (o: Parameters<typeof createGuardedFetch>[0] = {}) =>
  createGuardedFetch({ resolve: loopback, ca: cert, allowLoopbackForTests: true, ...o });

describe("guarded fetcher", () => {
  it("fetches over https, and serves a repeat from its cache with the original fetch time", async () => {
    let t = Date.parse("2026-11-30T12:00:00Z");
    const get = testFetch({ now: () => new Date(t) });
    const before = hits;
    const a = await get(`https://issuer.test:${port}/status/1`, "application/vc+jwt");
    expect(a).toMatchObject({
      body: "eyJhbGciOiJFZERTQSJ9.e30.c2ln\n",
      fetchedAt: "2026-11-30T12:00:00.000Z",
      cached: false,
    });
    t += 60_000;
    const b = await get(`https://issuer.test:${port}/status/1`, "application/vc+jwt");
    expect(b).toMatchObject({ fetchedAt: "2026-11-30T12:00:00.000Z", cached: true });
    expect(hits - before).toBe(1);
    t += 10 * 60_000;
    expect((await get(`https://issuer.test:${port}/status/1`, "application/vc+jwt")).cached).toBe(false);
  });

  it("refuses private, loopback and link-local targets after resolution, without the test-only option", async () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "192.168.1.1",
      "169.254.169.254",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
      "0.0.0.0",
    ]) {
      const get = createGuardedFetch({
        resolve: async () => [{ address, family: address.includes(":") ? 6 : 4 }],
        ca: cert,
      });
      await expect(get(`https://issuer.test:${port}/status/1`, "*/*"), address).rejects.toMatchObject({
        code: "fetch.address",
      });
    }
    // An IP literal is checked too; so is a name with one public and one private address.
    await expect(createGuardedFetch()(`https://127.0.0.1:${port}/status/1`, "*/*")).rejects.toMatchObject({
      code: "fetch.address",
    });
    const mixed = createGuardedFetch({
      resolve: async () => [
        { address: "93.184.216.34", family: 4 },
        { address: "10.0.0.1", family: 4 },
      ],
    });
    await expect(mixed(`https://issuer.test:${port}/status/1`, "*/*")).rejects.toMatchObject({
      code: "fetch.address",
    });
    expect(isPublicAddress("93.184.216.34")).toBe(true);
    expect(isPublicAddress("2606:4700::1111")).toBe(true);
  });

  it("is not fooled by DNS rebinding: it resolves once and connects to the address it checked", async () => {
    // A resolver that answers a public address first and the private one afterwards.
    let calls = 0;
    const rebinding = async (): Promise<ResolvedAddress[]> =>
      calls++ === 0 ? [{ address: "93.184.216.34", family: 4 }] : [{ address: "127.0.0.1", family: 4 }];
    const get = createGuardedFetch({ resolve: rebinding, ca: cert, timeoutMs: 1000 });
    // The check passes on the public answer; the connection goes to that same public address (not
    // reachable from this sandbox), never to a second answer pointing at the local server.
    const before = hits;
    await expect(get(`https://issuer.test:${port}/status/1`, "*/*")).rejects.toMatchObject({
      code: expect.stringMatching(/^fetch\.(network|timeout)$/),
    });
    expect(calls).toBe(1);
    expect(hits).toBe(before);
    // Asked again, the private answer is refused at the check.
    await expect(get(`https://issuer.test:${port}/status/1`, "*/*")).rejects.toMatchObject({
      code: "fetch.address",
    });
    expect(hits).toBe(before);
  });

  it("allows http only to this service's own origin", async () => {
    await expect(testFetch()(`http://issuer.test:${plainPort}/`, "*/*")).rejects.toMatchObject({
      code: "fetch.scheme",
    });
    const own = createGuardedFetch({ selfOrigin: `http://127.0.0.1:${plainPort}` });
    expect((await own(`http://127.0.0.1:${plainPort}/`, "*/*")).body).toBe("plain");
  });

  it("follows a redirect on the same host, refuses one to another host", async () => {
    expect((await testFetch()(`https://issuer.test:${port}/redirect-same`, "*/*")).body).toContain("eyJ");
    await expect(testFetch()(`https://issuer.test:${port}/redirect-other`, "*/*")).rejects.toMatchObject({
      code: "fetch.redirect",
    });
  });

  it("stops at 1 MB and at the time limit, and checks the certificate", async () => {
    await expect(testFetch()(`https://issuer.test:${port}/big`, "*/*")).rejects.toMatchObject({
      code: "fetch.too_large",
    });
    const t0 = Date.now();
    await expect(
      testFetch({ timeoutMs: 300 })(`https://issuer.test:${port}/slow`, "*/*"),
    ).rejects.toMatchObject({ code: "fetch.timeout" });
    expect(Date.now() - t0).toBeLessThan(1500);
    // Without trusting the test certificate, TLS fails.
    await expect(
      createGuardedFetch({ resolve: loopback, allowLoopbackForTests: true })(
        `https://issuer.test:${port}/status/1`,
        "*/*",
      ),
    ).rejects.toMatchObject({ code: "fetch.network" });
  });

  it("fetches the checkpoint of a trusted foreign log (MERITLOG_TRUSTED_LOGS) and only of one", async () => {
    const origin = `issuer.test:${port}/log`;
    const own = {
      latestCheckpoint: async (o: string) =>
        o === "local/log" ? "local checkpoint" : Promise.reject(new Error("not this service's log")),
    };
    const f = guardedFetcher(testFetch(), own, () => false, [origin]);
    expect(await f.latestCheckpoint!(origin)).toBe("issuer.test/log\n7\nAAAA\n\n— sig\n");
    expect(await f.latestCheckpoint!("local/log")).toBe("local checkpoint");
    await expect(f.latestCheckpoint!(`other.test:${port}/log`)).rejects.toThrow(/not this service's log/);
    const key = "issuer.test/log+0a1b2c3d+AbCdEf0123456789abcdefABCDEF0123456789abcd=";
    expect(configFromEnv({ MERITLOG_TRUSTED_LOGS: `${key}, ${key}` }).trustedLogs).toEqual([key, key]);
    expect(configFromEnv({}).fetch).toBe(true);
    expect(configFromEnv({ MERITLOG_FETCH: "off" }).fetch).toBe(false);
    expect(() => configFromEnv({ MERITLOG_TRUSTED_LOGS: "not-a-key" })).toThrow(/MERITLOG_TRUSTED_LOGS/);
  });
});
