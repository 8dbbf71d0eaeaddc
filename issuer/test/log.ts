import { loadOrCreateLogSigner, openLog, type TransparencyLog } from "@meritlog/ledger";
import type { SecretBox } from "../src/secret-box.js";
import type { AnchorLog } from "../src/anchors.js";

/**
 * The real transparency log on a sublevel of the test database, wrapped so tests can also see
 * every appended entry as text (to check that no holder DID ever reaches the log).
 */
export async function openTestLog(
  db: { sublevel: (name: string, o: object) => unknown },
  box: SecretBox,
  origin = "issuer.test/log",
) {
  const sub = (name: string) => db.sublevel(name, { keyEncoding: "utf8", valueEncoding: "view" }) as never;
  const signer = await loadOrCreateLogSigner(sub("keys"), origin, box);
  const log: TransparencyLog = await openLog({ db: sub("log"), origin, signer, batchMaxDelayMs: 1 });
  const entries: string[] = [];
  const wrapped: AnchorLog & {
    entries: string[];
    verifierKey: string;
    close(): Promise<void>;
    failNext: number;
  } = {
    origin: log.origin,
    entries,
    verifierKey: log.verifierKey,
    /** The next `failNext` appends reject as an overloaded log would. */
    failNext: 0,
    async append(entry) {
      if (wrapped.failNext > 0) {
        wrapped.failNext--;
        throw Object.assign(new Error("log overloaded (test)"), { code: "log.overloaded" });
      }
      const r = await log.append(entry);
      entries.push(new TextDecoder().decode(entry));
      return r;
    },
    receipt: (entry, r) => log.receipt(entry, r),
    close: () => log.close(),
  };
  return wrapped;
}
