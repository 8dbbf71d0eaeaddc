// The shape of a `meritlog` command (docs/API.md "CLI"): each command is one small module that
// declares its options for `node:util` parseArgs and its usage text; cli/registry.ts lists them.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "./errors.js";

/** Options in `node:util` parseArgs form; `--help`/`-h` is added to every command. */
type Options = NonNullable<ParseArgsConfig["options"]>;

/** What a command's `run` receives: parsed options and positionals (after the command words). */
export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** A leaf command: parses its own arguments; `run` returns the exit code (0 success, 1 negative result). */
export interface LeafCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Full usage text printed by `--help` (starts with "usage: meritlog …"). */
  usage: string;
  options?: Options;
  /** How many positionals the command takes (inclusive); default none. */
  positionals?: { min: number; max: number };
  run(args: Parsed): Promise<number>;
}

/** A command with subcommands (`issuer create`, `log verify`, …). */
export interface GroupCommand {
  name: string;
  summary: string;
  subcommands: LeafCommand[];
}

export type Command = LeafCommand | GroupCommand;

export const isGroup = (c: Command): c is GroupCommand => "subcommands" in c;

/** parseArgs error codes (Node's `ERR_PARSE_ARGS_*`): all are usage errors, exit 2. */
const PARSE_ARGS_CODES = new Set([
  "ERR_PARSE_ARGS_UNKNOWN_OPTION",
  "ERR_PARSE_ARGS_INVALID_OPTION_VALUE",
  "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL",
]);

/**
 * Parses a leaf command's arguments strictly (unknown options are errors). Returns `"help"` when
 * `--help`/`-h` is given, so the caller prints usage before anything else happens.
 * @throws CliError `cli.usage` for unknown options, missing values or a wrong number of positionals
 */
export function parseCommand(cmd: LeafCommand, args: string[]): Parsed | "help" {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { ...cmd.options, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && PARSE_ARGS_CODES.has(code))
      throw new CliError("cli.usage", `${(err as Error).message}\n\n${cmd.usage}`);
    throw err;
  }
  if (parsed.values.help) return "help";
  const { min, max } = cmd.positionals ?? { min: 0, max: 0 };
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    const extra =
      parsed.positionals.length > max
        ? `unexpected argument "${parsed.positionals[max]}"`
        : "missing argument";
    throw new CliError("cli.usage", `${extra}\n\n${cmd.usage}`);
  }
  return { values: parsed.values as Parsed["values"], positionals: parsed.positionals };
}

/** A string option's value (parseArgs types every value as string | boolean). */
export const str = (p: Parsed, name: string): string | undefined => {
  const v = p.values[name];
  return typeof v === "string" ? v : undefined;
};

/** A usage error that repeats the command's usage text. */
export const usageError = (message: string, usage: string): CliError =>
  new CliError("cli.usage", `${message}\n\n${usage}`);
