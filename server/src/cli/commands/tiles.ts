import { resolve } from "node:path";
import { str, type GroupCommand } from "../command.js";
import { api, print, serverUrl } from "../context.js";
import { CliError } from "../errors.js";

/** `meritlog tiles export DIR [--follow] [--interval SECONDS] [--key VERIFIER_KEY]`. */
export const tiles: GroupCommand = {
  name: "tiles",
  summary: "export the log as static files (C2SP tlog-tiles) for any web server or CDN",
  subcommands: [
    {
      name: "export",
      summary: "write checkpoint, tiles and entry bundles into DIR",
      usage: `usage: meritlog tiles export DIR [--follow] [--interval SECONDS] [--key VERIFIER_KEY]

Writes the running server's log (MERITLOG_URL) into DIR in the C2SP tlog-tiles layout:
checkpoint, tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>], so any static web server or CDN
can serve it. Full tiles are never rewritten, partial tiles are replaced atomically (temporary
file, fsync, rename) and the checkpoint is written last. The checkpoint must verify under the log
key (--key, pinned; else GET /v1/log/key) and must not be smaller than the one DIR holds.
--follow exports again whenever the checkpoint changes (every --interval seconds, default 2)
until interrupted.`,
      positionals: { min: 1, max: 1 },
      options: {
        follow: { type: "boolean" },
        interval: { type: "string" },
        key: { type: "string" },
      },
      async run(p) {
        const { exportTiles, followTiles, httpTileSource } = await import("../tiles-export.js");
        const dir = resolve(p.positionals[0]!);
        const key =
          str(p, "key") ??
          ((await api("GET", "/v1/log/key", undefined)) as { verifierKey: string }).verifierKey;
        const interval = Number(str(p, "interval") ?? "2");
        if (!Number.isFinite(interval) || interval <= 0 || interval > 86_400)
          throw new CliError("cli.usage", "--interval must be a number of seconds between 0 and 86400");
        const source = httpTileSource(serverUrl());
        if (p.values.follow !== true) {
          try {
            print(await exportTiles(source, dir, key));
          } catch (e) {
            throw new CliError("cli.refused", `tiles export: ${(e as Error).message}`, { cause: e });
          }
          return 0;
        }
        const stop = new AbortController();
        for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
        await followTiles(source, dir, key, {
          intervalMs: interval * 1000,
          signal: stop.signal,
          onExport: (r) => print(r),
          onError: (e) => process.stderr.write(`meritlog: tiles export: ${(e as Error).message}\n`),
        });
        return 0;
      },
    },
  ],
};
