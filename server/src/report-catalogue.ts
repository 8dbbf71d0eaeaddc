import { join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The report sentences of the /verify catalogue (public/verify/messages.js, keys `report.<code>`),
 * by language, for the wallet (wallet-web/src/report-text.ts): its bundle has no room for them, so
 * it fetches them once from its own server. Read from the one catalogue the /verify page uses, so
 * the two never say a sentence differently (issue 12 "Two languages"), with two exceptions: the
 * details' codes (`report.detail.*`) are left out, and the sentences that quote a detail are said
 * without it (`WALLET_BRIEF`), because the wallet's own reports carry their details uncoded
 * (verifier report-details.ts codes them on the server) and a French wallet would quote English.
 */
export async function reportCatalogue(publicDir: string): Promise<Record<string, Record<string, string>>> {
  const { MESSAGES, WALLET_BRIEF } = (await import(
    pathToFileURL(join(publicDir, "verify", "messages.js")).href
  )) as {
    MESSAGES: Record<string, Record<string, string>>;
    WALLET_BRIEF: Record<string, Record<string, string>>;
  };
  return Object.fromEntries(
    Object.entries(MESSAGES).map(([lang, all]) => [
      lang,
      {
        ...Object.fromEntries(
          Object.entries(all).filter(([k]) => k.startsWith("report.") && !k.startsWith("report.detail.")),
        ),
        ...WALLET_BRIEF[lang],
      },
    ]),
  );
}
