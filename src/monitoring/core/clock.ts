/** Time source, injectable so tests and benchmarks control it. */
export interface Clock {
  /** Wall-clock epoch milliseconds: buckets windows and stamps events. */
  now(): number;
  /** Monotonic milliseconds: measures durations, immune to wall-clock jumps. */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};

/**
 * Wall-clock time read from a variable a timer refreshes, for the record path: a clock read
 * costs 50-100 ns on some machines, several times the rest of a record. Window buckets are at
 * least 100 ms wide, so `resolutionMs` of staleness changes nothing that is reported.
 */
export class CoarseClock implements Clock {
  private current: number;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly source: Clock,
    resolutionMs: number,
  ) {
    this.current = source.now();
    this.timer = setInterval(() => (this.current = source.now()), resolutionMs);
    this.timer.unref();
  }

  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.source.monotonic();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
