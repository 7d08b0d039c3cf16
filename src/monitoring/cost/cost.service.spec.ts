import { ManualClock } from '../core/manual-clock';
import { resolveMonitoringOptions } from '../core/monitoring-options';
import { PerformanceMonitor } from '../performance-monitor.service';
import { CostService } from './cost.service';

describe('CostService', () => {
  function setup() {
    // 12:00 UTC: 720 minutes left in the day.
    const clock = new ManualClock(Date.UTC(2026, 0, 10, 12));
    const options = resolveMonitoringOptions({ clock, pricing: { p: { pricePerCall: '0.01' } } });
    const monitor = new PerformanceMonitor(options);
    return { clock, monitor, costs: new CostService(monitor, options) };
  }

  it('projects at the last hour’s rate, so a burst just after start-up is not taken for the whole day’s rate', () => {
    const { monitor, costs, clock } = setup();
    for (let i = 0; i < 10; i++) monitor.recordProviderCall({ provider: 'p', latencyMs: 5, success: true });
    clock.advance(10_000);
    // 10 calls in the last hour: 10/60 a minute for the 720 minutes left (less the 10 s gone).
    const cost = costs.providerCost('p', 'day')!;
    expect(cost.calls).toBe(10);
    expect(cost.projectedCalls).toBe(10 + Math.round((10 / 60) * (720 - 10 / 60)));
    expect(cost.projectedCost).toBe('1.30');
  });

  it('lists a priced provider with no call yet, at zero', () => {
    const { costs } = setup();
    expect(costs.report('month').providers).toEqual([expect.objectContaining({ provider: 'p', calls: 0, cost: '0.00', projectedCost: '0.00' })]);
  });
});
