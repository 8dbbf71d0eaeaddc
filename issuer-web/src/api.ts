/**
 * The console's HTTP client: the issuer token is kept in this tab's sessionStorage (never
 * localStorage: it goes when the tab closes) and sent as a bearer token to this server only.
 */
const KEY = "meritlog.issuerToken";

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}
export function setToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, token);
}

/** An RFC 9457 problem from the API, with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  accept = "application/json",
): Promise<T> {
  const headers: Record<string, string> = { accept };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) {
    let code = "http.error";
    let detail = `${res.status} ${res.statusText}`;
    try {
      const p = JSON.parse(text) as { code?: string; detail?: string };
      code = p.code ?? code;
      detail = p.detail ?? detail;
    } catch {
      // not a problem document: keep the status line
    }
    throw new ApiError(res.status, code, detail);
  }
  return (accept === "application/json" ? (text === "" ? undefined : JSON.parse(text)) : text) as T;
}
