// `npm start`: listen on HOST:PORT (127.0.0.1:8080 by default) and shut down gracefully on
// SIGINT/SIGTERM: stop accepting, let in-flight requests and log batches finish, close the database, exit 0.
import { buildApp } from "./app.js";
import { configFromEnv } from "./config.js";

const config = configFromEnv();
const app = await buildApp(config);

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
