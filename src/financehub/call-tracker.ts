/**
 * What FinanceHub needs from the monitoring library. Declared here (structurally) so this
 * folder depends on three methods, not on the library's whole PerformanceMonitor class.
 */
export interface CallTracker {
  track<T>(
    provider: string,
    fn: (signal: AbortSignal) => Promise<T>,
    options?: { timeoutMs?: number },
  ): Promise<T>;
  recordCacheHit(level: string, provider?: string): void;
  recordCacheMiss(level: string, provider?: string): void;
}

export const CALL_TRACKER = Symbol('CALL_TRACKER');

/**
 * Runs provider calls with their timeout and records nothing: what FinanceHub does with
 * FINANCEHUB_MONITORING=false, so the cost of monitoring can be measured against it.
 */
export const unmonitoredTracker: CallTracker = {
  track: (_provider, fn, options = {}) =>
    fn(options.timeoutMs === undefined ? new AbortController().signal : AbortSignal.timeout(options.timeoutMs)),
  recordCacheHit: () => undefined,
  recordCacheMiss: () => undefined,
};
