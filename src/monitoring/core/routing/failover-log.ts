/** Why a request moved on from one provider to the next. */
export type FailoverKind = 'failure' | 'skip';

export interface FailoverCount {
  capability: string;
  from: string;
  to: string;
  /** Moves after `from` was tried and failed. */
  afterFailure: number;
  /** Moves because `from` was not tried (circuit open, probes busy, quota spent). */
  afterSkip: number;
  total: number;
}

const BUCKET_MS = 10_000;
/** One hour of 10 s buckets: the longest window asked for. */
const BUCKETS = 360;
export const MAX_FAILOVER_WINDOW_MS = BUCKET_MS * BUCKETS;

/** Counts of one provider pair over the last hour, in a ring of 10 s buckets. */
class PairCounts {
  readonly epochs = new Float64Array(BUCKETS).fill(-1);
  readonly failures = new Float64Array(BUCKETS);
  readonly skips = new Float64Array(BUCKETS);
  allTimeFailures = 0;
  allTimeSkips = 0;

  constructor(
    readonly capability: string,
    readonly from: string,
    readonly to: string,
  ) {}

  add(kind: FailoverKind, nowMs: number): void {
    const epoch = Math.floor(nowMs / BUCKET_MS);
    const slot = epoch % BUCKETS;
    if (this.epochs[slot] !== epoch) {
      this.epochs[slot] = epoch;
      this.failures[slot] = 0;
      this.skips[slot] = 0;
    }
    if (kind === 'failure') {
      this.failures[slot]++;
      this.allTimeFailures++;
    } else {
      this.skips[slot]++;
      this.allTimeSkips++;
    }
  }

  /** Sums the buckets that started within `windowMs` of now (so to the 10 s bucket). */
  count(nowMs: number, windowMs: number | null): FailoverCount {
    let afterFailure = this.allTimeFailures;
    let afterSkip = this.allTimeSkips;
    if (windowMs !== null) {
      const newest = Math.floor(nowMs / BUCKET_MS);
      const oldest = newest - Math.ceil(windowMs / BUCKET_MS) + 1;
      afterFailure = afterSkip = 0;
      for (let slot = 0; slot < BUCKETS; slot++) {
        const epoch = this.epochs[slot];
        if (epoch < oldest || epoch > newest) continue;
        afterFailure += this.failures[slot];
        afterSkip += this.skips[slot];
      }
    }
    return { capability: this.capability, from: this.from, to: this.to, afterFailure, afterSkip, total: afterFailure + afterSkip };
  }
}

/**
 * Failovers per capability and provider pair, over sliding windows up to an hour and all time.
 * Memory is fixed per pair, and pairs are bounded by the capabilities' candidate lists.
 */
export class FailoverLog {
  private readonly pairs = new Map<string, PairCounts>();

  record(capability: string, from: string, to: string, kind: FailoverKind, nowMs: number): void {
    const key = JSON.stringify([capability, from, to]);
    let pair = this.pairs.get(key);
    if (!pair) {
      pair = new PairCounts(capability, from, to);
      this.pairs.set(key, pair);
    }
    pair.add(kind, nowMs);
  }

  /** Pairs with at least one move in the window (`null`: all time), most moves first. */
  counts(nowMs: number, windowMs: number | null, capability?: string): FailoverCount[] {
    if (windowMs !== null && (windowMs <= 0 || windowMs > MAX_FAILOVER_WINDOW_MS)) throw new RangeError(`window must be from 1 ms to ${MAX_FAILOVER_WINDOW_MS} ms`);
    const out: FailoverCount[] = [];
    for (const pair of this.pairs.values()) {
      if (capability !== undefined && pair.capability !== capability) continue;
      const count = pair.count(nowMs, windowMs);
      if (count.total > 0) out.push(count);
    }
    return out.sort((a, b) => b.total - a.total || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  }

  /** Moves away from `from` in the window, over every capability: what alert rules read. */
  awayFrom(from: string, nowMs: number, windowMs: number): number {
    let total = 0;
    for (const pair of this.pairs.values()) if (pair.from === from) total += pair.count(nowMs, windowMs).total;
    return total;
  }

  reset(): void {
    this.pairs.clear();
  }
}
