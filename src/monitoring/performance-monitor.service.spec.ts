import { systemClock } from './core/clock';
import { ManualClock } from './core/manual-clock';
import { resolveMonitoringOptions } from './core/monitoring-options';
import { ProviderCallError, ProviderTimeoutError } from './core/provider-call';
import { PerformanceMonitor } from './performance-monitor.service';

describe('PerformanceMonitor', () => {
  describe('track', () => {
    // Jest's fake timers also drive Date.now and performance.now, so the system clock follows them.
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());
    const monitor = () => new PerformanceMonitor(resolveMonitoringOptions({ clock: systemClock }));

    it('returns what the call returned and records its latency on the monotonic clock', async () => {
      const m = monitor();
      const result = m.track('p', () => new Promise((resolve) => setTimeout(() => resolve('quote'), 120)));
      await jest.advanceTimersByTimeAsync(120);
      await expect(result).resolves.toBe('quote');
      expect(m.getProviderMetrics('p')).toMatchObject({ totals: { calls: 1, successes: 1 }, window: { maxLatencyMs: 120 } });
    });

    it('rethrows a failure and records its type and rate limiting', async () => {
      const m = monitor();
      const failing = m.track('p', () => Promise.reject(new ProviderCallError('HTTP 429 ?token=abc', 'rate_limited', 429)));
      await expect(failing).rejects.toMatchObject({ type: 'rate_limited', status: 429 });
      expect(m.getProviderMetrics('p')!.totals).toMatchObject({
        failures: 1,
        rateLimited: 1,
        lastErrorType: 'rate_limited',
        lastErrorMessage: 'HTTP 429 ?token=***',
      });
    });

    it('rethrows no_data but records it as an answered call, not a provider failure', async () => {
      const m = monitor();
      await expect(m.track('p', () => Promise.reject(new ProviderCallError('no such symbol', 'no_data')))).rejects.toMatchObject({ type: 'no_data' });
      expect(m.getProviderMetrics('p')!.totals).toMatchObject({ calls: 1, successes: 1, failures: 0 });
    });

    it('records an error thrown synchronously by the call', async () => {
      const m = monitor();
      await expect(m.track('p', () => { throw new TypeError('boom'); })).rejects.toThrow('boom');
      expect(m.getProviderMetrics('p')!.totals).toMatchObject({ failures: 1, lastErrorType: 'TypeError' });
    });

    it('aborts a call past its timeout, records a timeout with the time waited, and rejects (C12)', async () => {
      const m = monitor();
      let signal: AbortSignal | undefined;
      // A call that never settles and ignores the signal: only the timeout can end it.
      const hung = m.track('p', (s) => { signal = s; return new Promise<never>(() => undefined); }, { timeoutMs: 2_000 });
      const outcome = expect(hung).rejects.toMatchObject({ name: 'ProviderTimeoutError', provider: 'p', timeoutMs: 2_000 });
      await jest.advanceTimersByTimeAsync(2_000);
      await outcome;
      expect(signal!.aborted).toBe(true);
      expect(signal!.reason).toBeInstanceOf(ProviderTimeoutError);
      expect(m.getProviderMetrics('p')).toMatchObject({
        totals: { calls: 1, failures: 1, timeouts: 1, lastErrorType: 'timeout' },
        window: { timeoutRate: 1, maxLatencyMs: 2_000 },
      });
    });

    it('records a call that settles after its timeout only once', async () => {
      const m = monitor();
      const late = m.track('p', () => new Promise((resolve) => setTimeout(() => resolve('late'), 3_000)), { timeoutMs: 1_000 });
      const outcome = expect(late).rejects.toBeInstanceOf(ProviderTimeoutError);
      await jest.advanceTimersByTimeAsync(3_000);
      await outcome;
      expect(m.getProviderMetrics('p')!.totals).toMatchObject({ calls: 1, timeouts: 1, successes: 0 });
    });

    it('still runs the call when the provider name is invalid, and counts the sample as invalid', async () => {
      const m = monitor();
      await expect(m.track('', () => Promise.resolve(1))).resolves.toBe(1);
      expect(m.getStats()).toMatchObject({ invalidSamples: 1, providers: 0 });
    });
  });

  describe('queries', () => {
    const setup = () => {
      const clock = new ManualClock();
      const m = new PerformanceMonitor(resolveMonitoringOptions({ clock }));
      const feed = (provider: string, n: number, latencyMs: number, failures: number) => {
        for (let i = 0; i < n; i++) m.recordProviderCall({ provider, latencyMs, success: i >= failures });
      };
      return { clock, m, feed };
    };

    it('lists the slowest providers by window p95, slowest first, up to the limit', () => {
      const { m, feed } = setup();
      feed('fast', 20, 30, 0);
      feed('slow', 20, 900, 0);
      feed('middle', 20, 200, 0);
      expect(m.getSlowestProviders(2).map((p) => p.provider)).toEqual(['slow', 'middle']);
      expect(m.getSlowestProviders().map((p) => p.provider)).toEqual(['slow', 'middle', 'fast']);
    });

    it('lists providers at or above an error-rate threshold, worst first', () => {
      const { m, feed } = setup();
      feed('ok', 100, 30, 1);
      feed('edge', 100, 30, 5);
      feed('bad', 100, 30, 40);
      expect(m.getErrorProneProviders().map((p) => [p.provider, p.window.errorRate])).toEqual([
        ['bad', 0.4],
        ['edge', 0.05],
      ]);
      expect(m.getErrorProneProviders(0.5)).toEqual([]);
    });

    it('reports stats with uptime and refused samples, and forgets them on reset', () => {
      const { m, feed, clock } = setup();
      feed('p', 10, 30, 2);
      m.recordProviderCall({ provider: 'p', latencyMs: -1, success: true });
      clock.advance(90_000);
      expect(m.getStats()).toMatchObject({ totals: { calls: 10, failures: 2 }, window: { calls: 10, errorRate: 0.2 }, invalidSamples: 1, uptimeSeconds: 90, providers: 1 });
      m.reset();
      expect(m.getAllProviderMetrics()).toEqual([]);
      expect(m.getStats()).toMatchObject({ invalidSamples: 0, providers: 0, window: { calls: 0, errorRate: null } });
    });
  });
});
