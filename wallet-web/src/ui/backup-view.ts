import { h, field } from "./dom.js";
import { t } from "../i18n.js";

export interface BackupActions {
  did: string;
  backup(passphrase: string): Promise<void>;
  wipe(): Promise<void>;
  lock(): void;
  /** Shown before "Delete everything" (the export and import of ui/portable-view.ts). */
  extra?: HTMLElement;
}

/** Backup, identity, anything else about the whole wallet (`extra`: export and import), and deleting everything. */
export function backupView(a: BackupActions): HTMLElement {
  const pass = h("input", { type: "password", autocomplete: "current-password", required: true });
  return h(
    "div",
    { class: "stack" },
    h(
      "form",
      {
        class: "card",
        "aria-labelledby": "backup-title",
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          void a.backup(pass.value);
        },
      },
      h("h2", { id: "backup-title" }, t("backup.title")),
      h("input", {
        type: "text",
        autocomplete: "username",
        value: "meritlog wallet",
        hidden: true,
        tabindex: "-1",
        "aria-hidden": "true",
      }),
      h("p", {}, t("backup.text")),
      field("backup-pass", t("backup.pass"), pass, t("backup.pass_hint")),
      h("button", { type: "submit", class: "primary" }, t("backup.submit")),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "id-title" },
      h("h2", { id: "id-title" }, t("backup.id_title")),
      h("p", {}, t("backup.id_text")),
      h("p", { class: "mono", id: "holder-did" }, a.did),
    ),
    a.extra,
    h(
      "section",
      { class: "card danger-zone", "aria-labelledby": "wipe-title" },
      h("h2", { id: "wipe-title" }, t("backup.wipe_title")),
      h("p", {}, t("backup.wipe_text")),
      h(
        "button",
        {
          type: "button",
          class: "danger",
          onclick: () => {
            if (window.confirm(t("backup.wipe_confirm"))) void a.wipe();
          },
        },
        t("backup.wipe_title"),
      ),
    ),
  );
}
