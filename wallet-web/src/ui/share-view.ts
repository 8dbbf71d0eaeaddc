import { h } from "./dom.js";
import { qrFigure } from "./qr.js";
import { credentialOfJwt, describe } from "../credential-view.js";
import { dateTime, expiry, statusLabel } from "./format.js";
import { t } from "../i18n.js";
import { shareable, type ShareRecord, type StoredCredential } from "../records.js";
import { revealStep, withheldNote, withheldPaths } from "./reveal-view.js";
import { credentialPicker } from "./credential-picker.js";

export interface ShareActions {
  /** Makes one lasting link per credential; undefined when it failed (the app said why). */
  /** `reveal`: paths to keep in the link when one SD-JWT credential is shared with fields withheld. */
  share(ids: string[], expiresIn: number | undefined, reveal?: string[]): Promise<ShareRecord[] | undefined>;
  withdraw(rec: ShareRecord): Promise<boolean>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

const LIFETIMES: [
  "share.life_year" | "share.life_month" | "share.life_week" | "share.life_day",
  number | undefined,
][] = [
  ["share.life_year", undefined],
  ["share.life_month", 30 * 86400],
  ["share.life_week", 7 * 86400],
  ["share.life_day", 86400],
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
  if (c.status.state !== "active") {
    const s = statusLabel(c.status.state);
    return t("share.warn_state", { title, state: s.word.toLocaleLowerCase(), explain: s.explain });
  }
  if (expiry(validUntil, now).expired) return t("share.warn_expired", { title });
  return undefined;
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
    ...LIFETIMES.map(([label, s], i) => h("option", { value: String(s ?? ""), selected: i === 0 }, t(label))),
  );
  const picker = credentialPicker(creds, "link", t("share.which"), t("share.none"));
  const reveal = revealStep(creds, picker, false);
  let confirmed = "";
  const form = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "share-link-title",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const ids = picker.chosen();
        if (ids.length === 0) return a.say(t("share.choose"), "error");
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
            h("h3", {}, t("share.before")),
            ...warnings.map((w) => h("p", {}, w)),
            h("p", {}, t("share.again")),
          );
          warnBox.setAttribute("tabindex", "-1");
          warnBox.focus();
          return;
        }
        warnBox.hidden = true;
        const revealed = reveal.chosen();
        const made = await a.share(ids, lifetime.value ? Number(lifetime.value) : undefined, revealed);
        if (!made) return;
        current = [...made, ...current];
        renderList();
        result.replaceChildren(
          h(
            "h3",
            { id: "share-result-title", tabindex: "-1" },
            made.length === 1 ? t("share.ready_one") : t("share.ready_many", { n: made.length }),
          ),
          h("p", {}, t("share.ready_text")),
          withheldNote(
            withheldPaths(
              creds.find((c) => c.id === ids[0]),
              revealed,
            ),
          ),
          ...made.map((s) => shareBlock(s, a)),
        );
        result.querySelector<HTMLElement>("#share-result-title")?.focus();
      },
    },
    h("h2", { id: "share-link-title" }, t("share.title")),
    h("p", { class: "hint" }, t("share.hint")),
    picker.element,
    reveal.element,
    h("div", { class: "field" }, h("label", { for: "share-lifetime" }, t("share.lifetime")), lifetime),
    warnBox,
    h("button", { type: "submit", class: "primary" }, t("share.create")),
  );
  const list = h("section", { class: "card", "aria-labelledby": "my-shares-title" });
  let current = shares;
  const renderList = (): void => {
    const live = current.filter((s) => !s.withdrawnAt);
    list.replaceChildren(h("h2", { id: "my-shares-title" }, t("share.mine")));
    if (live.length === 0) {
      list.append(h("p", {}, t("share.mine_none")));
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
              ` — ${t(expired ? "share.item_expired" : "share.item_until", { shared: dateTime(s.sharedAt), until: dateTime(s.expiresAt) })}`,
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
                "aria-label": t("share.withdraw_label", { title: s.title }),
                onclick: async () => {
                  if (await a.withdraw(s))
                    li.replaceChildren(h("p", {}, t("share.withdrawn", { title: s.title })));
                },
              },
              t("share.withdraw"),
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
    h("p", {}, h("strong", {}, s.title), ` — ${t("share.until", { until: dateTime(s.expiresAt) })}`),
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
              a.say(t("share.copied"), "ok");
            } catch {
              a.say(t("share.copy_manually"), "info");
            }
          },
        },
        t("share.copy"),
      ),
    ),
    qrFigure(s.url, t("share.qr", { title: s.title })),
  );
}
