import { h } from "./dom.js";
import { credentialOfJwt, describe } from "../credential-view.js";
import { statusLabel } from "./format.js";
import type { StoredCredential } from "../records.js";

/** A credential's title for a list, or its id when its JWT cannot be read. */
export function titleOf(c: StoredCredential): string {
  try {
    return describe(credentialOfJwt(c.jwt)).title;
  } catch {
    return c.id;
  }
}

/** The "which credentials" checkboxes of the present, answer-a-request and share-link forms. */
export interface CredentialPicker {
  element: HTMLElement;
  /** The ids ticked, in list order. */
  chosen(): string[];
}

/**
 * One checkbox per credential, labelled "title — status", in a fieldset under `legend`, or the
 * `none` sentence when there is no credential to offer. Checkbox ids are `prefix` and the
 * credential id's letters and digits, so two forms on one screen do not collide.
 */
export function credentialPicker(
  creds: StoredCredential[],
  prefix: string,
  legend: string,
  none: string,
  /** Which boxes start ticked (none by default). */
  ticked: (c: StoredCredential) => boolean = () => false,
): CredentialPicker {
  const boxes = creds.map((c) => {
    const id = `${prefix}-${c.id.replace(/[^a-zA-Z0-9]/g, "")}`;
    return h(
      "div",
      { class: "check" },
      h("input", { type: "checkbox", id, value: c.id, checked: ticked(c) }),
      h("label", { for: id }, `${titleOf(c)} — ${statusLabel(c.status.state).word}`),
    );
  });
  const element = h(
    "div",
    {},
    creds.length === 0 ? h("p", {}, none) : h("fieldset", {}, h("legend", {}, legend), ...boxes),
  );
  return {
    element,
    chosen: () =>
      [...element.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map((b) => b.value),
  };
}
