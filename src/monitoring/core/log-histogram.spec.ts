import { lognormal, seededRandom } from './seeded-random';
import { HISTOGRAM_BINS, MAX_TRACKED_MS, MIN_TRACKED_MS, RELATIVE_ACCURACY, binIndex, binValue, quantileOf } from './log-histogram';

function exactNearestRank(sorted: number[], q: number): number {
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

function histogramOf(values: number[]): Uint32Array {
  const counts = new Uint32Array(HISTOGRAM_BINS);
  for (const v of values) counts[binIndex(v)]++;
  return counts;
}

describe('log histogram', () => {
  it('reports every tracked value within the relative accuracy', () => {
    for (const v of [0.0625, 0.07, 0.5, 1, 1.999, 2, 7.3, 42, 99.9, 500, 1234.5, 60_000, 131_000]) {
      expect(Math.abs(binValue(binIndex(v)) - v) / v).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    }
  });

  it('keeps every value of the tracked range within 1 % of its bucket value, buckets in order', () => {
    let worst = 0;
    let previous = 0;
    for (let v = MIN_TRACKED_MS; v < MAX_TRACKED_MS; v *= 1.0007) {
      const bin = binIndex(v);
      worst = Math.max(worst, Math.abs(binValue(bin) - v) / v);
      expect(bin).toBeGreaterThanOrEqual(previous);
      previous = bin;
    }
    expect(worst).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    expect(previous).toBe(HISTOGRAM_BINS - 2);
  });

  it('puts 0 in the zero bucket and clamps huge values into the top bucket', () => {
    expect(binIndex(0)).toBe(0);
    expect(binValue(0)).toBe(0);
    expect(binIndex(MAX_TRACKED_MS * 10)).toBe(HISTOGRAM_BINS - 1);
  });

  it.each([
    ['lognormal (median 80 ms, sigma 0.9)', (r: () => number) => lognormal(r, 80, 0.9)],
    ['uniform 1-2000 ms', (r: () => number) => 1 + r() * 1999],
    ['bimodal cache/provider', (r: () => number) => (r() < 0.7 ? 0.5 + r() : 200 + r() * 800)],
  ])('keeps p50, p95 and p99 within 1 %% of the exact values for a %s sample', (_name, draw) => {
    const random = seededRandom(42);
    const values = Array.from({ length: 50_000 }, () => draw(random));
    const counts = histogramOf(values);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactNearestRank(sorted, q);
      const estimate = quantileOf(counts, values.length, q, sorted[0], sorted[sorted.length - 1])!;
      expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    }
  });

  it('uses the nearest rank, with exact min and max at the ends (C05)', () => {
    const values = [10, 20, 30, 40, 1000];
    const counts = histogramOf(values);
    expect(quantileOf(counts, 5, 0.95, 10, 1000)).toBe(1000);
    expect(quantileOf(counts, 5, 0.99, 10, 1000)).toBe(1000);
    expect(Math.abs(quantileOf(counts, 5, 0.5, 10, 1000)! - 30) / 30).toBeLessThanOrEqual(RELATIVE_ACCURACY);
    expect(quantileOf(counts, 5, 0.2, 10, 1000)).toBe(10);
  });

  it('answers null for an empty histogram', () => {
    expect(quantileOf(new Uint32Array(HISTOGRAM_BINS), 0, 0.5, Infinity, -Infinity)).toBeNull();
  });
});

