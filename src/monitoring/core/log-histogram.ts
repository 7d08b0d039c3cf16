/**
 * Log-bucketed latency histogram in the style of DDSketch: bucket k holds values in
 * (gamma^(k-1), gamma^k], and reporting the bucket's midpoint 2*gamma^k/(gamma+1) keeps the
 * relative error of any quantile at or under RELATIVE_ACCURACY. Counts live in plain
 * Uint32Arrays so recording allocates nothing and two histograms merge by adding arrays.
 */
export const RELATIVE_ACCURACY = 0.01;
/** Values under this (100 µs) share bucket 0 and are reported as 0 (or the exact min). */
export const MIN_TRACKED_MS = 0.1;
/**
 * Values over this (2 minutes, past any sensible provider timeout) share the top bucket; the
 * exact min and max still bound the answer. Fewer buckets keep every window small.
 */
export const MAX_TRACKED_MS = 120_000;

const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const INV_LOG_GAMMA = 1 / Math.log(GAMMA);
const MIN_KEY = Math.ceil(Math.log(MIN_TRACKED_MS) * INV_LOG_GAMMA);
const MAX_KEY = Math.ceil(Math.log(MAX_TRACKED_MS) * INV_LOG_GAMMA);

/** Bucket 0 is the zero bucket; buckets 1.. are keys MIN_KEY..MAX_KEY. */
export const HISTOGRAM_BINS = MAX_KEY - MIN_KEY + 2;

export function binIndex(valueMs: number): number {
  if (valueMs < MIN_TRACKED_MS) return 0;
  if (valueMs >= MAX_TRACKED_MS) return HISTOGRAM_BINS - 1;
  return Math.ceil(Math.log(valueMs) * INV_LOG_GAMMA) - MIN_KEY + 1;
}

export function binValue(index: number): number {
  if (index === 0) return 0;
  return (2 * Math.pow(GAMMA, index - 1 + MIN_KEY)) / (GAMMA + 1);
}

/** The largest value bucket `index` can hold; Infinity for the top bucket. */
export function binUpperBound(index: number): number {
  if (index === 0) return MIN_TRACKED_MS;
  if (index === HISTOGRAM_BINS - 1) return Infinity;
  return Math.pow(GAMMA, index - 1 + MIN_KEY);
}

/**
 * Nearest-rank quantile: the smallest recorded value with at least q*count values at or
 * below it (rank = ceil(q*count), at least 1). The lowest and highest ranks return the exact
 * min and max; every other answer is clamped into [min, max].
 */
export function quantileOf(
  counts: Uint32Array,
  count: number,
  q: number,
  min: number,
  max: number,
): number | null {
  if (count === 0) return null;
  const rank = Math.max(1, Math.ceil(q * count));
  if (rank === 1) return min;
  if (rank === count) return max;
  let seen = 0;
  for (let i = 0; i < HISTOGRAM_BINS; i++) {
    seen += counts[i];
    if (seen >= rank) return Math.min(max, Math.max(min, binValue(i)));
  }
  return max;
}
