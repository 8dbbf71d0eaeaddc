import os from "node:os";

export type Row = { metric: string; value: number; unit: string; note?: string };

/** Collects benchmark figures; each section records its own baseline so ratios come from one run. */
export class BenchReport {
  private readonly sections = new Map<string, Row[]>();
  private current = "";

  section(name: string): this {
    this.current = name;
    if (!this.sections.has(name)) this.sections.set(name, []);
    return this;
  }

  /** The rows recorded under `name` (what a bench's own process hands back to bench/run.ts). */
  rows(name: string): Row[] {
    return this.sections.get(name) ?? [];
  }

  /** Adds rows recorded elsewhere (a bench's own process) as section `name`, without printing them. */
  add(name: string, rows: Row[]): void {
    this.sections.set(name, [...(this.sections.get(name) ?? []), ...rows]);
  }

  /** Records one figure and prints it at once. */
  record(metric: string, value: number, unit: string, note?: string): void {
    const row: Row = note === undefined ? { metric, value, unit } : { metric, value, unit, note };
    this.sections.get(this.current)?.push(row);
    const shown = Number.isInteger(value) ? String(value) : value.toPrecision(4);
    console.log(`  ${metric}: ${shown} ${unit}${note ? `  (${note})` : ""}`);
  }

  toJSON(): object {
    return {
      at: new Date().toISOString(),
      machine: {
        node: process.version,
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        memGiB: Math.round(os.totalmem() / 2 ** 30),
      },
      sections: Object.fromEntries(this.sections),
    };
  }

  toMarkdown(): string {
    const lines = [
      `# meritlog benchmark, ${new Date().toISOString()}`,
      "",
      `Node ${process.version}, ${os.cpus().length} cores`,
      "",
    ];
    for (const [name, rows] of this.sections) {
      lines.push(`## ${name}`, "", "| metric | value | unit | note |", "|---|---|---|---|");
      for (const r of rows)
        lines.push(
          `| ${r.metric} | ${Number.isInteger(r.value) ? r.value : r.value.toPrecision(4)} | ${r.unit} | ${r.note ?? ""} |`,
        );
      lines.push("");
    }
    return lines.join("\n");
  }
}

/** Percentile of an unsorted sample (nearest-rank). */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
