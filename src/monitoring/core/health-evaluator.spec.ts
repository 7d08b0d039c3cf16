import { ProviderHealth, evaluateProvider, evaluateSystem, systemStatus } from './health-evaluator';
import { ManualClock } from './manual-clock';
import { MetricsRegistry } from './metrics-registry';
import { MONITORING_DEFAULTS } from './monitoring-options';

const WINDOW = 300_000;
const thresholds = MONITORING_DEFAULTS.thresholds;

function setup() {
  const clock = new ManualClock();
  const registry = new MetricsRegistry(clock, [{ name: '5m', windowMs: WINDOW, buckets: 10 }], 1_000);
  const feed = (provider: string, n: number, latencyMs: number, fail: (i: number) => boolean = () => false, timedOut = false) => {
    for (let i = 0; i < n; i++) registry.record({ provider, latencyMs, success: !fail(i), timedOut: timedOut && fail(i) });
  };
  const judge = (provider: string) => evaluateProvider(registry.get(provider)!.metrics(clock.now(), 0), thresholds, clock.now(), WINDOW);
  return { clock, registry, feed, judge };
}

describe('evaluateProvider', () => {
  it('is HEALTHY under every healthy limit', () => {
    const { feed, judge } = setup();
    feed('p', 100, 100, (i) => i < 4); // 4 % errors, p95 100 ms
    const h = judge('p');
    expect(h).toMatchObject({ status: 'HEALTHY', issues: [] });
    expect(h.score).toBeGreaterThan(80);
  });

  it('is DEGRADED between the limits, with an issue that quotes value and limit', () => {
    const { feed, judge } = setup();
    feed('p', 100, 800); // p95 800 ms: above 500, under 2,000
    const h = judge('p');
    expect(h.status).toBe('DEGRADED');
    expect(h.issues).toEqual([expect.objectContaining({ type: 'high_latency', severity: 'warning', value: 800, limit: 500 })]);
    expect(h.issues[0].recommendation).toMatch(/p95 latency 800 ms .* 500 ms limit/);
  });

  it.each([
    ['error rate at 25 %', (f: ReturnType<typeof setup>['feed']) => f('p', 100, 50, (i) => i < 25)],
    ['p95 at 2,000 ms', (f: ReturnType<typeof setup>['feed']) => f('p', 100, 2_000)],
    ['timeout rate at 20 %', (f: ReturnType<typeof setup>['feed']) => f('p', 100, 50, (i) => i % 5 === 0, true)],
  ])('is UNHEALTHY with %s', (_name, load) => {
    const s = setup();
    load(s.feed);
    s.feed('p', 0, 0);
    expect(s.judge('p').status).toBe('UNHEALTHY');
  });

  it('is UNKNOWN with too few calls to judge, even if the one call failed (C03)', () => {
    const { feed, judge } = setup();
    feed('p', 1, 40, () => true);
    const h = judge('p');
    expect(h.status).toBe('UNKNOWN');
    expect(h.issues).toEqual([expect.objectContaining({ type: 'no_data', value: 1, limit: 10 })]);
  });

  it('is UNHEALTHY after 5 consecutive failures however few the calls, until they leave the window', () => {
    const { feed, judge, clock } = setup();
    feed('p', 5, 40, () => true);
    const h = judge('p');
    expect(h.status).toBe('UNHEALTHY');
    expect(h.issues).toEqual([expect.objectContaining({ type: 'high_error_rate', severity: 'critical', value: 5, limit: 5 })]);
    expect(h.issues[0].recommendation).toMatch(/5 calls in a row failed \(limit 5\)/);
    clock.advance(WINDOW + 1);
    expect(judge('p').status).toBe('UNKNOWN');
  });

  it('shows recovery once old failures leave the window (C04)', () => {
    const { feed, judge, clock, registry } = setup();
    feed('p', 100, 40, () => true);
    expect(judge('p').status).toBe('UNHEALTHY');
    clock.advance(WINDOW + 1);
    feed('p', 100, 40);
    expect(judge('p')).toMatchObject({ status: 'HEALTHY', errorRate: 0 });
    expect(registry.get('p')!.metrics(clock.now(), 0).totals.failures).toBe(100);
  });

  it('ranks a fast reliable provider above a slow flaky one', () => {
    const { feed, judge } = setup();
    feed('fast', 100, 40);
    feed('slow', 100, 900, (i) => i % 10 === 0);
    const fast = judge('fast');
    const slow = judge('slow');
    expect(fast.score!).toBeGreaterThan(slow.score!);
    expect(slow.factors!.latency).toBeLessThan(fast.factors!.latency);
    expect(slow.factors!.reliability).toBeLessThan(fast.factors!.reliability);
    for (const value of Object.values(slow.factors!)) expect(value).toBeGreaterThanOrEqual(0);
  });

  it('scores a provider that always fails fast below a slow one that mostly works', () => {
    const { feed, judge } = setup();
    feed('fails-fast', 50, 5, () => true);
    feed('slow-flaky', 50, 900, (i) => i % 6 === 0);
    expect(judge('fails-fast').score).toBe(0);
    expect(judge('slow-flaky').score!).toBeGreaterThan(20);
  });

  it('flags rate limiting and a poor cache hit rate', () => {
    const { registry, judge } = setup();
    for (let i = 0; i < 20; i++) registry.record({ provider: 'p', latencyMs: 20, success: i >= 2, rateLimited: i < 2 });
    for (let i = 0; i < 30; i++) registry.recordCacheLookup('L1', i < 3, 'p');
    const types = judge('p').issues.map((i) => i.type);
    expect(types).toEqual(expect.arrayContaining(['rate_limited', 'low_cache_hit_rate']));
  });
});

describe('system status', () => {
  const p = (provider: string, status: ProviderHealth['status']) => ({ provider, status }) as ProviderHealth;

  it('ignores UNKNOWN providers and is UNKNOWN when nothing can be judged yet (C03, C06)', () => {
    expect(systemStatus([])).toBe('UNKNOWN');
    expect(systemStatus([p('new', 'UNKNOWN')])).toBe('UNKNOWN');
    expect(systemStatus([p('a', 'HEALTHY'), p('new', 'UNKNOWN')])).toBe('HEALTHY');
  });

  it('is never HEALTHY while a provider is UNHEALTHY, and UNHEALTHY when none works (C07)', () => {
    expect(systemStatus([p('a', 'HEALTHY'), p('b', 'HEALTHY'), p('c', 'UNHEALTHY')])).toBe('DEGRADED');
    expect(systemStatus([p('a', 'HEALTHY'), p('b', 'UNHEALTHY'), p('c', 'UNHEALTHY')])).toBe('UNHEALTHY');
    expect(systemStatus([p('a', 'UNHEALTHY'), p('b', 'UNHEALTHY'), p('c', 'UNKNOWN')])).toBe('UNHEALTHY');
    expect(systemStatus([p('a', 'HEALTHY'), p('b', 'UNHEALTHY')])).toBe('DEGRADED');
    expect(systemStatus([p('a', 'DEGRADED'), p('b', 'HEALTHY')])).toBe('DEGRADED');
  });

  it('names the failing provider in the system report (C07)', () => {
    const { feed, registry, clock } = setup();
    feed('good', 20, 30);
    feed('bad', 20, 30, () => true);
    feed('fine', 20, 30);
    const health = evaluateSystem(Array.from(registry.all(), (s) => s.metrics(clock.now(), 0)), thresholds, clock.now(), WINDOW);
    expect(health).toMatchObject({ status: 'DEGRADED', unhealthyProviders: ['bad'], counts: { HEALTHY: 2, UNHEALTHY: 1 } });
  });

  it('keeps judging the other providers when one evaluation throws (C09)', () => {
    const { feed, registry, clock } = setup();
    feed('a', 20, 30);
    feed('broken', 20, 30);
    feed('c', 20, 30, () => true);
    const throwing: typeof evaluateProvider = (m, ...rest) => {
      if (m.provider === 'broken') throw new Error('scoring exploded');
      return evaluateProvider(m, ...rest);
    };
    const health = evaluateSystem(Array.from(registry.all(), (s) => s.metrics(clock.now(), 0)), thresholds, clock.now(), WINDOW, throwing);
    expect(health.errors).toEqual([{ provider: 'broken', message: 'scoring exploded' }]);
    expect(health.providers.map((x) => [x.provider, x.status])).toEqual([
      ['a', 'HEALTHY'],
      ['broken', 'UNKNOWN'],
      ['c', 'UNHEALTHY'],
    ]);
  });
});
