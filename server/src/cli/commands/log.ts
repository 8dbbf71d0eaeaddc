import { str, type GroupCommand } from "../command.js";
import { join } from "node:path";
import { api, config, openData, print } from "../context.js";
import { storeOf } from "../../data-folder.js";
import { isCliError } from "../errors.js";

const logSublevel = (db: Awaited<ReturnType<typeof openData>>) => storeOf(db, "log");

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
          const db = await openData();
          try {
            print(await loadStoredCheckpoint(logSublevel(db)));
          } finally {
            await db.close();
          }
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
one process). Without --key the checkpoint is checked against
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
        const db = await openData();
        try {
          const report = await fsckLog(
            logSublevel(db),
            str(p, "key"),
            external === undefined ? {} : { externalCheckpoint: external },
          );
          print(report);
          return report.ok ? 0 : 1;
        } finally {
          await db.close();
        }
      },
    },
  ],
};
