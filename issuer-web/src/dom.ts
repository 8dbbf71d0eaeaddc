// The element builder and labelled field live in @meritlog/core/dom (shared with the wallet);
// what only the console needs stays here.
import { h } from "@meritlog/core/dom";

export { h, field } from "@meritlog/core/dom";

export function select(options: readonly (readonly [string, string])[], value = ""): HTMLSelectElement {
  const s = h("select", {}, ...options.map(([v, label]) => h("option", { value: v }, label)));
  s.value = value;
  return s;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
}
