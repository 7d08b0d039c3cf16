import { Inject, Injectable } from '@nestjs/common';
import { BillingPeriod, MonthCounters } from '../core/cost/billing-period';
import { CostReport, ProviderCost, QuotaBlock, QuotaState, costReport, providerCost, quotaBlock, quotaState } from '../core/cost/cost-calculator';
import { PricingPlan } from '../core/cost/pricing';
import { MonitoringOptions } from '../core/monitoring-options';
import { MONITORING_OPTIONS } from '../monitoring.constants';
import { PerformanceMonitor } from '../performance-monitor.service';

/**
 * What each provider costs, from its price list (MonitoringOptions.pricing) and the calls and
 * cache hits the monitor counted per UTC day. Nothing is counted twice: the monitor's record
 * path keeps the counts, this service only prices them.
 */
@Injectable()
export class CostService {
  constructor(
    private readonly monitor: PerformanceMonitor,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
  ) {}

  plan(provider: string): PricingPlan | null {
    return this.options.pricing.get(provider) ?? null;
  }

  /** One provider's cost in the period; undefined when it has neither a price list nor a recorded call. */
  providerCost(provider: string, period: BillingPeriod): ProviderCost | undefined {
    const plan = this.plan(provider);
    const now = this.options.clock.now();
    const usage = this.monitor.monthUsage(provider) ?? (plan ? new MonthCounters().usage(now) : undefined);
    if (!usage) return undefined;
    return providerCost(period, {
      provider,
      plan,
      usage,
      callsLastMinute: this.monitor.windowCalls(provider, '1m'),
      // The last hour's calls over the whole hour: a burst just after start-up is not a rate for the month.
      callsPerMinute: this.monitor.windowCalls(provider, '1h') / 60,
      nowMs: now,
    });
  }

  /** Every provider the monitor knows or that has a price list, priced ones first. */
  report(period: BillingPeriod): CostReport {
    const names = new Set<string>(this.options.pricing.keys());
    for (const stats of this.monitor.providerStats()) names.add(stats.name);
    const providers = [...names].flatMap((name) => this.providerCost(name, period) ?? []);
    providers.sort((a, b) => Number(b.priced) - Number(a.priced) || b.costMicros - a.costMicros || a.provider.localeCompare(b.provider));
    return costReport(period, this.options.clock.now(), providers);
  }

  /**
   * Why the provider should not be called now (a rate limit reached, or the free calls of a
   * free plan spent), or null. Cheap enough for every request: no percentiles are computed.
   */
  blockOf(provider: string): QuotaBlock | null {
    const plan = this.plan(provider);
    return plan ? quotaBlock(plan, this.quota(provider, plan)) : null;
  }

  /** What the next call costs in micro-units: 0 while free calls remain, null without a price list. */
  nextCallMicros(provider: string): number | null {
    const plan = this.plan(provider);
    if (!plan) return null;
    const free = this.quota(provider, plan).freeCalls;
    return free !== null && free.remaining > 0 ? 0 : plan.pricePerCallMicros;
  }

  private quota(provider: string, plan: PricingPlan): QuotaState {
    const usage = this.monitor.monthUsage(provider) ?? new MonthCounters().usage(this.options.clock.now());
    const callsLastMinute = plan.rateLimitPerMinute === null ? 0 : this.monitor.windowCalls(provider, '1m');
    return quotaState({ plan, usage, callsLastMinute });
  }
}
