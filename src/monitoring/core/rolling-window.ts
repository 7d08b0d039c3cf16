import { HISTOGRAM_BINS, binIndex, quantileOf } from './log-histogram';

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

/** Latencies are reported to the microsecond: finer digits are timer noise. */
const round3 = (value: number) => Math.round(value * 1_000) / 1_000;

/** Calls per minute are never computed over less than this, so a first call does not read as 60,000/min. */
const MIN_RATE_SPAN_MS = 1_000;

/**
 * A sliding time window as a ring of time buckets with running totals: a record adds to the
 * current bucket and to the totals, a bucket leaving the window is subtracted once. Recording
 * is O(1) and allocation-free after the first call; a snapshot costs O(buckets + bins),
 * whatever the number of calls.
 */
export class RollingWindow {
  readonly bucketMs: number;
  private readonly calls: Uint32Array;
  private readonly failures: Uint32Array;
  private readonly timeouts: Uint32Array;
  private readonly rateLimited: Uint32Array;
  private readonly latencySum: Float64Array;
  private readonly latencyMin: Float64Array;
  private readonly latencyMax: Float64Array;
  /** Per-bucket histograms, one flat array allocated on the first record. */
  private histograms: Uint32Array | null = null;
  private readonly totalHistogram = new Uint32Array(HISTOGRAM_BINS);
  private totalCalls = 0;
  private totalFailures = 0;
  private totalTimeouts = 0;
  private totalRateLimited = 0;
  private totalLatency = 0;
  private headEpoch = -Infinity;
  /** When the oldest call still counted was made, for calls per minute on a young window. */
  private firstCallAt = Infinity;

  constructor(
    readonly windowMs: number,
    readonly bucketCount: number,
  ) {
    if (!Number.isInteger(bucketCount) || bucketCount < 1) {
      throw new RangeError(`bucketCount must be a positive integer, got ${bucketCount}`);
    }
    if (!(windowMs >= bucketCount)) {
      throw new RangeError(`windowMs must be at least bucketCount (${bucketCount}), got ${windowMs}`);
    }
    this.bucketMs = windowMs / bucketCount;
    this.calls = new Uint32Array(bucketCount);
    this.failures = new Uint32Array(bucketCount);
    this.timeouts = new Uint32Array(bucketCount);
    this.rateLimited = new Uint32Array(bucketCount);
    this.latencySum = new Float64Array(bucketCount);
    this.latencyMin = new Float64Array(bucketCount);
    this.latencyMax = new Float64Array(bucketCount);
  }

  record(nowMs: number, latencyMs: number, failed: boolean, timedOut: boolean, rateLimited: boolean): void {
    const slot = this.advance(nowMs);
    if (this.calls[slot] === 0) {
      this.latencyMin[slot] = latencyMs;
      this.latencyMax[slot] = latencyMs;
    } else {
      if (latencyMs < this.latencyMin[slot]) this.latencyMin[slot] = latencyMs;
      if (latencyMs > this.latencyMax[slot]) this.latencyMax[slot] = latencyMs;
    }
    this.calls[slot]++;
    this.latencySum[slot] += latencyMs;
    this.totalCalls++;
    this.totalLatency += latencyMs;
    if (failed) {
      this.failures[slot]++;
      this.totalFailures++;
    }
    if (timedOut) {
      this.timeouts[slot]++;
      this.totalTimeouts++;
    }
    if (rateLimited) {
      this.rateLimited[slot]++;
      this.totalRateLimited++;
    }
    const histograms = (this.histograms ??= new Uint32Array(this.bucketCount * HISTOGRAM_BINS));
    const bin = binIndex(latencyMs);
    histograms[slot * HISTOGRAM_BINS + bin]++;
    this.totalHistogram[bin]++;
    if (nowMs < this.firstCallAt) this.firstCallAt = nowMs;
  }

  snapshot(nowMs: number): WindowSnapshot {
    return RollingWindow.combine([this], nowMs);
  }

  /** One snapshot over several windows of the same length, e.g. every provider together. */
  static combine(windows: Iterable<RollingWindow>, nowMs: number): WindowSnapshot {
    let windowMs = 0;
    let calls = 0;
    let failures = 0;
    let timeouts = 0;
    let rateLimited = 0;
    let latency = 0;
    let min = Infinity;
    let max = -Infinity;
    let activeMs = MIN_RATE_SPAN_MS;
    let histogram: Uint32Array | null = null;
    let merged = false;
    for (const w of windows) {
      w.advance(nowMs);
      windowMs = w.windowMs;
      if (w.totalCalls === 0) continue;
      calls += w.totalCalls;
      failures += w.totalFailures;
      timeouts += w.totalTimeouts;
      rateLimited += w.totalRateLimited;
      latency += w.totalLatency;
      for (let slot = 0; slot < w.bucketCount; slot++) {
        if (w.calls[slot] === 0) continue;
        if (w.latencyMin[slot] < min) min = w.latencyMin[slot];
        if (w.latencyMax[slot] > max) max = w.latencyMax[slot];
      }
      const headStart = Math.floor(nowMs / w.bucketMs) * w.bucketMs;
      const coveredMs = (w.bucketCount - 1) * w.bucketMs + (nowMs - headStart);
      activeMs = Math.max(activeMs, Math.min(coveredMs, nowMs - w.firstCallAt));
      if (histogram === null) {
        histogram = w.totalHistogram;
      } else {
        if (!merged) {
          histogram = histogram.slice();
          merged = true;
        }
        for (let i = 0; i < HISTOGRAM_BINS; i++) histogram[i] += w.totalHistogram[i];
      }
    }
    const rate = (part: number) => (calls === 0 ? null : part / calls);
    const quantile = (q: number) => (histogram === null ? null : round3(quantileOf(histogram, calls, q, min, max)!));
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

  clear(): void {
    this.calls.fill(0);
    this.failures.fill(0);
    this.timeouts.fill(0);
    this.rateLimited.fill(0);
    this.latencySum.fill(0);
    this.histograms?.fill(0);
    this.totalHistogram.fill(0);
    this.totalCalls = this.totalFailures = this.totalTimeouts = this.totalRateLimited = 0;
    this.totalLatency = 0;
    this.headEpoch = -Infinity;
    this.firstCallAt = Infinity;
  }

  /** Expires buckets that left the window and returns the slot for `nowMs`. */
  private advance(nowMs: number): number {
    const epoch = Math.floor(nowMs / this.bucketMs);
    if (epoch > this.headEpoch) {
      if (epoch - this.headEpoch >= this.bucketCount) {
        // Idle past the whole window: drop everything at once rather than bucket by bucket.
        if (this.totalCalls > 0) this.clear();
        this.headEpoch = epoch;
      } else {
        for (let e = this.headEpoch + 1; e <= epoch; e++) this.expireSlotFor(e);
        this.headEpoch = epoch;
      }
      return epoch % this.bucketCount;
    }
    // A clock that stands still or steps back keeps writing into the newest bucket.
    return this.headEpoch % this.bucketCount;
  }

  /** Empties the slot that epoch `epoch` is about to reuse. */
  private expireSlotFor(epoch: number): void {
    const slot = epoch % this.bucketCount;
    const calls = this.calls[slot];
    if (calls === 0) return;
    this.totalCalls -= calls;
    this.totalFailures -= this.failures[slot];
    this.totalTimeouts -= this.timeouts[slot];
    this.totalRateLimited -= this.rateLimited[slot];
    this.totalLatency -= this.latencySum[slot];
    if (this.totalCalls === 0) {
      this.totalLatency = 0; // no float residue once the window is empty
      this.firstCallAt = Infinity;
    } else {
      const oldestKeptStart = (epoch - this.bucketCount + 1) * this.bucketMs;
      this.firstCallAt = Math.max(this.firstCallAt, oldestKeptStart);
    }
    const histograms = this.histograms!;
    const base = slot * HISTOGRAM_BINS;
    for (let i = 0; i < HISTOGRAM_BINS; i++) {
      const c = histograms[base + i];
      if (c !== 0) {
        this.totalHistogram[i] -= c;
        histograms[base + i] = 0;
      }
    }
    this.calls[slot] = 0;
    this.failures[slot] = 0;
    this.timeouts[slot] = 0;
    this.rateLimited[slot] = 0;
    this.latencySum[slot] = 0;
  }
}
