// Child process of tests/ledger-durability.test.ts: appends under concurrent load and reports
// every resolved append on stdout (pipes are synchronous on Linux, so a reported line was
// written before the next thing happens). The parent SIGKILLs this process at random moments.
// Usage: node --import tsx --conditions=@meritlog/source ledger/test/durability-child.ts <dir> <seed-hex> <round>
import { Level } from "level";
import { createNoteSigner, openLog } from "@meritlog/ledger";

const [dir, seedHex, round] = process.argv.slice(2) as [string, string, string];
const ORIGIN = "meritlog.test/durability";
const level = new Level<string, Uint8Array>(dir, { keyEncoding: "utf8", valueEncoding: "view" });
await level.open();
const log = await openLog({
  db: level.sublevel<string, Uint8Array>("log", { keyEncoding: "utf8", valueEncoding: "view" }),
  origin: ORIGIN,
  signer: createNoteSigner(ORIGIN, Buffer.from(seedHex, "hex")),
  batchMaxDelayMs: 1,
  batchMaxSize: 512,
});
const seen = new Set<number>();
const out = (o: object): void => void process.stdout.write(JSON.stringify(o) + "\n");
out({ ready: true, size: log.size });
const WORKERS = 48;
await Promise.all(
  Array.from({ length: WORKERS }, async (_, w) => {
    for (let i = 0; ; i++) {
      const entry = JSON.stringify({ round: Number(round), w, i });
      const r = await log.append(new TextEncoder().encode(entry));
      if (!seen.has(r.treeSize)) {
        seen.add(r.treeSize);
        out({ checkpoint: r.checkpoint });
      }
      out({ leafIndex: r.leafIndex, treeSize: r.treeSize, entry });
    }
  }),
);
