import { randomBytes } from "node:crypto";
import { createIssuerService, type IssuerService } from "../src/service.js";
import { createSecretBox } from "../src/secret-box.js";
import type { AnchorLog } from "../src/anchors.js";
import { tempDb } from "./helpers.js";
import { fakeLog } from "./log.js";

export const BASE_URL = "https://issuer.test";

/** A service on a fresh LevelDB with the given log (fake until the ledger lands), status lists re-signed on every read. */
export async function openFixture(o: { now?: () => Date } = {}) {
  const t = await tempDb();
  const log: AnchorLog & { entries?: string[] } = fakeLog();
  const secret = randomBytes(32);
  const open = async (): Promise<IssuerService> =>
    await createIssuerService({
      db: t.db.sublevel<string, Uint8Array>("issuer", { keyEncoding: "utf8", valueEncoding: "view" }) as never,
      veramoDb: t.db.sublevel<string, Uint8Array>("veramo", { keyEncoding: "utf8", valueEncoding: "view" }) as never,
      box: createSecretBox(secret),
      log,
      baseUrl: BASE_URL,
      statusList: { refreshMs: 0 },
      ...(o.now ? { now: o.now } : {}),
    });
  const service = await open();
  return {
    service,
    log,
    db: t.db,
    /** Reopens the service on the same database (a restart). */
    reopen: open,
    async dispose() {
      await service.close();
      await t.dispose();
    },
  };
}
