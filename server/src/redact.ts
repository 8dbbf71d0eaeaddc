/**
 * The request target without its query string (RFC 3986 §3.4), which may carry a bearer token or
 * an offer secret, or (old `/verify?credential=` links) a whole credential: it never reaches a log
 * line or a problem's `instance`. Ids in a path that act as capabilities are masked too: offer ids
 * (short-lived claim tickets), share and presentation-request ids (lasting ones).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf("?");
  const path = (q < 0 ? url : url.slice(0, q)).replace(
    /(\/oid4vci\/offers\/|\/s\/|\/v1\/shares\/|\/v1\/presentation-requests\/|\/oid4vp\/requests\/)[^/?#]+/,
    "$1[redacted]",
  );
  return q < 0 ? path : `${path}?[redacted]`;
}
