import { str, type GroupCommand } from "../command.js";
import { join } from "node:path";
import { api, config, openData, print } from "../context.js";
import type { LogSource } from "@meritlog/ledger";
import { isCliError } from "../errors.js";

/**
 * Runs `fn` on where the stopped log lives: the data folder's LevelDB, or with
 * MERITLOG_DATABASE_URL the PostgreSQL log (docs/SCALING.md). The data folder is opened either
 * way, so a node still running is refused as before (`meritlog fsck` does the same).
 */
async function withLogSource<T>(fn: (source: LogSource) => Promise<T>): Promise<T> {
  const db = await openData();
  const url = config().databaseUrl;
  const pool =
    url === undefined ? undefined : (await import("@meritlog/postgres")).createPool(url, { max: 4 });
  try {
    // Loaded here, not at start-up (as openData loads LevelDB): it brings the ledger and LevelDB,
    // which `--help` and the HTTP commands never need.
    if (pool === undefined) return await fn((await import("../../data-folder.js")).storeOf(db, "log"));
    const { pgRecordSource } = await import("@meritlog/ledger");
    return await fn(pgRecordSource(pool));
  } finally {
    await pool?.end();
    await db.close();
  }
}

/** `meritlog log checkpoint | verify`. */
export const log: GroupCommand = {
  name: "log",
  summary: "print the log's signed checkpoint, or fsck the stored log",
  subcommands: [
    {
      name: "checkpoint",
      summary: "print the log's latest signed checkpoint",
      usage: `usage: meritlog log checkpoint

Prints the log's latest C2SP signed checkpoint: from the running server, or, when none answers,
from the data folder (MERITLOG_DATA).`,
      async run() {
        try {
          print(await api("GET", "/log/checkpoint", undefined));
        } catch (err) {
          if (!isCliError(err, "cli.unreachable")) throw err;
          const { loadStoredCheckpoint } = await import("@meritlog/ledger");
          print(await withLogSource((source) => loadStoredCheckpoint(source)));
        }
        return 0;
      },
    },
    {
      name: "verify",
      summary: "fsck: recompute every tile and the root, check the signed checkpoint",
      usage: `usage: meritlog log verify [--key VERIFIER_KEY]

Recomputes every tile and the root from the stored entries and checks the signed checkpoint
and the checkpoint kept outside the database in data/checkpoint (server stopped: LevelDB admits
one process). With MERITLOG_DATABASE_URL the log is read from PostgreSQL. Without --key the checkpoint is checked against
the key stored with the log, which finds corruption; --key VERIFIER_KEY (from GET /v1/log/key,
obtained elsewhere and pinned) also finds a swapped key. Prints the report; exit 1 if not ok.`,
      options: { key: { type: "string" } },
      async run(p) {
        const { fsckLog } = await import("@meritlog/ledger");
        // Also against the newest checkpoint kept outside the database (a rollback or a fork).
        const { readCheckpointFile } = await import("../../checkpoint-file.js");
        const external = await readCheckpointFile(join(config().dataDir, "checkpoint")).catch(
          () => undefined,
        );
        const report = await withLogSource((source) =>
          fsckLog(source, str(p, "key"), external === undefined ? {} : { externalCheckpoint: external }),
        );
        print(report);
        return report.ok ? 0 : 1;
      },
    },
  ],
};
