// Integer helpers for tree arithmetic on sizes up to 2^53: JS bit operators are 32-bit, so
// levels and indexes use division by powers of two instead.

/** 2^h for h in 0..53. */
export const POW2: readonly number[] = Array.from({ length: 54 }, (_, h) => 2 ** h);

/** floor(x / 2^h). */
export function shr(x: number, h: number): number {
  return Math.floor(x / POW2[h]!);
}

/** Whether bit h of x is set. */
export function bit(x: number, h: number): boolean {
  return shr(x, h) % 2 === 1;
}

/** Number of bits needed to write x (0 for 0). */
export function bitLength(x: number): number {
  let n = 0;
  while (x >= POW2[n]!) n++;
  return n;
}

/** The largest power of two strictly below n (n ≥ 2), as RFC 9162 §2.1.1's k. */
export function largestPow2Below(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
