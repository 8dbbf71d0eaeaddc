import type { LeafCommand } from "../command.js";

/** `meritlog serve`: starts the server in this process (as `npm start`); it runs until stopped. */
export const serve: LeafCommand = {
  name: "serve",
  summary: "start the server (as npm start)",
  usage: `usage: meritlog serve

Starts the server on HOST:PORT (default 127.0.0.1:8080) with its data in MERITLOG_DATA (default
./data). The first start creates the log key and an admin token in the data folder.`,
  async run() {
    await import("../../server.js");
    return -1; // keeps running; the process exits when the server closes
  },
};
