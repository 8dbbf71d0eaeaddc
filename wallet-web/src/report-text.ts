import { format } from "@meritlog/core";
import type { Sentence } from "@meritlog/verifier/core";
import { h } from "./ui/dom.js";
import { language } from "./i18n.js";
import { dateTime } from "./ui/format.js";

/**
 * The verifier's report sentences in the holder's language (issue 12 "Two languages"). The wallet
 * bundle has no room for their translations, so it reads the one report catalogue the /verify page
 * uses (server/public/verify/messages.js, keys `report.<code>`) from its own server, once, as JSON
 * (server/src/report-catalogue.ts; `connect-src 'self'`). Until it arrives, or if it cannot (offline), the verifier's English
 * `message` is shown, marked `lang="en"`.
 */
let catalogue: Promise<Record<string, Record<string, string>> | undefined> | undefined;

/** A check's message (status, anchoring) as a span, translated when the catalogue has every sentence. */
export function reportText(message: string, sentences: Sentence[] | undefined): HTMLElement {
  const lang = language();
  const el = h("span", { lang: "en" }, message);
  if (lang !== "en" && sentences?.length)
    void (catalogue ??= fetch("/verify/report-messages.json")
      .then((r) => r.json() as Promise<Record<string, Record<string, string>>>)
      .catch(() => (catalogue = undefined))).then((all) => {
      const cat = all?.[lang];
      if (!cat || !sentences.every((s) => cat[`report.${s.code}`])) return;
      el.textContent = sentences
        .map((s) => {
          // Status and anchoring sentences take no `what`; their dates are said as the wallet says dates.
          const p = { ...s.params };
          for (const [k, v] of Object.entries(p))
            if (typeof v === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v)) p[k] = dateTime(v);
          return format(cat[`report.${s.code}`]!, p);
        })
        .join(" ");
      el.removeAttribute("lang");
    });
  return el;
}
