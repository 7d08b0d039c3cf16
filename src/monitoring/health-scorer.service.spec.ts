import { MonitoringSettings } from './monitoring-settings.service';
import { ManualClock } from './core/manual-clock';
import { resolveMonitoringOptions } from './core/monitoring-options';
import { ISSUE_TYPES } from './core/monitoring.messages';
import { HealthScorer } from './health-scorer.service';
import { PerformanceMonitor } from './performance-monitor.service';

function setup() {
  const options = resolveMonitoringOptions({ clock: new ManualClock() });
  const monitor = new PerformanceMonitor(options);
  return { monitor, scorer: new HealthScorer(monitor, new MonitoringSettings(options), options) };
}

describe('HealthScorer.getHealthRecommendation', () => {
  it('quotes the measured value and the threshold for each breached issue type', () => {
    const { monitor, scorer } = setup();
    for (let i = 0; i < 40; i++) {
      monitor.recordProviderCall({ provider: 'p', latencyMs: 1_200, success: i >= 12, timedOut: i < 4, rateLimited: i >= 4 && i < 8 });
      monitor.recordCacheMiss('L1', 'p');
    }
    expect(scorer.getHealthRecommendation('p', 'high_latency')).toMatch(/p95 latency 1200 ms .* 500 ms limit/);
    expect(scorer.getHealthRecommendation('p', 'high_error_rate')).toMatch(/error rate 30\.0 % .* 5\.0 % limit/);
    expect(scorer.getHealthRecommendation('p', 'timeouts')).toMatch(/10\.0 % of calls timed out .* \(limit 5\.0 %\)/);
    expect(scorer.getHealthRecommendation('p', 'rate_limited')).toMatch(/10\.0 % of calls were rate-limited .* \(limit 1\.0 %\)/);
    expect(scorer.getHealthRecommendation('p', 'low_cache_hit_rate')).toMatch(/cache hit rate 0\.0 % is below the 50\.0 % target/);
    expect(scorer.getHealthRecommendation('p', 'no_data')).toBe('p: 40 calls in the window, enough to judge (at least 10 needed).');
  });

  it('says a metric inside its limit needs no action', () => {
    const { monitor, scorer } = setup();
    for (let i = 0; i < 20; i++) monitor.recordProviderCall({ provider: 'p', latencyMs: 80, success: true });
    expect(scorer.getHealthRecommendation('p', 'high_latency')).toBe('p: p95 latency 80 ms is within the 500 ms limit; no action needed.');
  });

  it('gives the no-data advice for a provider without calls, for every issue type', () => {
    const { scorer } = setup();
    for (const type of ISSUE_TYPES) {
      expect(scorer.getHealthRecommendation('ghost', type)).toMatch(/ghost: only 0 call\(s\) .* fewer than the 10 needed/);
    }
  });
});
