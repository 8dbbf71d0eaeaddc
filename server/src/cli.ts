// The `meritlog` command (docs/API.md "CLI"). It reads the same configuration as the server.
// Commands that act on a running service speak its HTTP API (LevelDB admits one process at a time);
// `log verify` opens the data folder itself, so run it with the server stopped.
// Each command is a module under cli/commands/, listed in cli/registry.ts.
import { runCli } from "./cli/main.js";
import { COMMANDS } from "./cli/registry.js";

await runCli(process.argv.slice(2), COMMANDS);
