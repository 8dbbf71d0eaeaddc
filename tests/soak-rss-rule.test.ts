// The soak's RSS rule (bench/soak.ts `rssGrowth`, issue 9: no growth above 10% after warm-up),
// on RSS series shaped like the soak's: a sawtooth of garbage collections (climb 50 MiB over
// 55 s, fall back), with and without a leak underneath, and one high GC peak late in a run. The
// first rule read one trough after the warm-up as the baseline, so a GC cycle alone counted as 13%
// growth; the second compared peaks, so one late peak counted as growth (bench/results/soak.md).
import { describe, expect, it } from "vitest";
import { rssGrowth } from "../bench/soak.js";

const MiB = 1048576;
/** Every 5 s for `minutes`: 380 MiB + a 60-s sawtooth of 0…50 MiB + `leakPerMinute` MiB a minute. */
function series(minutes: number, leakPerMinute: number): { at: number; bytes: number }[] {
  return Array.from({ length: (minutes * 60) / 5 + 1 }, (_, i) => {
    const at = i * 5000;
    const saw = ((i % 12) / 11) * 50;
    return { at, bytes: (380 + saw + (leakPerMinute * at) / 60_000) * MiB };
  });
}

describe("the soak's RSS rule", () => {
  it("a GC sawtooth without a trend passes, though it starts the post-warm-up part at a trough", () => {
    const rss = series(10, 0);
    const { warm, growth, growthFromFirst } = rssGrowth(rss, 10);
    expect(warm).toBe(120_000);
    // The first sample after the warm-up is a trough of the sawtooth (i = 24 → 24 % 12 = 0 → 380 MiB).
    expect(rss.find((r) => r.at >= warm)!.bytes).toBe(380 * MiB);
    expect(growth).toBeLessThanOrEqual(0.1);
    // The old reading of the same series: 430 MiB against 380 MiB, 13%.
    expect(growthFromFirst).toBeGreaterThan(0.1);
  });

  it("a leak of 8 MiB a minute under the same sawtooth fails (13% from the first minute's level to the last)", () => {
    const { growth } = rssGrowth(series(10, 8), 10);
    expect(growth).toBeGreaterThan(0.1);
  });

  it("one high GC peak late in a run without a trend passes; the peak rule read it as growth", () => {
    // Run D's shape: ~515 MiB throughout, a 569 MiB sample at 480 s, the first minute's top 515.
    const rss = Array.from({ length: 121 }, (_, i) => ({
      at: i * 5000,
      bytes: (i * 5000 === 480_000 ? 569 : 500 + (i % 4) * 5) * MiB,
    }));
    const { growth, peakGrowth } = rssGrowth(rss, 10);
    expect(growth).toBeLessThanOrEqual(0.1);
    expect(peakGrowth).toBeGreaterThan(0.1);
    // A level that rises and stays risen in the last two minutes is growth.
    const risen = rss.map((r) => (r.at >= 480_000 ? { ...r, bytes: r.bytes + 60 * MiB } : r));
    expect(rssGrowth(risen, 10).growth).toBeGreaterThan(0.1);
  });

  it("a short run: the warm-up is 30 s and the baseline at most a third of the rest", () => {
    const flat = rssGrowth(series(3, 0), 3);
    expect(flat.warm).toBe(36_000);
    expect(flat.growth).toBeLessThanOrEqual(0.1);
    expect(rssGrowth(series(3, 40), 3).growth).toBeGreaterThan(0.1);
  });
});
