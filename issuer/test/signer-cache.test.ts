import { afterEach, describe, expect, it } from "vitest";
import { agentOn } from "../src/agent.js";
import { levelIssuerBackend } from "../src/backend.js";
import { IssuerRegistry, type PrivateKeySource } from "../src/issuers.js";
import { createSecretBox } from "../src/secret-box.js";
import type { IssuerDb } from "../src/storage.js";
import { openFixture } from "./fixture.js";

// An issuer's signing key is unsealed once per process, however many issuances ask for it at once
// (a batch of 1000, or a burst of requests, arriving right after a start).

const fixtures: Awaited<ReturnType<typeof openFixture>>[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.dispose();
});

/** A fresh registry over the fixture's stores (a restart: nothing cached), its key source counted. */
async function restartedRegistry(failFirst = false) {
  const f = await openFixture();
  fixtures.push(f);
  const { id } = await f.service.createIssuer({ name: "Cache Academy" });
  const sub = (name: string) =>
    f.db.sublevel<string, Uint8Array>(name, {
      keyEncoding: "utf8",
      valueEncoding: "view",
    }) as unknown as IssuerDb;
  const backend = levelIssuerBackend(sub("issuer"), sub("veramo"), createSecretBox(f.secret));
  let loads = 0;
  const keys: PrivateKeySource = {
    async getKey(args) {
      loads++;
      await new Promise((r) => setTimeout(r, 5)); // the unseal takes a while: callers pile up meanwhile
      if (failFirst && loads === 1) throw new Error("key store unavailable");
      return await backend.veramo.privateKeys.getKey(args);
    },
  };
  const registry = new IssuerRegistry(
    backend.issuers,
    agentOn(backend.veramo),
    keys,
    f.log,
    backend.writer,
    () => new Date(),
  );
  await registry.load();
  return { registry, id, loads: () => loads };
}

describe("issuer signing keys", () => {
  it("are loaded once for many concurrent callers, who all get the same signer", async () => {
    const { registry, id, loads } = await restartedRegistry();
    const all = await Promise.all(Array.from({ length: 200 }, () => registry.signing(id)));
    expect(loads()).toBe(1);
    expect(new Set(all.map((s) => s.signer)).size).toBe(1);
    await registry.signing(id);
    expect(loads()).toBe(1);
  });

  it("a failed load fails every caller waiting for it, and the next call loads again", async () => {
    const { registry, id, loads } = await restartedRegistry(true);
    const first = await Promise.allSettled(Array.from({ length: 20 }, () => registry.signing(id)));
    expect(first.every((r) => r.status === "rejected")).toBe(true);
    expect(first.map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(
      Array(20).fill("issuer.key_unavailable"),
    );
    expect(loads()).toBe(1);
    const again = await registry.signing(id);
    expect(again.signer.kid).toBe(again.record.kid);
    expect(loads()).toBe(2);
  });
});
