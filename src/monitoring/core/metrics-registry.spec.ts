import { ManualClock } from './manual-clock';
import { MetricsRegistry } from './metrics-registry';
import { ProviderCall } from './provider-call';

const make = (maxProviders = 1_000) => {
  const clock = new ManualClock();
  return { clock, registry: new MetricsRegistry(clock, [{ name: '5m', windowMs: 300_000, buckets: 10 }], maxProviders) };
};

describe('MetricsRegistry', () => {
  it.each([
    ['negative latency', { provider: 'p', latencyMs: -5, success: true }],
    ['NaN latency', { provider: 'p', latencyMs: NaN, success: true }],
    ['Infinity latency', { provider: 'p', latencyMs: Infinity, success: true }],
    ['latency as a string', { provider: 'p', latencyMs: '120', success: true }],
    ['null latency', { provider: 'p', latencyMs: null, success: true }],
    ['missing latency', { provider: 'p', success: true }],
    ['missing success', { provider: 'p', latencyMs: 5 }],
    ['empty provider name', { provider: '', latencyMs: 5, success: true }],
    ['129-character provider name', { provider: 'x'.repeat(129), latencyMs: 5, success: true }],
    ['provider name not a string', { provider: 42, latencyMs: 5, success: true }],
    ['null call', null],
  ])('rejects and counts a poison sample: %s (C02)', (_name, call) => {
    const { registry, clock } = make();
    registry.record({ provider: 'p', latencyMs: 100, success: true });
    const before = registry.get('p')!.metrics(clock.now(), 0);
    expect(registry.record(call as unknown as ProviderCall)).toBe('invalid');
    expect(registry.sampleCounters()).toEqual({ invalidSamples: 1, rejectedSamples: 0 });
    expect(registry.get('p')!.metrics(clock.now(), 0)).toEqual(before);
    expect(registry.providerCount).toBe(1);
    expect(JSON.stringify(registry.summary(clock.now(), 0))).not.toMatch(/NaN|Infinity/);
  });

  it('keeps awkward provider names apart (C11)', () => {
    const { registry, clock } = make();
    const names = ['a"b', 'x/y', 'ä', '__proto__', 'constructor'];
    names.forEach((provider, i) => registry.record({ provider, latencyMs: (i + 1) * 10, success: true }));
    expect(registry.providerCount).toBe(5);
    names.forEach((provider, i) => expect(registry.get(provider)?.metrics(clock.now(), 0).window.maxLatencyMs).toBe((i + 1) * 10));
    expect(Object.prototype).not.toHaveProperty('calls');
    registry.recordCacheLookup('L1', true, '__proto__');
    expect(Object.keys(registry.cacheStats().byProvider)).toEqual(['__proto__']);
  });

  it('rejects new providers past the cap, counts them, and still records known ones', () => {
    const { registry } = make(2);
    expect(registry.record({ provider: 'a', latencyMs: 1, success: true })).toBe('recorded');
    expect(registry.record({ provider: 'b', latencyMs: 1, success: true })).toBe('recorded');
    for (let i = 0; i < 100; i++) expect(registry.record({ provider: `c${i}`, latencyMs: 1, success: true })).toBe('provider_limit');
    expect(registry.record({ provider: 'a', latencyMs: 1, success: true })).toBe('recorded');
    expect(registry.providerCount).toBe(2);
    expect(registry.sampleCounters()).toEqual({ invalidSamples: 0, rejectedSamples: 100 });
    expect(registry.hasRoomFor(['a', 'b'])).toBe(true);
    expect(registry.hasRoomFor(['a', 'new'])).toBe(false);
  });

  it('makes room for a new provider by dropping one idle past the longest window, and tells', () => {
    const limits: string[] = [];
    const clock = new ManualClock();
    const registry = new MetricsRegistry(clock, [{ name: '5m', windowMs: 300_000, buckets: 10 }], 2, (name) => limits.push(name));
    registry.record({ provider: 'old', latencyMs: 1, success: true });
    registry.record({ provider: 'busy', latencyMs: 1, success: true });
    expect(registry.record({ provider: 'new', latencyMs: 1, success: true })).toBe('provider_limit');
    expect(limits).toEqual(['new']);
    clock.advance(300_001);
    registry.record({ provider: 'busy', latencyMs: 1, success: true });
    expect(registry.record({ provider: 'new', latencyMs: 1, success: true })).toBe('recorded');
    expect([...registry.all()].map((s) => s.name).sort()).toEqual(['busy', 'new']);
  });

  it('keeps all-time totals while the window forgets (C04)', () => {
    const { registry, clock } = make();
    for (let i = 0; i < 100; i++) registry.record({ provider: 'p', latencyMs: 50, success: false, errorType: 'http_error' });
    clock.advance(301_000);
    for (let i = 0; i < 100; i++) registry.record({ provider: 'p', latencyMs: 50, success: true });
    const m = registry.get('p')!.metrics(clock.now(), 0);
    expect(m.window).toMatchObject({ calls: 100, failures: 0, errorRate: 0 });
    expect(m.totals).toMatchObject({ calls: 200, failures: 100, successes: 100, consecutiveFailures: 0, lastErrorType: 'http_error' });
  });

  it('counts a timed-out call as a failure and a timeout even if it claims success (C12)', () => {
    const { registry, clock } = make();
    registry.record({ provider: 'p', latencyMs: 2_000, success: true, timedOut: true });
    expect(registry.get('p')!.metrics(clock.now(), 0)).toMatchObject({
      totals: { failures: 1, timeouts: 1, successes: 0, consecutiveFailures: 1, lastErrorType: 'timeout' },
      window: { failures: 1, timeouts: 1, timeoutRate: 1, maxLatencyMs: 2_000 },
    });
  });

  it('redacts credentials from stored error messages', () => {
    const { registry, clock } = make();
    registry.record({ provider: 'p', latencyMs: 5, success: false, errorMessage: 'GET /quote?symbol=A&token=s3cr3t failed; Authorization: Bearer abc.def' });
    const message = registry.get('p')!.metrics(clock.now(), 0).totals.lastErrorMessage!;
    expect(message).not.toMatch(/s3cr3t|abc\.def/);
    expect(message).toContain('token=***');
  });

  it('reports cache hit rates overall, per level and per provider, null before any lookup', () => {
    const { registry } = make();
    expect(registry.cacheStats()).toEqual({ hits: 0, misses: 0, hitRate: null, byLevel: {}, byProvider: {} });
    registry.recordCacheLookup('L1', true, 'finnhub');
    registry.recordCacheLookup('L1', false);
    registry.recordCacheLookup('L2', true);
    registry.recordCacheLookup('L2', true);
    registry.record({ provider: 'finnhub', latencyMs: 3, success: true, cacheHit: false });
    const stats = registry.cacheStats();
    expect(stats).toMatchObject({ hits: 3, misses: 2, hitRate: 0.6 });
    expect(stats.byLevel).toEqual({ L1: { hits: 1, misses: 2, hitRate: 1 / 3 }, L2: { hits: 2, misses: 0, hitRate: 1 } });
    expect(stats.byProvider).toEqual({ finnhub: { hits: 1, misses: 1, hitRate: 0.5 } });
    expect(registry.recordCacheLookup('', true)).toBe('invalid');
  });

  it('sums totals and merges windows across providers', () => {
    const { registry, clock } = make();
    registry.record({ provider: 'a', latencyMs: 10, success: true });
    registry.record({ provider: 'b', latencyMs: 30, success: false, rateLimited: true });
    expect(registry.summary(clock.now(), 0)).toMatchObject({
      totals: { calls: 2, successes: 1, failures: 1, rateLimited: 1 },
      window: { windowMs: 300_000, calls: 2, errorRate: 0.5, p99LatencyMs: 30, minLatencyMs: 10 },
    });
  });

  it('forgets everything on reset', () => {
    const { registry, clock } = make();
    registry.record({ provider: 'a', latencyMs: 10, success: true });
    registry.record({ provider: '', latencyMs: 10, success: true });
    registry.recordCacheLookup('L1', true);
    registry.reset();
    expect(registry.providerCount).toBe(0);
    expect(registry.sampleCounters()).toEqual({ invalidSamples: 0, rejectedSamples: 0 });
    expect(registry.cacheStats().hitRate).toBeNull();
    expect(registry.summary(clock.now(), 0).window.calls).toBe(0);
  });
});
