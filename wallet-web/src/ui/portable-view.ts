import { h, field } from "./dom.js";
import { titleOf } from "./credential-picker.js";
import { statusLabel } from "./format.js";
import { t } from "../i18n.js";
import type { StoredCredential } from "../records.js";

export interface PortableActions {
  /** Saves one credential as the file its issuer signed. */
  downloadCredential(rec: StoredCredential): void;
  /** Signs and saves the bundle over the chosen credentials. */
  exportBundle(ids: string[]): Promise<void>;
  /** Verifies and imports a bundle; resolves to the credentials added. */
  importBundle(text: string): Promise<StoredCredential[] | undefined>;
  say(text: string, kind?: "info" | "error" | "ok"): void;
}

/** Export the whole record (files and a signed bundle) and import another wallet's bundle. */
export function portableView(creds: StoredCredential[], a: PortableActions): HTMLElement {
  const rows = creds.map((c, i) => {
    const id = `export-${i}`;
    return h(
      "li",
      { class: "check export-item", "data-credential-id": c.id },
      // An imported credential is bound to another holder's key: this wallet's signature cannot carry it.
      c.importedFrom
        ? h("span", { class: "export-label" }, t("port.imported_other", { title: titleOf(c) }))
        : [
            h("input", { type: "checkbox", id, value: c.id, checked: true }),
            h("label", { for: id }, `${titleOf(c)} — ${statusLabel(c.status.state).word}`),
          ],
      h(
        "button",
        {
          type: "button",
          "aria-label": t("port.file_label", { title: titleOf(c) }),
          onclick: () => a.downloadCredential(c),
        },
        t("port.file"),
      ),
    );
  });
  const exportForm = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "export-title",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        const ids = [...exportForm.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map(
          (b) => b.value,
        );
        if (ids.length === 0) return a.say(t("port.choose"), "error");
        void a.exportBundle(ids);
      },
    },
    h("h2", { id: "export-title" }, t("port.title")),
    h("p", {}, t("port.intro")),
    creds.length === 0
      ? h("p", {}, t("port.none"))
      : h("fieldset", {}, h("legend", {}, t("port.legend")), h("ul", { class: "export-list" }, ...rows)),
    h(
      "button",
      { type: "submit", class: "primary", disabled: !creds.some((c) => !c.importedFrom) },
      t("port.download"),
    ),
  );

  const file = h("input", { type: "file", accept: ".jwt,application/jwt,text/plain" });
  const result = h("div", { class: "result", id: "import-result", "aria-live": "polite" });
  const importForm = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "import-title",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const f = file.files?.[0];
        if (!f) return a.say(t("port.choose_file"), "error");
        const added = await a.importBundle(await f.text());
        if (!added) return;
        result.replaceChildren(
          h(
            "h3",
            {},
            t(added.length === 1 ? "port.imported_one" : "port.imported_many", { n: added.length }),
          ),
          h(
            "ul",
            { class: "import-list" },
            ...added.map((c) =>
              h(
                "li",
                { "data-credential-id": c.id, "data-status": c.status.state },
                t("port.imported_item", { title: titleOf(c), state: statusLabel(c.status.state).word }),
              ),
            ),
          ),
        );
      },
    },
    h("h2", { id: "import-title" }, t("port.import_title")),
    field("import-file", t("port.import_file"), file, t("port.import_hint")),
    h("button", { type: "submit" }, t("port.import")),
    result,
  );
  return h("div", { class: "stack" }, exportForm, importForm);
}

/** Hands a file to the browser's download (the text never leaves the device otherwise). */
export function saveFile(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
