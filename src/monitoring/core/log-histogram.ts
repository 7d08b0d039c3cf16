/**
 * Log-bucketed latency histogram: each power of two is split into SUB_BUCKETS geometric
 * buckets, so every bucket spans under 2 % and reporting its midpoint keeps the relative error
 * of any quantile at or under RELATIVE_ACCURACY (like DDSketch and HdrHistogram). The bucket of
 * a value comes from its float64 exponent and the top bits of its mantissa through a lookup
 * table: no Math.log on the record path. Counts live in plain typed arrays, so recording
 * allocates nothing and histograms merge (and subtract) by adding arrays.
 */
export const RELATIVE_ACCURACY = 0.01;
const MIN_EXPONENT = -4;
const MAX_EXPONENT = 17;
/** Values under this (1/16 ms) share bucket 0 and are reported as 0 (or the exact min). */
export const MIN_TRACKED_MS = 2 ** MIN_EXPONENT;
/**
 * Values at or over this (about 131 s, past any sensible provider timeout) share the top
 * bucket; the exact min and max still bound the answer. A narrow range keeps windows small.
 */
export const MAX_TRACKED_MS = 2 ** MAX_EXPONENT;

const SUB_BUCKETS = 36;
const MANTISSA_BITS = 12;
/** Bucket 0 holds values under MIN_TRACKED_MS, the last one values from MAX_TRACKED_MS up. */
export const HISTOGRAM_BINS = (MAX_EXPONENT - MIN_EXPONENT) * SUB_BUCKETS + 2;

/** Sub-bucket of each 12-bit mantissa prefix: floor(SUB_BUCKETS * log2(1 + prefix / 4096)). */
const SUB_BUCKET_OF = new Uint8Array(1 << MANTISSA_BITS);
/** Lowest and highest mantissa (1..2) each sub-bucket covers. */
const SUB_LOW = new Float64Array(SUB_BUCKETS).fill(Infinity);
const SUB_HIGH = new Float64Array(SUB_BUCKETS);
for (let prefix = 0; prefix < 1 << MANTISSA_BITS; prefix++) {
  const low = 1 + prefix / (1 << MANTISSA_BITS);
  const high = 1 + (prefix + 1) / (1 << MANTISSA_BITS);
  const sub = Math.floor(SUB_BUCKETS * Math.log2(low));
  SUB_BUCKET_OF[prefix] = sub;
  SUB_LOW[sub] = Math.min(SUB_LOW[sub], low);
  SUB_HIGH[sub] = Math.max(SUB_HIGH[sub], high);
}

const BIN_VALUE = new Float64Array(HISTOGRAM_BINS);
const BIN_UPPER = new Float64Array(HISTOGRAM_BINS);
BIN_UPPER[0] = MIN_TRACKED_MS;
for (let e = MIN_EXPONENT; e < MAX_EXPONENT; e++) {
  for (let sub = 0; sub < SUB_BUCKETS; sub++) {
    const i = 1 + (e - MIN_EXPONENT) * SUB_BUCKETS + sub;
    const low = 2 ** e * SUB_LOW[sub];
    const high = 2 ** e * SUB_HIGH[sub];
    // The point whose relative distance to both ends is equal: (high - low) / (high + low) at most.
    BIN_VALUE[i] = (2 * low * high) / (low + high);
    BIN_UPPER[i] = high;
  }
}
BIN_VALUE[HISTOGRAM_BINS - 1] = MAX_TRACKED_MS;
BIN_UPPER[HISTOGRAM_BINS - 1] = Infinity;

const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);
/** Index of the word holding sign, exponent and the top of the mantissa. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

export function binIndex(valueMs: number): number {
  if (valueMs < MIN_TRACKED_MS) return 0;
  if (valueMs >= MAX_TRACKED_MS) return HISTOGRAM_BINS - 1;
  float[0] = valueMs;
  const high = words[HIGH_WORD];
  const exponent = (high >>> 20) - 1023;
  return 1 + (exponent - MIN_EXPONENT) * SUB_BUCKETS + SUB_BUCKET_OF[(high >>> (20 - MANTISSA_BITS)) & ((1 << MANTISSA_BITS) - 1)];
}

/** The value reported for bucket `index`. */
export function binValue(index: number): number {
  return BIN_VALUE[index];
}

/** The largest value bucket `index` can hold; Infinity for the top bucket. */
export function binUpperBound(index: number): number {
  return BIN_UPPER[index];
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
