import { CoreError } from "@meritlog/core";

/** The CoreError code `f` throws, undefined if it returns, or "not a CoreError". */
export function codeOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof CoreError ? e.code : "not a CoreError";
  }
}
