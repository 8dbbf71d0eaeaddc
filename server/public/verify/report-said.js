// The verifier's coded sentences in one language (issue 12 "Two languages"): a sentence's code
// (verifier report-messages.ts) and the codes of the details it quotes (`details`, verifier
// report-details.ts) looked up as `report.<code>` in one language's catalogue (messages.js).
// Pure and DOM-free, so /verify, share pages and the Node tests say a report the same way.

/**
 * `s` (a sentence or a detail) in the catalogue's language; undefined when its own code has no
 * text there. A detail without a code, or whose code has no text, stays as the English
 * parameter it is. `shown` turns plain parameter values into what the page writes (dates, `what`).
 * @example saySentence({ code: "status.failed", params: { detail: "…" }, details: { detail: { code: "detail.status.decompress", params: { url } } } }, MESSAGES.fr)
 */
export function saySentence(s, messages, shown = (p) => p) {
  const text = messages[`report.${s?.code}`];
  if (typeof text !== "string") return undefined;
  const params = shown({ ...(s.params && typeof s.params === "object" ? s.params : {}) });
  for (const [k, d] of Object.entries(s.details && typeof s.details === "object" ? s.details : {})) {
    const said = saySentence(d, messages, shown);
    if (said !== undefined) params[k] = said;
  }
  return text.replace(/\{(\w+)\}/g, (m, k) => (Object.hasOwn(params, k) ? String(params[k]) : m));
}

/** A check's coded sentences in the catalogue's language, or undefined when one cannot be said. */
export function sayCheck(check, messages, shown) {
  const parts = Array.isArray(check?.sentences) ? check.sentences : [];
  const said = parts.map((s) => saySentence(s, messages, shown));
  return parts.length > 0 && said.every((x) => x !== undefined) ? said.join(" ") : undefined;
}
