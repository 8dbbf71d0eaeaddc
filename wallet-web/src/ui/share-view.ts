import { h } from "./dom.js";
import { qrFigure } from "./qr.js";
import { credentialOfJwt, describe } from "../credential-view.js";
import { dateTime, expiry, STATUS_LABEL } from "./format.js";
import { shareable, type ShareRecord, type StoredCredential } from "../records.js";

export interface ShareActions {
  /** Makes one lasting link per credential; undefined when it failed (the app said why). */
  share(ids: string[], expiresIn: number | undefined): Promise<ShareRecord[] | undefined>;
  withdraw(rec: ShareRecord): Promise<boolean>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

const LIFETIMES: [string, number | undefined][] = [
  ["1 year (default)", undefined],
  ["1 month", 30 * 86400],
  ["1 week", 7 * 86400],
  ["1 day", 86400],
];

/** Why sharing `c` deserves a second thought (revoked, suspended, expired…), or undefined. */
export function shareWarning(c: StoredCredential, now = new Date()): string | undefined {
  let title = c.id;
  let validUntil: string | undefined;
  try {
    const v = describe(credentialOfJwt(c.jwt));
    title = v.title;
    validUntil = v.validUntil;
  } catch {
    /* keep the id */
  }
  if (c.status.state !== "active")
    return `“${title}” is ${STATUS_LABEL[c.status.state].word.toLowerCase()}: ${STATUS_LABEL[c.status.state].explain} Whoever opens the link will see that.`;
  if (expiry(validUntil, now).expired)
    return `“${title}” has expired. Whoever opens the link will see it as not valid.`;
  return undefined;
}

function titleOf(c: StoredCredential): string {
  try {
    return describe(credentialOfJwt(c.jwt)).title;
  } catch {
    return c.id;
  }
}

/** "Share a link": lasting links (one per credential) that anyone can open and re-check, and the list of them. */
export function shareView(held: StoredCredential[], shares: ShareRecord[], a: ShareActions): HTMLElement {
  // "Never share" and imported credentials are not offered (records.ts shareable()).
  const creds = shareable(held);
  const result = h("div", { class: "result" });
  const warnBox = h("div", { class: "warning-box", role: "alert", hidden: true });
  const lifetime = h(
    "select",
    { id: "share-lifetime" },
    ...LIFETIMES.map(([label, s], i) => h("option", { value: String(s ?? ""), selected: i === 0 }, label)),
  );
  const boxes = creds.map((c) => {
    const id = `link-${c.id.replace(/[^a-zA-Z0-9]/g, "")}`;
    return h(
      "div",
      { class: "check" },
      h("input", { type: "checkbox", id, value: c.id }),
      h("label", { for: id }, `${titleOf(c)} — ${STATUS_LABEL[c.status.state].word}`),
    );
  });
  let confirmed = "";
  const form = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "share-link-title",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const ids = [...form.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map(
          (b) => b.value,
        );
        if (ids.length === 0) return a.say("Choose at least one credential to share.", "error");
        // Revoked, suspended or expired credentials: say so, and share only after a second press.
        const warnings = creds
          .filter((c) => ids.includes(c.id))
          .map((c) => shareWarning(c))
          .filter((w): w is string => w !== undefined);
        const key = ids.join(",");
        if (warnings.length && confirmed !== key) {
          confirmed = key;
          warnBox.hidden = false;
          warnBox.replaceChildren(
            h("h3", {}, "Before you share"),
            ...warnings.map((w) => h("p", {}, w)),
            h("p", {}, "Press “Create the link” again to share anyway."),
          );
          warnBox.setAttribute("tabindex", "-1");
          warnBox.focus();
          return;
        }
        warnBox.hidden = true;
        const made = await a.share(ids, lifetime.value ? Number(lifetime.value) : undefined);
        if (!made) return;
        current = [...made, ...current];
        renderList();
        result.replaceChildren(
          h(
            "h3",
            { id: "share-result-title", tabindex: "-1" },
            made.length === 1 ? "Your link is ready" : `Your ${made.length} links are ready`,
          ),
          h(
            "p",
            {},
            "Anyone with a link can see that credential and its current status, checked again each time it is opened, until it expires or you withdraw it.",
          ),
          ...made.map((s) => shareBlock(s, a)),
        );
        result.querySelector<HTMLElement>("#share-result-title")?.focus();
      },
    },
    h("h2", { id: "share-link-title" }, "Share a link"),
    h(
      "p",
      { class: "hint" },
      "A link that lasts: an employer can open it today, next month, or forward it to a colleague. You can withdraw it at any time.",
    ),
    creds.length === 0
      ? h("p", {}, "You have no credentials to share yet.")
      : h("fieldset", {}, h("legend", {}, "Which credentials?"), ...boxes),
    h("div", { class: "field" }, h("label", { for: "share-lifetime" }, "The link works for"), lifetime),
    warnBox,
    h("button", { type: "submit", class: "primary" }, "Create the link"),
  );
  const list = h("section", { class: "card", "aria-labelledby": "my-shares-title" });
  let current = shares;
  const renderList = (): void => {
    const live = current.filter((s) => !s.withdrawnAt);
    list.replaceChildren(h("h2", { id: "my-shares-title" }, "My shared links"));
    if (live.length === 0) {
      list.append(h("p", {}, "You have not shared any links yet."));
      return;
    }
    list.append(
      h(
        "ul",
        { class: "share-list" },
        ...live.map((s) => {
          const expired = Date.parse(s.expiresAt) <= Date.now();
          const li = h(
            "li",
            {},
            h(
              "p",
              {},
              h("strong", {}, s.title),
              ` — shared ${dateTime(s.sharedAt)}, ${expired ? "expired" : "works until"} ${dateTime(s.expiresAt)}`,
            ),
            h(
              "p",
              { class: "mono" },
              h("a", { href: s.url, target: "_blank", rel: "noopener noreferrer" }, s.url),
            ),
            h(
              "button",
              {
                type: "button",
                "aria-label": `Withdraw the link to ${s.title}`,
                onclick: async () => {
                  if (await a.withdraw(s))
                    li.replaceChildren(h("p", {}, `The link to ${s.title} was withdrawn.`));
                },
              },
              "Withdraw",
            ),
          );
          return li;
        }),
      ),
    );
  };
  renderList();
  return h("div", { class: "stack" }, form, result, list);
}

function shareBlock(s: ShareRecord, a: ShareActions): HTMLElement {
  return h(
    "div",
    { class: "share-made" },
    h("p", {}, h("strong", {}, s.title), ` — works until ${dateTime(s.expiresAt)}`),
    h(
      "p",
      { class: "mono" },
      h("a", { href: s.url, target: "_blank", rel: "noopener noreferrer", class: "share-url" }, s.url),
    ),
    h(
      "div",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          onclick: async () => {
            try {
              await navigator.clipboard.writeText(s.url);
              a.say("Link copied.", "ok");
            } catch {
              a.say("Select the link and copy it.", "info");
            }
          },
        },
        "Copy link",
      ),
    ),
    qrFigure(s.url, `QR code of the link to ${s.title}`),
  );
}
