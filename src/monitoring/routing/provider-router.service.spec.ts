import { EventEmitter2 } from '@nestjs/event-emitter';
import { ManualClock } from '../core/manual-clock';
import { MonitoringModuleOptions, resolveMonitoringOptions } from '../core/monitoring-options';
import { ProviderCallError } from '../core/provider-call';
import { CostService } from '../cost/cost.service';
import { HealthScorer } from '../health-scorer.service';
import { MonitoringEvents } from '../monitoring.constants';
import { MonitoringSettings } from '../monitoring-settings.service';
import { PerformanceMonitor } from '../performance-monitor.service';
import { CircuitChangedEvent, FailoverEvent, ProviderRouter, RoutingFailedError } from './provider-router.service';

function setup(options: MonitoringModuleOptions = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 10, 12));
  const resolved = resolveMonitoringOptions({ clock, ...options, routing: { signalRefreshMs: 0, ...options.routing } });
  const monitor = new PerformanceMonitor(resolved);
  const scorer = new HealthScorer(monitor, new MonitoringSettings(resolved), resolved);
  const events = new EventEmitter2();
  const emitted: { name: string; payload: unknown }[] = [];
  events.onAny((name, payload) => emitted.push({ name: String(name), payload }));
  const router = new ProviderRouter(monitor, scorer, new CostService(monitor, resolved), events, resolved);
  const feed = (provider: string, n: number, latencyMs: number, success = true) => {
    for (let i = 0; i < n; i++) monitor.recordProviderCall({ provider, latencyMs, success });
  };
  return { clock, monitor, scorer, router, emitted, feed };
}

const answer = (value: string) => async () => value;
const failWith = (type: ProviderCallError['type']) => async () => {
  throw new ProviderCallError(`failed with ${type}`, type);
};

describe('ProviderRouter strategies, on measured numbers', () => {
  it('fastest puts the provider with the lower window p95 first', () => {
    const { router, feed } = setup();
    router.register('q', ['slow', 'quick'], 'fastest');
    feed('slow', 20, 400);
    feed('quick', 20, 40);
    expect(router.plan('q').ranked).toEqual(['quick', 'slow']);
  });

  it('healthiest puts the provider with the better score first', () => {
    const { router, feed } = setup();
    router.register('q', ['flaky', 'solid'], 'healthiest');
    feed('flaky', 18, 50);
    feed('flaky', 2, 50, false);
    feed('solid', 20, 50);
    expect(router.plan('q').ranked).toEqual(['solid', 'flaky']);
  });

  it('cheapest prefers free calls while they last, then the lower price', () => {
    const { router, feed } = setup({ pricing: { freebie: { pricePerCall: '0.01', freeCallsPerDay: 3 }, cheap: { pricePerCall: '0.002' } } });
    router.register('q', ['cheap', 'freebie'], 'cheapest');
    expect(router.plan('q').ranked).toEqual(['freebie', 'cheap']);
    feed('freebie', 3, 10);
    expect(router.plan('q').ranked).toEqual(['cheap', 'freebie']);
  });
});

describe('ProviderRouter quotas', () => {
  it('skips a provider at its per-minute rate limit until the minute has passed', () => {
    const { router, feed, clock } = setup({ pricing: { limited: { rateLimitPerMinute: 5 } } });
    router.register('q', ['limited', 'spare']);
    feed('limited', 5, 10);
    expect(router.plan('q')).toMatchObject({ attempts: ['spare'], skipped: [{ provider: 'limited', reason: 'rate_limit_per_minute' }] });
    clock.advance(70_000);
    expect(router.plan('q').attempts).toEqual(['limited', 'spare']);
  });

  it('skips a free plan whose free calls are spent, but not a paid one', () => {
    const { router, feed } = setup({ pricing: { free: { freeCallsPerMonth: 2 }, paid: { pricePerCall: '0.1', freeCallsPerMonth: 2 } } });
    router.register('q', ['free', 'paid']);
    feed('free', 2, 10);
    feed('paid', 2, 10);
    expect(router.plan('q')).toMatchObject({ attempts: ['paid'], skipped: [{ provider: 'free', reason: 'free_quota_spent' }] });
  });
});

describe('ProviderRouter.execute', () => {
  it('moves on after a failure, counts and emits the failover, and opens the circuit at the threshold', async () => {
    const { router, emitted } = setup({ routing: { circuit: { failureThreshold: 2 } } });
    router.register('q', ['a', 'b']);
    const call = (provider: string) => (provider === 'a' ? failWith('http_error')() : answer('from b')());
    await expect(router.execute('q', call)).resolves.toMatchObject({ value: 'from b', provider: 'b', degraded: false, attempts: [{ provider: 'a', ok: false, errorType: 'http_error' }, { provider: 'b', ok: true }] });
    await router.execute('q', call);
    const skipped = await router.execute('q', call);
    expect(skipped.attempts).toEqual([{ provider: 'b', ok: true, kind: 'normal' }]);

    const failovers = emitted.filter((e) => e.name === MonitoringEvents.failover).map((e) => e.payload as FailoverEvent);
    expect(failovers.map((f) => [f.from, f.to, f.kind, f.reason])).toEqual([
      ['a', 'b', 'failure', 'http_error'],
      ['a', 'b', 'failure', 'http_error'],
      ['a', 'b', 'skip', 'circuit_open'],
    ]);
    const circuit = emitted.find((e) => e.name === MonitoringEvents.circuitChanged)?.payload as CircuitChangedEvent;
    expect(circuit).toMatchObject({ provider: 'a', previous: 'CLOSED', current: 'OPEN', reason: '2 calls in a row failed (last: http_error)' });
    expect(router.view(300_000).capabilities[0].requests).toEqual({ served: 3, degraded: 0, failed: 0, noData: 0 });
  });

  it('records the moves of a degraded request in the order it tried the providers', async () => {
    const { router } = setup({ routing: { circuit: { failureThreshold: 1 } }, pricing: { b: { rateLimitPerMinute: 1 } } });
    router.register('q', ['a', 'b']);
    // a fails and opens; b answers and reaches its rate limit.
    await router.execute('q', (p) => (p === 'a' ? failWith('http_error')() : answer('b')()));
    // Now every candidate is bad: b (a spent quota) is tried before a (an open circuit).
    const degraded = await router.execute('q', (p) => (p === 'a' ? answer('a')() : failWith('rate_limited')()));
    expect(degraded).toMatchObject({ provider: 'a', degraded: true, attempts: [{ provider: 'b', ok: false }, { provider: 'a', ok: true, kind: 'forced' }] });
    expect(router.failoverCounts(null)).toEqual([
      { capability: 'q', from: 'a', to: 'b', afterFailure: 1, afterSkip: 0, total: 1 },
      { capability: 'q', from: 'b', to: 'a', afterFailure: 1, afterSkip: 0, total: 1 },
    ]);
  });

  it('moves on after "no data" without holding it against the provider', async () => {
    const { router, emitted } = setup({ routing: { circuit: { failureThreshold: 1 } } });
    router.register('q', ['a', 'b']);
    const call = (provider: string) => (provider === 'a' ? failWith('no_data')() : answer('b knows it')());
    await expect(router.execute('q', call)).resolves.toMatchObject({ provider: 'b' });
    expect(router.plan('q').attempts).toEqual(['a', 'b']);
    await expect(router.execute('q', failWith('no_data'))).rejects.toBeInstanceOf(RoutingFailedError);
    expect(router.view(60_000).capabilities[0].requests).toEqual({ served: 1, degraded: 0, failed: 0, noData: 1 });
    expect(emitted.filter((e) => e.name === MonitoringEvents.failover)).toEqual([]);
  });

  it('rejects with every attempt when none answers, and records the calls in the monitor', async () => {
    const { router, monitor } = setup();
    router.register('q', ['a', 'b']);
    const failure = router.execute('q', failWith('timeout'));
    await expect(failure).rejects.toBeInstanceOf(RoutingFailedError);
    await expect(failure).rejects.toMatchObject({
      capability: 'q',
      degraded: false,
      attempts: [
        { provider: 'a', ok: false, errorType: 'timeout' },
        { provider: 'b', ok: false, errorType: 'timeout' },
      ],
    });
    expect(monitor.getProviderMetrics('a')?.totals).toMatchObject({ calls: 1, failures: 1 });
    expect(router.view(60_000).capabilities[0].requests.failed).toBe(1);
  });

  it('opens the circuit of a provider a health check finds UNHEALTHY', () => {
    const { router, scorer, feed } = setup();
    router.register('q', ['a', 'b']);
    feed('a', 10, 50, false);
    router.onHealthEvaluated(scorer.calculateHealthStatus());
    expect(router.plan('q')).toMatchObject({ attempts: ['b'], skipped: [{ provider: 'a', reason: 'circuit_open' }] });
    expect(router.view(60_000).circuits[0]).toMatchObject({ provider: 'a', state: 'OPEN', lastOpenReason: 'health check: UNHEALTHY (high_error_rate)' });
  });

  it('refuses an unknown capability and a bad candidate list, naming the problem', () => {
    const { router } = setup();
    expect(() => router.plan('nope')).toThrow('Unknown routing capability "nope" (known: none)');
    expect(() => router.register('q', [])).toThrow('Invalid routing capability: capabilities.q.providers must be a list of 1 to 20 distinct provider names');
    expect(() => router.register('q', ['a', 'a'])).toThrow('distinct provider names');
    expect(() => router.register('q', ['a'], 'random' as never)).toThrow('capabilities.q.strategy must be one of priority, fastest, cheapest, healthiest');
  });
});
