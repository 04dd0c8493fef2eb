/**
 * Shared shape of every benchmark. A benchmark module exports `run(): Promise<BenchFigure[]>`;
 * bench/run.ts runs them all, prints one table and fails when a target is missed by more than its
 * tolerance. Figures without a target are reported for information.
 */
export interface BenchFigure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  /** The target, e.g. `{ op: "<=", value: 1.2 }`. */
  target?: { op: "<=" | ">="; value: number };
  /** Relative slack before a miss fails the run (0.1 = 10 %). Default 0. */
  tolerance?: number;
  /** Shown beside the figure, e.g. why it has no target. */
  note?: string;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

export function verdict(f: BenchFigure): "met" | "missed" | "missed (within tolerance)" | "-" {
  if (!f.target) return "-";
  const ok = f.target.op === "<=" ? f.value <= f.target.value : f.value >= f.target.value;
  if (ok) return "met";
  const slack = f.target.value * (f.tolerance ?? 0);
  const within = f.target.op === "<=" ? f.value <= f.target.value + slack : f.value >= f.target.value - slack;
  return within ? "missed (within tolerance)" : "missed";
}

export function formatTable(figures: BenchFigure[]): string {
  const rows = figures.map((f) => [
    f.bench,
    f.metric,
    `${Number.isInteger(f.value) ? f.value : f.value.toFixed(f.value < 10 ? 3 : 1)} ${f.unit}`.trim(),
    f.target ? `${f.target.op} ${f.target.value} ${f.unit}`.trim() : "",
    verdict(f),
    f.note ?? "",
  ]);
  const header = ["benchmark", "metric", "value", "target", "result", "note"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)]
    .map((l) => l.trimEnd())
    .join("\n");
}

/** Lets a benchmark file run on its own: `tsx bench/<name>.ts`. */
export async function runStandalone(run: () => Promise<BenchFigure[]>): Promise<void> {
  const figures = await run();
  console.log(formatTable(figures));
}
