/**
 * The request target without its query string (RFC 3986 §3.4), which may carry a bearer token or
 * an offer secret: it never reaches a log line or a problem's `instance`. Offer ids in a path are
 * short-lived claim tickets and are masked too.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  const path = (q < 0 ? url : url.slice(0, q)).replace(/(\/oid4vci\/offers\/)[^/?#]+/, "$1[redacted]");
  return q < 0 ? path : `${path}?[redacted]`;
}
