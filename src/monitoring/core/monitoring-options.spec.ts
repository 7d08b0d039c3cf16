import { MONITORING_DEFAULTS, resolveMonitoringOptions } from './monitoring-options';

describe('resolveMonitoringOptions', () => {
  it('fills every option from the defaults', () => {
    expect(resolveMonitoringOptions()).toEqual(MONITORING_DEFAULTS);
  });

  it('merges nested thresholds without losing their siblings', () => {
    const options = resolveMonitoringOptions({ windowMs: 60_000, thresholds: { unhealthy: { p95LatencyMs: 3_000 } } });
    expect(options.windowMs).toBe(60_000);
    expect(options.thresholds.unhealthy).toEqual({ ...MONITORING_DEFAULTS.thresholds.unhealthy, p95LatencyMs: 3_000 });
    expect(options.thresholds.healthy).toEqual(MONITORING_DEFAULTS.thresholds.healthy);
  });

  it.each([
    [{ maxProviders: 0 }, /maxProviders must be an integer from 1/],
    [{ windowMs: NaN }, /windowMs must be an integer/],
    [{ thresholds: { healthy: { errorRate: 1.5 } } }, /thresholds.healthy.errorRate must be a number from 0 to 1/],
    [{ thresholds: { healthy: { p95LatencyMs: 3_000 } } }, /thresholds.healthy.p95LatencyMs \(3000\) must not be above thresholds.unhealthy.p95LatencyMs \(2000\)/],
    [{ windowMs: 60_001, windowBuckets: 20 }, /buckets of whole tenths of a second/],
  ])('refuses %j with a message naming the option', (input, message) => {
    expect(() => resolveMonitoringOptions(input)).toThrow(message);
  });
});
