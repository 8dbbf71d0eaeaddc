// DurableWriter (storage.ts) writes each sublevel's operations straight through the top-level
// database (its prefix and value encoding worked out once): the stored keys and bytes must be
// exactly those the sublevels' own writes give, and the root's `write` event (which the server's
// read caches listen to) must still announce every full key.
import { afterEach, describe, expect, it, vi } from "vitest";
import { recordEncoding } from "../src/records.js";
import { DurableWriter, jsonSublevel, type IssuerDb, type WriteOp } from "../src/storage.js";
import { tempDb } from "./helpers.js";

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
});

/** Every key and value of the root database, values as hex. */
async function dump(db: Awaited<ReturnType<typeof tempDb>>["db"]): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [k, v] of db.iterator()) out.push([k, Buffer.from(v).toString("hex")]);
  return out;
}

/** The sublevels of an issuer store: JSON values, the checked record encoding, raw bytes; one nested deeper. */
function stores(root: IssuerDb) {
  const issuer = root.sublevel("issuer", { valueEncoding: "view" }) as IssuerDb;
  return {
    issuer,
    json: jsonSublevel<unknown>(issuer, "digests"),
    records: issuer.sublevel("credentials", { valueEncoding: recordEncoding }) as never,
    bytes: issuer.sublevel("bits", { valueEncoding: "view" }) as never,
    nested: jsonSublevel<unknown>(jsonSublevel(issuer, "status") as IssuerDb, "a"),
  };
}

const record = {
  id: "urn:uuid:01a22e31-d599-724b-8a8e-d75f634b350a",
  jwt: { h: "eyJhbGciOiJFZERTQSJ9", p: new Uint8Array(Buffer.from('{"a":"é"}')), s: "c2ln" },
  history: [{ receipt: { checkpoint: "example.org/log\n1\nAAAA\n\n— example.org/log AbCd\n" } }],
};

describe("DurableWriter", () => {
  it("stores the same keys and bytes as each sublevel's own writes, deletes included, and announces full keys", async () => {
    const a = await tempDb();
    const b = await tempDb();
    disposers.push(a.dispose, b.dispose);
    const sa = stores(a.db as unknown as IssuerDb);
    const sb = stores(b.db as unknown as IssuerDb);
    const announced: string[] = [];
    a.db.on("write", (ops: { key: unknown }[]) => announced.push(...ops.map((o) => String(o.key))));

    const ops = (s: ReturnType<typeof stores>): WriteOp[] => [
      { type: "put", db: s.json, key: "959c41e9", value: { kind: "issue", credentialId: record.id } },
      { type: "put", db: s.records, key: record.id, value: record },
      { type: "put", db: s.bytes, key: "k", value: new Uint8Array([0, 1, 255]) },
      { type: "put", db: s.nested, key: "603dd9d1!42", value: 1 },
      { type: "put", db: s.json, key: "gone", value: "x" },
    ];
    await new DurableWriter(sa.issuer).write(ops(sa));
    await new DurableWriter(sa.issuer).write([{ type: "del", db: sa.json, key: "gone" }]);

    // The reference: every operation through its own sublevel.
    for (const op of ops(sb)) if (op.type === "put") await op.db.put(op.key, op.value as never);
    await sb.json.del("gone");

    expect(await dump(a.db)).toEqual(await dump(b.db));
    expect((await dump(a.db)).map(([k]) => k)).toContain("!issuer!!status!!a!603dd9d1!42");
    expect(await sa.json.get("959c41e9")).toEqual({ kind: "issue", credentialId: record.id });
    expect(announced).toEqual([
      "!issuer!!digests!959c41e9",
      `!issuer!!credentials!${record.id}`,
      "!issuer!!bits!k",
      "!issuer!!status!!a!603dd9d1!42",
      "!issuer!!digests!gone",
      "!issuer!!digests!gone",
    ]);
  });
  it("writes one native batch for plain sublevel writes, and runs a prewrite hook when there is one", async () => {
    const a = await tempDb();
    disposers.push(a.dispose);
    const sa = stores(a.db as unknown as IssuerDb);
    const native = vi.spyOn(a.db as unknown as { _batch: () => Promise<void> }, "_batch");
    await new DurableWriter(sa.issuer).write([{ type: "put", db: sa.json, key: "one", value: 1 }]);
    expect(native).toHaveBeenCalledTimes(1);
    expect(await sa.json.get("one")).toBe(1);

    // A hook may add writes, which only abstract-level's public batch applies.
    a.db.hooks.prewrite.add((op, batch) => {
      if (op.type === "put" && String(op.key).endsWith("!two"))
        batch.add({ type: "put", key: "hooked", value: "1" });
    });
    await new DurableWriter(sa.issuer).write([{ type: "put", db: sa.json, key: "two", value: 2 }]);
    expect(await sa.json.get("two")).toBe(2);
    expect(await a.db.get("hooked")).toBeDefined();
  });
});
