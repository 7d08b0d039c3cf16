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
