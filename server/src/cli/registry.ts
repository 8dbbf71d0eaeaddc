// Every `meritlog` command, in the order `meritlog --help` lists them. Adding a command is one
// module under cli/commands/ and one line here.
import type { Command } from "./command.js";
import { bench } from "./commands/bench.js";
import { credentials } from "./commands/credentials.js";
import { issue } from "./commands/issue.js";
import { issuer } from "./commands/issuer.js";
import { log } from "./commands/log.js";
import { offer } from "./commands/offer.js";
import { serve } from "./commands/serve.js";
import { status } from "./commands/status.js";
import { tiles } from "./commands/tiles.js";
import { backup, fsck, migrate, restore } from "./commands/storage.js";
import { verify } from "./commands/verify.js";

export const COMMANDS: readonly Command[] = [
  serve,
  issuer,
  issue,
  offer,
  credentials,
  status,
  verify,
  log,
  tiles,
  fsck,
  backup,
  restore,
  migrate,
  bench,
];
