import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The report sentences of the /verify catalogue (public/verify/messages.js, keys `report.<code>`),
 * by language, for the wallet (wallet-web/src/report-text.ts): its bundle has no room for them, so
 * it fetches them once from its own server. Read from the one catalogue the /verify page uses, so
 * the two never say a sentence differently (issue 12 "Two languages").
 */
export async function reportCatalogue(publicDir: string): Promise<Record<string, Record<string, string>>> {
  const { MESSAGES } = (await import(pathToFileURL(join(publicDir, "verify", "messages.js")).href)) as {
    MESSAGES: Record<string, Record<string, string>>;
  };
  return Object.fromEntries(
    Object.entries(MESSAGES).map(([lang, all]) => [
      lang,
      Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith("report."))),
    ]),
  );
}
