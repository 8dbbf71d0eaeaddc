import { resolve } from "node:path";
import { type LeafCommand } from "../command.js";
import { CliError } from "../errors.js";
import { adminToken, api, config, print } from "../context.js";

/** `meritlog fsck`: every store, offline (docs/API.md "Data folder, start-up checks, fsck, backup"). */
export const fsck: LeafCommand = {
  name: "fsck",
  summary: "check every store: records decode, log entries match, status lists agree, keys open",
  usage: `usage: meritlog fsck

Checks the whole data folder with the server stopped (LevelDB admits one process): every record of
every store decodes, every credential's JWT matches its digest and its log entries exist and match,
every stored receipt verifies, status lists agree with records, keys open with the secret, and the
log itself as \`log verify\` does (including the checkpoint kept outside the database).
Exit 0 clean, 1 damage found (listed), 2 cannot run.`,
  async run() {
    // Loaded on demand: it imports the issuer package (Veramo), seconds other commands need not pay.
    const r = await (await import("../../fsck.js")).runFsck(config());
    print(r.output);
    return r.code;
  },
};

/** `meritlog backup DIR`: a consistent snapshot taken by the running server. */
export const backup: LeafCommand = {
  name: "backup",
  summary: "consistent backup by the running server into DIR (admin token)",
  usage: `usage: meritlog backup DIR

Asks the running server (POST /v1/admin/backup, admin token) to write one consistent snapshot of
the whole database, the external checkpoint and the side files into DIR (an empty or new folder on
the server's machine), with a SHA-256 manifest written last. The backup holds secret.key and the
admin token: keep it as secret as the data folder. With MERITLOG_DATABASE_URL the server adds
pg.dump: every table, read in one REPEATABLE READ transaction.`,
  positionals: { min: 1, max: 1 },
  async run(p) {
    print(await api("POST", "/v1/admin/backup", await adminToken(), { dir: resolve(p.positionals[0]!) }));
    return 0;
  },
};

/** `meritlog restore DIR`: into an empty data folder only, then fsck. */
export const restore: LeafCommand = {
  name: "restore",
  summary: "restore a backup into an empty data folder (server stopped), then fsck",
  usage: `usage: meritlog restore DIR

Checks DIR's manifest (a tampered or unfinished backup is refused), writes it into the empty data
folder MERITLOG_DATA, then runs fsck. A backup of a PostgreSQL deployment needs
MERITLOG_DATABASE_URL naming an empty database or schema. Exit 0 restored and clean, 1 damage
found, 2 refused.`,
  positionals: { min: 1, max: 1 },
  async run(p) {
    const r = await (await import("../../backup.js")).runRestore(resolve(p.positionals[0]!), config());
    print(r.output);
    return r.code;
  },
};

/** `meritlog migrate --to URL`: the embedded data folder into PostgreSQL (server stopped). */
export const migrate: LeafCommand = {
  name: "migrate",
  summary: "copy the embedded data folder into PostgreSQL (server stopped)",
  usage: `usage: meritlog migrate --to postgres://…

Copies the data folder MERITLOG_DATA (server stopped) into the empty PostgreSQL database at --to,
creating its schema, in one transaction; then checks the copied log as \`log verify\` does: same
size and root as the source. Start the servers with MERITLOG_DATABASE_URL set to the same URL and
the same MERITLOG_SECRET. Exit 0 copied and verified, 1 copied but the check failed, 2 refused.`,
  options: { to: { type: "string" } },
  async run(p) {
    const to = p.values["to"];
    if (typeof to !== "string" || !/^postgres(ql)?:\/\//i.test(to))
      throw new CliError("cli.usage", `--to must be a postgres:// URL\n\n${migrate.usage}`);
    const r = await (await import("../../migrate.js")).runMigrate(config(), to);
    print(r.output);
    return r.code;
  },
};
