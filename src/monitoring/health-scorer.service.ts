import { Inject, Injectable } from '@nestjs/common';
import { HealthStatus, ProviderHealth, SystemHealth, evaluateProvider, evaluateSystem } from './core/health-evaluator';
import { MonitoringOptions } from './core/monitoring-options';
import { IssueFacts, IssueType, recommendation, withinLimit } from './core/monitoring.messages';
import { MONITORING_OPTIONS } from './monitoring.constants';
import { MonitoringSettings } from './monitoring-settings.service';
import { PerformanceMonitor } from './performance-monitor.service';

/** Turns the monitor's numbers into statuses, scores and advice. */
@Injectable()
export class HealthScorer {
  constructor(
    private readonly monitor: PerformanceMonitor,
    private readonly settings: MonitoringSettings,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
  ) {}

  /** Judged again only when a write or a second has passed since the last call. */
  calculateHealthStatus(): SystemHealth {
    return this.monitor.memoize(`health:${this.settings.version}`, () => {
      const { windowMs, clock } = this.options;
      return evaluateSystem(this.monitor.getAllProviderMetrics(), this.settings.thresholds, clock.now(), windowMs);
    });
  }

  /** One provider's health, or undefined when it has never been recorded. */
  getProviderHealth(provider: string): ProviderHealth | undefined {
    const metrics = this.monitor.getProviderMetrics(provider);
    if (!metrics) return undefined;
    const { windowMs, clock } = this.options;
    return evaluateProvider(metrics, this.settings.thresholds, clock.now(), windowMs);
  }

  getProviderStatus(provider: string): HealthStatus {
    return this.getProviderHealth(provider)?.status ?? 'UNKNOWN';
  }

  /**
   * Advice for one provider and one kind of problem, quoting the measured value and the
   * threshold. When the value is inside its limit it says so.
   */
  getHealthRecommendation(provider: string, issueType: IssueType): string {
    const m = this.monitor.getProviderMetrics(provider);
    const t = this.settings.thresholds;
    const { windowMs } = this.options;
    const w = m?.window;
    const measured: Record<IssueType, [number | null, number]> = {
      high_latency: [w?.p95LatencyMs ?? null, t.healthy.p95LatencyMs],
      high_error_rate: [w?.errorRate ?? null, t.healthy.errorRate],
      timeouts: [w?.timeoutRate ?? null, t.healthy.timeoutRate],
      rate_limited: [w?.rateLimitedRate ?? null, t.rateLimitedRate],
      low_cache_hit_rate: [m?.cache.hitRate ?? null, t.minCacheHitRate],
      no_data: [w?.calls ?? 0, t.minCalls],
    };
    const [value, limit] = measured[issueType];
    const facts: IssueFacts = { provider, value, limit, windowMs, calls: w?.calls ?? 0 };
    if (issueType === 'no_data') return (w?.calls ?? 0) < t.minCalls ? recommendation(issueType, facts) : withinLimit(issueType, facts);
    if (value === null) return recommendation('no_data', { ...facts, value: w?.calls ?? 0, limit: t.minCalls });
    const breached = issueType === 'low_cache_hit_rate' ? value < limit : value >= limit;
    return breached ? recommendation(issueType, facts) : withinLimit(issueType, facts);
  }
}
