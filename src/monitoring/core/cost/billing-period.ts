/**
 * Billing periods are UTC calendar days and months: a day starts at 00:00 UTC, a month at
 * 00:00 UTC on its first day. Most market-data providers reset their daily quotas in UTC too.
 */
export const BILLING_PERIODS = ['day', 'month'] as const;
export type BillingPeriod = (typeof BILLING_PERIODS)[number];

export const DAY_MS = 86_400_000;
export const MAX_DAYS_IN_MONTH = 31;

export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function utcMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start of the month after the one `ms` is in. */
export function utcNextMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function periodBounds(period: BillingPeriod, nowMs: number): { startMs: number; endMs: number } {
  return period === 'day'
    ? { startMs: utcDayStart(nowMs), endMs: utcDayStart(nowMs) + DAY_MS }
    : { startMs: utcMonthStart(nowMs), endMs: utcNextMonthStart(nowMs) };
}

/** What MonthCounters saves, so a restart in the same month goes on counting. */
export interface SavedMonthCounts {
  /** Epoch ms of the month's first day, 00:00 UTC. */
  monthStartMs: number;
  /** Index 0 is the first day of the month. */
  calls: number[];
  cacheHits: number[];
}

/** One provider's month so far, as the cost report reads it. */
export interface MonthUsage {
  monthStartMs: number;
  /** Index of today in the month (0 on the 1st). */
  today: number;
  daysInMonth: number;
  /** Calls per day of the month; days after today are 0. */
  calls: Float64Array;
  cacheHits: Float64Array;
}

/**
 * Calls and cache hits per UTC day of the current month: 2 x 31 numbers per provider, whatever
 * the traffic, so any pricing (a free allowance per day or per month) can be worked out on read.
 * Counting is one comparison and one increment; the arrays roll over when a new month starts.
 */
export class MonthCounters {
  private monthStartMs = -Infinity;
  private nextMonthMs = -Infinity;
  private dayIndex = 0;
  /** When today ends: the record path compares with it instead of dividing. */
  private nextDayMs = -Infinity;
  private readonly calls = new Float64Array(MAX_DAYS_IN_MONTH);
  private readonly cacheHits = new Float64Array(MAX_DAYS_IN_MONTH);

  addCall(nowMs: number): void {
    if (nowMs >= this.nextDayMs) this.advance(nowMs);
    this.calls[this.dayIndex]++;
  }

  addCacheHit(nowMs: number): void {
    if (nowMs >= this.nextDayMs) this.advance(nowMs);
    this.cacheHits[this.dayIndex]++;
  }

  /** The month as of `nowMs` (counts of a month that has ended read as zero). */
  usage(nowMs: number): MonthUsage {
    if (nowMs >= this.nextDayMs) this.advance(nowMs);
    return {
      monthStartMs: this.monthStartMs,
      today: this.dayIndex,
      daysInMonth: Math.round((this.nextMonthMs - this.monthStartMs) / DAY_MS),
      calls: this.calls,
      cacheHits: this.cacheHits,
    };
  }

  save(nowMs: number): SavedMonthCounts {
    const { monthStartMs, today } = this.usage(nowMs);
    return { monthStartMs, calls: Array.from(this.calls.subarray(0, today + 1)), cacheHits: Array.from(this.cacheHits.subarray(0, today + 1)) };
  }

  /** Adds counts saved by an earlier run; counts of another month are not this month's and are dropped. */
  restore(saved: SavedMonthCounts, nowMs: number): void {
    this.usage(nowMs);
    if (saved.monthStartMs !== this.monthStartMs) return;
    const add = (into: Float64Array, from: readonly number[]) => {
      for (let i = 0; i < Math.min(from.length, MAX_DAYS_IN_MONTH); i++) {
        if (Number.isFinite(from[i]) && from[i] > 0) into[i] += Math.floor(from[i]);
      }
    };
    add(this.calls, saved.calls);
    add(this.cacheHits, saved.cacheHits);
  }

  reset(): void {
    this.calls.fill(0);
    this.cacheHits.fill(0);
  }

  /** A clock that steps back stays in the current day: its counts are not lost. */
  private advance(nowMs: number): void {
    const month = utcMonthStart(nowMs);
    if (month > this.monthStartMs) {
      this.monthStartMs = month;
      this.nextMonthMs = utcNextMonthStart(nowMs);
      this.calls.fill(0);
      this.cacheHits.fill(0);
    }
    const day = utcDayStart(nowMs);
    this.dayIndex = Math.round((day - this.monthStartMs) / DAY_MS);
    this.nextDayMs = day + DAY_MS;
  }
}
