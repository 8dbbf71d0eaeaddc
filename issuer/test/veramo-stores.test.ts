import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createIssuerAgent, privateKeyStore } from "../src/agent.js";
import { createSecretBox } from "../src/secret-box.js";
import {
  Ed25519JwsSigner as JwtSigner,
  ed25519PrivateKey,
  ed25519RawPublicKey as rawPublicKey,
} from "@meritlog/core/node";
import { publicKeyFromDidKey, tempDb, verifyJwtWithDidKey, decodeJwt } from "./helpers.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("Veramo agent on LevelDB", () => {
  it("creates an Ed25519 did:key whose private key is sealed at rest and survives a reopen", async () => {
    const t = await tempDb();
    cleanups.push(t.dispose);
    const box = createSecretBox(randomBytes(32));
    const veramoDb = t.db.sublevel("veramo") as never;
    const agent = createIssuerAgent(veramoDb, box);
    const id = await agent.didManagerCreate({
      provider: "did:key",
      alias: "a",
      options: { keyType: "Ed25519" },
    });
    expect(id.did).toMatch(/^did:key:z6Mk/);
    const key = id.keys[0]!;
    expect(Buffer.from(publicKeyFromDidKey(id.did)).toString("hex")).toBe(key.publicKeyHex);

    const managed = await privateKeyStore(veramoDb, box).getKey({ alias: key.kid });
    const priv = Buffer.from(managed.privateKeyHex, "hex");
    expect(Buffer.from(rawPublicKey(ed25519PrivateKey(priv))).toString("hex")).toBe(key.publicKeyHex);

    // No stored value holds the seed, in raw bytes, hex or base64.
    const seed = priv.subarray(0, 32);
    const needles = [
      seed,
      Buffer.from(seed.toString("hex")),
      Buffer.from(seed.toString("base64")),
      Buffer.from(seed.toString("base64url")),
    ];
    let values = 0;
    for await (const [, v] of t.db.iterator({ keyEncoding: "utf8", valueEncoding: "view" })) {
      values++;
      for (const n of needles) expect(Buffer.from(v).includes(n)).toBe(false);
    }
    expect(values).toBeGreaterThan(2);

    // The agent still finds everything after a restart, and a wrong secret does not open the key.
    const again = createIssuerAgent(veramoDb, box);
    expect((await again.didManagerGet({ did: id.did })).keys[0]!.kid).toBe(key.kid);
    expect((await again.didManagerFind({ alias: "a" })).map((i) => i.did)).toEqual([id.did]);
    await expect(
      privateKeyStore(veramoDb, createSecretBox(randomBytes(32))).getKey({ alias: key.kid }),
    ).rejects.toMatchObject({ code: "secret.undecryptable" });
  });

  it("signs JWTs whose header is exactly alg/kid/typ and that verify with the did:key public key", async () => {
    const t = await tempDb();
    cleanups.push(t.dispose);
    const box = createSecretBox(randomBytes(32));
    const veramoDb = t.db.sublevel("veramo") as never;
    const agent = createIssuerAgent(veramoDb, box);
    const id = await agent.didManagerCreate({ provider: "did:key", options: { keyType: "Ed25519" } });
    const managed = await privateKeyStore(veramoDb, box).getKey({ alias: id.keys[0]!.kid });
    const kid = `${id.did}#${id.did.slice(8)}`;
    const signer = new JwtSigner(kid, ed25519PrivateKey(Buffer.from(managed.privateKeyHex, "hex")));
    const jwt = signer.sign({ hello: "world" });
    expect(decodeJwt(jwt).header).toEqual({ alg: "EdDSA", kid, typ: "JWT" });
    expect(verifyJwtWithDidKey(jwt, id.did)).toBe(true);
    const tampered = jwt.replace(/\.[^.]+\./, `.${Buffer.from('{"hello":"there"}').toString("base64url")}.`);
    expect(verifyJwtWithDidKey(tampered, id.did)).toBe(false);
  });
});
