// Crash durability of the transparency log (issue 2, "Tests that must exist"): a child process
// appends under concurrent load and reports each resolved append; we SIGKILL it at random
// moments, reopen, and check that every resolved append is present, `log verify` (fsckLog)
// passes, and the reopened checkpoint is consistent with every checkpoint handed out before.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Level } from "level";
import { afterAll, describe, expect, it } from "vitest";
import { createNoteSigner, fsckLog, openLog } from "@meritlog/ledger";
import {
  DEFAULT_TREE_HASHER,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  verifyConsistency,
  verifyNote,
  type Checkpoint,
} from "@meritlog/ledger/verify";

const root = fileURLToPath(new URL("..", import.meta.url));
const child = join(root, "ledger/test/durability-child.ts");
const ORIGIN = "meritlog.test/durability";
const dir = mkdtempSync(join(tmpdir(), "meritlog-durability-"));
const seed = randomBytes(32);
const signer = createNoteSigner(ORIGIN, seed);
const verifier = parseVerifierKey(signer.verifierKey);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Resolved {
  leafIndex: number;
  treeSize: number;
  entry: string;
}

/** Runs the child until it has resolved appends for `killAfterMs`, then SIGKILLs it. */
function runAndKill(
  round: number,
  killAfterMs: number,
): Promise<{ resolved: Resolved[]; checkpoints: string[]; startSize: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ["--import", "tsx", "--conditions=@meritlog/source", child, dir, seed.toString("hex"), String(round)],
      {
        cwd: root,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const resolved: Resolved[] = [];
    const checkpoints: string[] = [];
    let startSize = -1;
    let buf = "";
    let stderr = "";
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = JSON.parse(buf.slice(0, nl)) as {
          ready?: boolean;
          size?: number;
          checkpoint?: string;
        } & Partial<Resolved>;
        buf = buf.slice(nl + 1);
        if (line.ready) {
          startSize = line.size!;
          setTimeout(() => p.kill("SIGKILL"), killAfterMs);
        } else if (line.checkpoint !== undefined) checkpoints.push(line.checkpoint);
        else resolved.push(line as Resolved);
      }
    });
    p.on("error", reject);
    p.on("close", (_code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`child exited without being killed: ${stderr}`));
      else resolve({ resolved, checkpoints, startSize });
    });
  });
}

describe("ledger durability under SIGKILL", () => {
  it("keeps every resolved append and stays consistent across 5 kills", async () => {
    const handedOut = new Map<number, Checkpoint>(); // every checkpoint ever handed out, by size
    const all = new Map<number, string>(); // leafIndex → entry of every resolved append
    let lastSize = 0;
    for (let round = 1; round <= 5; round++) {
      const killAfterMs = 150 + Math.floor(Math.random() * 600);
      const { resolved, checkpoints, startSize } = await runAndKill(round, killAfterMs);
      expect(startSize, `round ${round}: the reopened log keeps its size`).toBe(lastSize);
      expect(
        resolved.length,
        `round ${round} (kill after ${killAfterMs} ms) resolved appends`,
      ).toBeGreaterThan(0);
      for (const r of resolved) all.set(r.leafIndex, r.entry);
      console.log(
        `round ${round}: killed after ${killAfterMs} ms, ${resolved.length} appends resolved in ${checkpoints.length} checkpoints`,
      );
      for (const [i, text] of checkpoints.entries()) {
        // Signatures are checked on a sample (noble verify is slow); all sizes/roots are kept.
        if (i % 20 === 0) expect(verifyNote(text, [verifier]).ok).toBe(true);
        const cp = parseCheckpoint(parseNote(text).body);
        handedOut.set(cp.size, cp);
      }

      // Reopen as the server would after a crash.
      const level = new Level<string, Uint8Array>(dir, { keyEncoding: "utf8", valueEncoding: "view" });
      await level.open();
      try {
        const db = level.sublevel<string, Uint8Array>("log", { keyEncoding: "utf8", valueEncoding: "view" });
        const fsck = await fsckLog(db, signer.verifierKey);
        expect(fsck.firstError, `round ${round}: fsck`).toBeUndefined();
        expect(fsck.ok).toBe(true);
        const log = await openLog({ db, origin: ORIGIN, signer });
        const maxResolved = Math.max(...resolved.map((r) => r.leafIndex));
        expect(log.size).toBeGreaterThan(maxResolved);
        for (const [i, entry] of all)
          expect(Buffer.from(await log.entry(i)).toString(), `entry ${i}`).toBe(entry);
        // The new head extends every checkpoint handed out before any kill (RFC 9162 §2.1.4).
        for (const cp of handedOut.values()) {
          const proof = await log.consistencyProof(cp.size, log.size);
          expect(
            verifyConsistency(DEFAULT_TREE_HASHER, cp.size, log.size, proof, cp.rootHash, log.rootHash),
            `consistency ${cp.size} → ${log.size}`,
          ).toBe(true);
        }
        lastSize = log.size;
        await log.close();
      } finally {
        await level.close();
      }
    }
    expect(all.size).toBeGreaterThan(500);
  }, 60_000);
});
