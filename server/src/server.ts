// `npm start`: listen on HOST:PORT (127.0.0.1:8080 by default) and shut down gracefully on
// SIGINT/SIGTERM: stop accepting, let in-flight requests and log batches finish, close the database, exit 0.
import { buildApp } from "./app.js";
import { configFromEnv } from "./config.js";

let app: Awaited<ReturnType<typeof buildApp>>;
let config: ReturnType<typeof configFromEnv>;
try {
  config = configFromEnv();
  app = await buildApp(config);
} catch (err) {
  // A refused start is one line for the operator (what is wrong, what to do), never a stack
  // trace; the data folder is left as it was found (server/src/data-folder.ts).
  console.error(
    `meritlog: refusing to start: ${String((err as Error)?.message ?? err).replace(/\s+/g, " ")}`,
  );
  process.exit(1);
}

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, "shutting down");
  const force = setTimeout(() => {
    app.log.error("shutdown took longer than 10 s; exiting");
    process.exit(1);
  }, 10_000);
  force.unref();
  // A client holding half a request keeps the close waiting (Node stops timing requests out once
  // its server closes; http-hardening.ts cuts such connections a request timeout later, 30 s by
  // default). Cut them at 8 s, so the log's last batch and the database still close cleanly.
  setTimeout(() => app.server.closeAllConnections(), 8_000).unref();
  try {
    await app.close();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, "shutdown failed");
    process.exit(1);
  }
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  await app.listen({ host: config.host, port: config.port });
} catch (err) {
  app.log.error({ err }, "could not listen");
  await app.close();
  process.exit(1);
}
