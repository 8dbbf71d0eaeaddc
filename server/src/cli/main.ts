// Dispatch for the `meritlog` command (docs/API.md "CLI"): finds the command (and subcommand) in
// the registry, answers --help/-h and --version before anything else happens, and turns coded
// errors into exit codes: 0 success, 1 negative result, 2 usage or connection error.
import { readFileSync } from "node:fs";
import { isGroup, parseCommand, type Command, type GroupCommand, type LeafCommand } from "./command.js";
import { CLI_EXIT_STATUS, CliError, isCliError } from "./errors.js";

/** The package version printed by `--version` (server/package.json, one level above src/ and dist/). */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

const column = (name: string, summary: string): string => `  ${name.padEnd(22)} ${summary}`;

/** The top-level usage: every command and subcommand of the registry. */
function topUsage(commands: readonly Command[]): string {
  const lines = ["usage: meritlog <command> [options]   (meritlog <command> --help for its usage)", ""];
  for (const c of commands) {
    if (isGroup(c)) for (const s of c.subcommands) lines.push(column(`${c.name} ${s.name}`, s.summary));
    else lines.push(column(c.name, c.summary));
  }
  lines.push(
    "",
    "  --help, -h             this text; after a command, that command's usage",
    "  --version              the meritlog version",
    "",
    "exit status: 0 success, 1 negative result (not valid, fsck failed), 2 usage or connection error",
    "environment: MERITLOG_URL (default http://HOST:PORT), MERITLOG_TOKEN, MERITLOG_ADMIN_TOKEN,",
    "MERITLOG_DATA, and the server's variables (docs/API.md).",
  );
  return lines.join("\n");
}

function groupUsage(g: GroupCommand): string {
  return [
    `usage: meritlog ${g.name} <${g.subcommands.map((s) => s.name).join(" | ")}> [options]`,
    "",
    ...g.subcommands.map((s) => column(s.name, s.summary)),
  ].join("\n");
}

const isHelp = (a: string | undefined): boolean => a === "--help" || a === "-h";

/**
 * Runs one command line against a registry. Returns the exit code, or -1 for a command that keeps
 * running (serve). Help and version print to stdout and touch nothing else.
 * @throws CliError and whatever a command throws unexpectedly
 */
async function dispatch(argv: string[], commands: readonly Command[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || isHelp(first)) {
    console.log(topUsage(commands));
    return 0;
  }
  if (first === "--version") {
    console.log(version());
    return 0;
  }
  if (first === "help") return await dispatch([...rest, "--help"], commands);
  if (first.startsWith("-"))
    throw new CliError("cli.usage", `unknown option "${first}"\n\n${topUsage(commands)}`);
  const cmd = commands.find((c) => c.name === first);
  if (!cmd) throw new CliError("cli.usage", `unknown command "${first}"\n\n${topUsage(commands)}`);
  let leaf: LeafCommand;
  let args: string[];
  if (isGroup(cmd)) {
    const [sub, ...subArgs] = rest;
    if (sub === undefined || isHelp(sub)) {
      if (sub === undefined) throw new CliError("cli.usage", groupUsage(cmd));
      console.log(groupUsage(cmd));
      return 0;
    }
    const found = cmd.subcommands.find((s) => s.name === sub);
    if (!found) throw new CliError("cli.usage", `unknown ${cmd.name} command "${sub}"\n\n${groupUsage(cmd)}`);
    leaf = found;
    args = subArgs;
  } else {
    leaf = cmd;
    args = rest;
  }
  const parsed = parseCommand(leaf, args);
  if (parsed === "help") {
    console.log(leaf.usage);
    return 0;
  }
  return await leaf.run(parsed);
}

/** Runs the CLI and sets `process.exitCode`; errors go to stderr as one line, never a stack trace. */
export async function runCli(argv: string[], commands: readonly Command[]): Promise<void> {
  try {
    const code = await dispatch(argv, commands);
    if (code >= 0) process.exitCode = code;
  } catch (err) {
    console.error(`meritlog: ${(err as Error).message ?? String(err)}`);
    // Coded CLI errors carry their exit status; anything else is a failure to run, not a verdict.
    process.exitCode = isCliError(err) ? CLI_EXIT_STATUS[err.code] : 2;
  }
}
