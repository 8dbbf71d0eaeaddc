// The element builder and labelled field live in @meritlog/core/dom (shared with the issuer
// console); what only the wallet needs stays here.
export { h, field } from "@meritlog/core/dom";

export function replace(target: Element, ...children: Node[]): void {
  target.replaceChildren(...children);
}
