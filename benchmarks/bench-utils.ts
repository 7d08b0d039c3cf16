import { lognormal, seededRandom } from '../src/monitoring/core/seeded-random';

/** Small helpers shared by the benchmarks: stable random data, medians, formatting. */

/** Latencies shaped like a provider's: lognormal around `medianMs`, a long right tail. */
export function lognormalLatencies(count: number, medianMs: number, sigma: number, seed = 7): Float64Array {
  const random = seededRandom(seed);
  return Float64Array.from({ length: count }, () => lognormal(random, medianMs, sigma));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Nanoseconds per operation for several contenders (median of `runs`, after a warm-up), their
 * runs interleaved (A B C, A B C...) so that a
 * noisy machine's slow spells fall on all of them alike. `scale` shortens slow contenders' runs.
 */
export function compareNsPerOp(
  contenders: Record<string, { run: (n: number) => void; scale?: number }>,
  n: number,
  runs: number,
): Record<string, { median: number; all: number[] }> {
  const names = Object.keys(contenders);
  const size = (name: string) => Math.max(1, Math.floor(n * (contenders[name].scale ?? 1)));
  for (const name of names) contenders[name].run(Math.min(size(name), 1_000_000));
  const all: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < runs; r++) {
    for (const name of names) {
      const count = size(name);
      const start = process.hrtime.bigint();
      contenders[name].run(count);
      all[name].push(Number(process.hrtime.bigint() - start) / count);
    }
  }
  return Object.fromEntries(names.map((name) => [name, { median: median(all[name]), all: all[name] }]));
}

export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run the benchmarks with node --expose-gc (npm run bench does)');
  collect();
  collect();
}

export const fmt = (value: number, digits = 1) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface Verdict {
  target: string;
  measured: string;
  met: boolean;
}
