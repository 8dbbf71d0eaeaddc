import { h, field } from "./dom.js";

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
      h("h2", { id: "backup-title" }, "Back up your wallet"),
      h("input", {
        type: "text",
        autocomplete: "username",
        value: "meritlog wallet",
        hidden: true,
        tabindex: "-1",
        "aria-hidden": "true",
      }),
      h(
        "p",
        {},
        "Download an encrypted file with your key and credentials. It can only be opened with your passphrase, on any browser, through “Restore from a backup”. Keep it somewhere safe.",
      ),
      field(
        "backup-pass",
        "Your wallet passphrase",
        pass,
        "Used to encrypt the file; it must be the passphrase of this wallet.",
      ),
      h("button", { type: "submit", class: "primary" }, "Download encrypted backup"),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "id-title" },
      h("h2", { id: "id-title" }, "Your holder identifier"),
      h("p", {}, "Issuers bind your credentials to this identifier (a did:key made from your wallet's key)."),
      h("p", { class: "mono", id: "holder-did" }, a.did),
    ),
    a.extra,
    h(
      "section",
      { class: "card danger-zone", "aria-labelledby": "wipe-title" },
      h("h2", { id: "wipe-title" }, "Delete everything"),
      h(
        "p",
        {},
        "Removes your key and all credentials from this browser. Without a backup they cannot be recovered. The issuers' records are not changed.",
      ),
      h(
        "button",
        {
          type: "button",
          class: "danger",
          onclick: () => {
            if (
              window.confirm("Delete your key and all credentials from this browser? This cannot be undone.")
            )
              void a.wipe();
          },
        },
        "Delete everything",
      ),
    ),
  );
}
