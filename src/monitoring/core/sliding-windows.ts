import { HISTOGRAM_BINS, quantileOf } from './log-histogram';

/** A sliding window: `windowMs` long, sliding in `buckets` steps. */
export interface WindowSpec {
  name: string;
  windowMs: number;
  buckets: number;
  /** Calls and failures only, no latency histogram: a few bytes, for long burn-rate windows. */
  countsOnly?: boolean;
}

/** The windows every provider keeps; coarser buckets for longer windows keep memory small. */
export const STANDARD_WINDOWS: readonly WindowSpec[] = Object.freeze([
  { name: '1m', windowMs: 60_000, buckets: 6 },
  { name: '5m', windowMs: 300_000, buckets: 10 },
  { name: '15m', windowMs: 900_000, buckets: 5 },
  { name: '1h', windowMs: 3_600_000, buckets: 6 },
]);

export const WINDOW_NAMES = ['1m', '5m', '15m', '1h'] as const;
export type WindowName = (typeof WINDOW_NAMES)[number];

/**
 * Windows that only count calls and failures, for SLO burn rates over spans longer than the
 * latency windows (the SRE workbook's 30 m, 2 h, 6 h and 1 d).
 */
export const BURN_RATE_WINDOWS: readonly WindowSpec[] = Object.freeze([
  { name: '30m', windowMs: 1_800_000, buckets: 6, countsOnly: true },
  { name: '2h', windowMs: 7_200_000, buckets: 12, countsOnly: true },
  { name: '6h', windowMs: 21_600_000, buckets: 12, countsOnly: true },
  { name: '1d', windowMs: 86_400_000, buckets: 24, countsOnly: true },
]);

/**
 * The windows a provider keeps: the standard four, the burn-rate counters, plus the health
 * window when it is not one of the standard ones. `healthIndex` says which one health uses.
 */
export function windowLayout(healthWindowMs: number, healthBuckets: number): { specs: WindowSpec[]; healthIndex: number } {
  const specs = [...STANDARD_WINDOWS, ...BURN_RATE_WINDOWS];
  const same = specs.findIndex((s) => !s.countsOnly && s.windowMs === healthWindowMs && s.buckets === healthBuckets);
  if (same >= 0) return { specs, healthIndex: same };
  specs.push({ name: 'health', windowMs: healthWindowMs, buckets: healthBuckets });
  return { specs, healthIndex: specs.length - 1 };
}

/** What a window holds at one moment; every rate and latency is null when it has no calls. */
export interface WindowSnapshot {
  windowMs: number;
  calls: number;
  failures: number;
  timeouts: number;
  rateLimited: number;
  errorRate: number | null;
  timeoutRate: number | null;
  rateLimitedRate: number | null;
  avgLatencyMs: number | null;
  minLatencyMs: number | null;
  maxLatencyMs: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  p99LatencyMs: number | null;
  callsPerMinute: number;
}

/** Calls per minute are never computed over less than this, so a first call does not read as 60,000/min. */
const MIN_RATE_SPAN_MS = 1_000;

/** Latencies are reported to the microsecond: finer digits are timer noise. */
const round3 = (value: number) => Math.round(value * 1_000) / 1_000;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The step every window moves by together: the open bucket never straddles any window's edge. */
export function commonStepMs(specs: readonly WindowSpec[]): number {
  return specs.map((s) => s.windowMs / s.buckets).reduce(gcd);
}

/**
 * The newest, still-open time bucket shared by every window. Recording touches only this:
 * a few counters and one histogram cell, with no allocation. `lo`/`hi` bound the histogram
 * cells in use so folding it into the windows reads only those.
 */
class OpenBucket {
  epoch = -Infinity;
  /** When this bucket's time is up: a comparison on the record path instead of a division. */
  endMs = -Infinity;
  calls = 0;
  failures = 0;
  timeouts = 0;
  rateLimited = 0;
  latencySum = 0;
  min = Infinity;
  max = -Infinity;
  lo = HISTOGRAM_BINS;
  hi = -1;
  firstCallAt = Infinity;
  readonly histogram = new Uint32Array(HISTOGRAM_BINS);

  reset(epoch: number, bucketMs: number): void {
    this.epoch = epoch;
    this.endMs = (epoch + 1) * bucketMs;
    this.calls = this.failures = this.timeouts = this.rateLimited = 0;
    this.latencySum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.lo = HISTOGRAM_BINS;
    this.hi = -1;
    this.firstCallAt = Infinity;
  }
}

/**
 * The closed buckets of one window, as a ring with running totals: a closed bucket is added
 * once when it is folded in and subtracted once when it leaves the window, so a snapshot costs
 * O(buckets + histogram cells), whatever the number of calls.
 */
class BucketRing {
  readonly bucketMs: number;
  private readonly n: number;
  private readonly calls: Float64Array;
  private readonly failures: Float64Array;
  private readonly timeouts: Float64Array;
  private readonly rateLimited: Float64Array;
  private readonly latencySum: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  /** Per-bucket histograms in one flat array, allocated when the first bucket is folded in. */
  private histograms: Uint32Array | null = null;
  readonly totalHistogram: Uint32Array;
  totalCalls = 0;
  totalFailures = 0;
  totalTimeouts = 0;
  totalRateLimited = 0;
  totalLatency = 0;
  firstCallAt = Infinity;
  private headEpoch = -Infinity;

  constructor(readonly spec: WindowSpec) {
    this.n = spec.buckets;
    this.bucketMs = spec.windowMs / spec.buckets;
    this.calls = new Float64Array(this.n);
    this.failures = new Float64Array(this.n);
    this.timeouts = new Float64Array(this.n);
    this.rateLimited = new Float64Array(this.n);
    this.latencySum = new Float64Array(this.n);
    this.min = new Float64Array(this.n);
    this.max = new Float64Array(this.n);
    this.lo = new Int32Array(this.n);
    this.hi = new Int32Array(this.n);
    this.totalHistogram = new Uint32Array(spec.countsOnly ? 0 : HISTOGRAM_BINS);
  }

  /** Moves the window's end to `nowMs`, dropping buckets that left it. */
  advance(nowMs: number): void {
    const epoch = Math.floor(nowMs / this.bucketMs);
    if (epoch <= this.headEpoch) return; // a clock that stands still or steps back changes nothing
    if (epoch - this.headEpoch >= this.n) {
      // Idle past the whole window: drop everything at once rather than bucket by bucket.
      for (let slot = 0; slot < this.n; slot++) this.expire(slot);
      this.firstCallAt = Infinity;
    } else {
      for (let e = this.headEpoch + 1; e <= epoch; e++) this.expire(e % this.n);
      this.firstCallAt = Math.max(this.firstCallAt, (epoch - this.n + 1) * this.bucketMs);
    }
    this.headEpoch = epoch;
    if (this.totalCalls === 0) {
      this.totalLatency = 0; // no float residue once the window is empty
      this.firstCallAt = Infinity;
    }
  }

  /** Adds a closed bucket that started at `startMs`. */
  fold(startMs: number, b: OpenBucket): void {
    this.advance(startMs);
    const slot = Math.max(this.headEpoch, Math.floor(startMs / this.bucketMs)) % this.n;
    if (this.calls[slot] === 0) {
      this.min[slot] = b.min;
      this.max[slot] = b.max;
      this.lo[slot] = b.lo;
      this.hi[slot] = b.hi;
    } else {
      if (b.min < this.min[slot]) this.min[slot] = b.min;
      if (b.max > this.max[slot]) this.max[slot] = b.max;
      if (b.lo < this.lo[slot]) this.lo[slot] = b.lo;
      if (b.hi > this.hi[slot]) this.hi[slot] = b.hi;
    }
    this.calls[slot] += b.calls;
    this.failures[slot] += b.failures;
    this.timeouts[slot] += b.timeouts;
    this.rateLimited[slot] += b.rateLimited;
    this.latencySum[slot] += b.latencySum;
    this.totalCalls += b.calls;
    this.totalFailures += b.failures;
    this.totalTimeouts += b.timeouts;
    this.totalRateLimited += b.rateLimited;
    this.totalLatency += b.latencySum;
    if (b.firstCallAt < this.firstCallAt) this.firstCallAt = b.firstCallAt;
    if (this.spec.countsOnly) return;
    const histograms = (this.histograms ??= new Uint32Array(this.n * HISTOGRAM_BINS));
    const base = slot * HISTOGRAM_BINS;
    for (let i = b.lo; i <= b.hi; i++) {
      const c = b.histogram[i];
      if (c !== 0) {
        histograms[base + i] += c;
        this.totalHistogram[i] += c;
      }
    }
  }

  /** Lowest min and highest max over the buckets still in the window. */
  bounds(into: { min: number; max: number }): void {
    for (let slot = 0; slot < this.n; slot++) {
      if (this.calls[slot] === 0) continue;
      if (this.min[slot] < into.min) into.min = this.min[slot];
      if (this.max[slot] > into.max) into.max = this.max[slot];
    }
  }

  /** How much of the window has passed by `nowMs`, counting the current bucket in part. */
  coveredMs(nowMs: number): number {
    return (this.n - 1) * this.bucketMs + (nowMs - Math.floor(nowMs / this.bucketMs) * this.bucketMs);
  }

  private expire(slot: number): void {
    const calls = this.calls[slot];
    if (calls === 0) return;
    this.totalCalls -= calls;
    this.totalFailures -= this.failures[slot];
    this.totalTimeouts -= this.timeouts[slot];
    this.totalRateLimited -= this.rateLimited[slot];
    this.totalLatency -= this.latencySum[slot];
    this.calls[slot] = this.failures[slot] = this.timeouts[slot] = this.rateLimited[slot] = 0;
    this.latencySum[slot] = 0;
    if (this.spec.countsOnly) return;
    const histograms = this.histograms!;
    const base = slot * HISTOGRAM_BINS;
    for (let i = this.lo[slot]; i <= this.hi[slot]; i++) {
      const c = histograms[base + i];
      if (c !== 0) {
        this.totalHistogram[i] -= c;
        histograms[base + i] = 0;
      }
    }
  }
}

/**
 * Several sliding windows over one stream of calls (1 m, 5 m, 15 m, 1 h...). A call is
 * recorded once, into the open bucket; when that bucket's time is up it is folded into every
 * window. A snapshot adds the window's running totals and the open bucket.
 */
export class SlidingWindows {
  readonly bucketMs: number;
  private readonly open = new OpenBucket();
  private readonly rings: BucketRing[];

  constructor(readonly specs: readonly WindowSpec[]) {
    if (specs.length === 0) throw new RangeError('at least one window is needed');
    for (const s of specs) {
      if (!Number.isInteger(s.buckets) || s.buckets < 1) throw new RangeError(`window ${s.name}: buckets must be a positive integer, got ${s.buckets}`);
      if (!Number.isInteger(s.windowMs / s.buckets) || s.windowMs / s.buckets < 1) {
        throw new RangeError(`window ${s.name}: windowMs (${s.windowMs}) must split into ${s.buckets} buckets of whole milliseconds`);
      }
    }
    this.rings = specs.map((s) => new BucketRing(s));
    this.bucketMs = commonStepMs(specs);
  }

  /** `bin` is binIndex(latencyMs), computed once by the caller who also needs it. */
  record(nowMs: number, latencyMs: number, bin: number, failed: boolean, timedOut: boolean, rateLimited: boolean): void {
    const open = this.open;
    if (nowMs >= open.endMs) this.close(Math.floor(nowMs / this.bucketMs));
    open.calls++;
    open.latencySum += latencyMs;
    if (latencyMs < open.min) open.min = latencyMs;
    if (latencyMs > open.max) open.max = latencyMs;
    if (failed) open.failures++;
    if (timedOut) open.timeouts++;
    if (rateLimited) open.rateLimited++;
    open.histogram[bin]++;
    if (bin < open.lo) open.lo = bin;
    if (bin > open.hi) open.hi = bin;
    if (nowMs < open.firstCallAt) open.firstCallAt = nowMs;
  }

  /** Index of a window by name, or -1. */
  indexOf(name: string): number {
    return this.specs.findIndex((s) => s.name === name);
  }

  snapshot(index: number, nowMs: number): WindowSnapshot {
    return SlidingWindows.combine([this], index, nowMs);
  }

  /** Calls in window `index` alone: a cheap read for rate limits, with no histogram work. */
  callsIn(index: number, nowMs: number): number {
    this.roll(nowMs);
    return this.rings[index].totalCalls + this.open.calls;
  }

  /** One snapshot of window `index` over several streams, e.g. every provider together. */
  static combine(streams: Iterable<SlidingWindows>, index: number, nowMs: number): WindowSnapshot {
    let windowMs = 0;
    let calls = 0;
    let failures = 0;
    let timeouts = 0;
    let rateLimited = 0;
    let latency = 0;
    const bounds = { min: Infinity, max: -Infinity };
    let activeMs = MIN_RATE_SPAN_MS;
    const histogram = new Uint32Array(HISTOGRAM_BINS);
    let percentiles = true;
    for (const stream of streams) {
      stream.roll(nowMs);
      const ring = stream.rings[index];
      const open = stream.open;
      windowMs = ring.spec.windowMs;
      const streamCalls = ring.totalCalls + open.calls;
      if (streamCalls === 0) continue;
      calls += streamCalls;
      failures += ring.totalFailures + open.failures;
      timeouts += ring.totalTimeouts + open.timeouts;
      rateLimited += ring.totalRateLimited + open.rateLimited;
      latency += ring.totalLatency + open.latencySum;
      ring.bounds(bounds);
      if (open.min < bounds.min) bounds.min = open.min;
      if (open.max > bounds.max) bounds.max = open.max;
      const firstCallAt = Math.min(ring.firstCallAt, open.firstCallAt);
      activeMs = Math.max(activeMs, Math.min(ring.coveredMs(nowMs), nowMs - firstCallAt));
      if (ring.spec.countsOnly) {
        percentiles = false;
        continue;
      }
      if (ring.totalCalls > 0) for (let i = 0; i < HISTOGRAM_BINS; i++) histogram[i] += ring.totalHistogram[i];
      for (let i = open.lo; i <= open.hi; i++) histogram[i] += open.histogram[i];
    }
    const { min, max } = bounds;
    const rate = (part: number) => (calls === 0 ? null : part / calls);
    const quantile = (q: number) => (calls === 0 || !percentiles ? null : round3(quantileOf(histogram, calls, q, min, max)!));
    return {
      windowMs,
      calls,
      failures,
      timeouts,
      rateLimited,
      errorRate: rate(failures),
      timeoutRate: rate(timeouts),
      rateLimitedRate: rate(rateLimited),
      avgLatencyMs: calls === 0 ? null : round3(latency / calls),
      minLatencyMs: calls === 0 ? null : round3(min),
      maxLatencyMs: calls === 0 ? null : round3(max),
      p50LatencyMs: quantile(0.5),
      p95LatencyMs: quantile(0.95),
      p99LatencyMs: quantile(0.99),
      callsPerMinute: calls === 0 ? 0 : round3((calls * 60_000) / activeMs),
    };
  }

  /** Closes the open bucket when its time is up and slides every window to `nowMs`. */
  private roll(nowMs: number): void {
    const epoch = Math.floor(nowMs / this.bucketMs);
    if (epoch > this.open.epoch) this.close(epoch);
    for (const ring of this.rings) ring.advance(nowMs);
  }

  private close(nextEpoch: number): void {
    const open = this.open;
    if (open.calls > 0) {
      const startMs = open.epoch * this.bucketMs;
      for (const ring of this.rings) ring.fold(startMs, open);
      for (let i = open.lo; i <= open.hi; i++) open.histogram[i] = 0;
    }
    open.reset(nextEpoch, this.bucketMs);
  }
}
