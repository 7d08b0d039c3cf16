import { RollingWindow } from './rolling-window';

const T0 = Date.UTC(2026, 0, 1);
const record = (w: RollingWindow, at: number, latency: number, failed = false, timedOut = false, rateLimited = false) =>
  w.record(at, latency, failed, timedOut, rateLimited);

describe('RollingWindow', () => {
  // 60 s in 6 buckets of 10 s.
  const make = () => new RollingWindow(60_000, 6);

  it('accepts 0 ms as a value (C01)', () => {
    const w = make();
    record(w, T0, 0);
    expect(w.snapshot(T0)).toMatchObject({ calls: 1, minLatencyMs: 0, avgLatencyMs: 0, p50LatencyMs: 0, maxLatencyMs: 0 });
  });

  it('gives every percentile of a single sample as that sample, and null with none (C05)', () => {
    const w = make();
    expect(w.snapshot(T0)).toMatchObject({ calls: 0, p50LatencyMs: null, p95LatencyMs: null, p99LatencyMs: null, errorRate: null, avgLatencyMs: null });
    record(w, T0, 250);
    expect(w.snapshot(T0)).toMatchObject({ p50LatencyMs: 250, p95LatencyMs: 250, p99LatencyMs: 250, minLatencyMs: 250, maxLatencyMs: 250 });
  });

  it('keeps a call until its bucket leaves the window, and drops it then', () => {
    const w = make();
    record(w, T0 + 1_000, 100, true); // bucket [0 s, 10 s)
    record(w, T0 + 15_000, 300); // bucket [10 s, 20 s)
    // At 59.999 s the first bucket is still one of the last six.
    expect(w.snapshot(T0 + 59_999)).toMatchObject({ calls: 2, failures: 1, errorRate: 0.5 });
    // At 60 s a seventh bucket begins and the first one leaves.
    expect(w.snapshot(T0 + 60_000)).toMatchObject({ calls: 1, failures: 0, errorRate: 0, minLatencyMs: 300, maxLatencyMs: 300 });
    expect(w.snapshot(T0 + 70_000)).toMatchObject({ calls: 0, errorRate: null, p95LatencyMs: null });
  });

  it('forgets everything after an idle period longer than the window', () => {
    const w = make();
    for (let i = 0; i < 50; i++) record(w, T0 + i * 100, 2_000 + i, true, true, true);
    const later = T0 + 10 * 60 * 60_000;
    expect(w.snapshot(later)).toMatchObject({ calls: 0, failures: 0, timeouts: 0, rateLimited: 0, p99LatencyMs: null, maxLatencyMs: null, callsPerMinute: 0 });
    record(w, later, 5);
    expect(w.snapshot(later)).toMatchObject({ calls: 1, p99LatencyMs: 5, maxLatencyMs: 5, avgLatencyMs: 5 });
  });

  it('keeps counting into the newest bucket when the clock stands still or steps back', () => {
    const w = make();
    record(w, T0 + 30_000, 10);
    record(w, T0 + 30_000, 20);
    record(w, T0 + 5_000, 30); // the wall clock stepped back 25 s
    expect(w.snapshot(T0 + 30_000)).toMatchObject({ calls: 3, minLatencyMs: 10, maxLatencyMs: 30 });
    // All three live in the bucket of 30 s and leave together.
    expect(w.snapshot(T0 + 89_999)).toMatchObject({ calls: 3 });
    expect(w.snapshot(T0 + 90_000)).toMatchObject({ calls: 0 });
  });

  it('shows recovery: old failures leave, new successes remain (C04)', () => {
    const w = make();
    for (let i = 0; i < 100; i++) record(w, T0 + i, 50, true);
    const after = T0 + 61_000;
    for (let i = 0; i < 100; i++) record(w, after + i, 50);
    expect(w.snapshot(after + 100)).toMatchObject({ calls: 100, failures: 0, errorRate: 0 });
  });

  it('subtracts expired buckets from the running percentiles', () => {
    const w = make();
    for (let i = 0; i < 100; i++) record(w, T0, 1_000); // slow, then gone
    for (let i = 0; i < 100; i++) record(w, T0 + 30_000, 10);
    expect(w.snapshot(T0 + 30_000).p95LatencyMs).toBe(1_000);
    expect(w.snapshot(T0 + 60_000)).toMatchObject({ p95LatencyMs: 10, p99LatencyMs: 10, maxLatencyMs: 10, avgLatencyMs: 10 });
  });

  it('computes calls per minute over the part of the window that has seen calls', () => {
    const w = make();
    for (let i = 0; i < 30; i++) record(w, T0 + i * 1_000, 10); // one a second for 30 s
    expect(w.snapshot(T0 + 30_000).callsPerMinute).toBeCloseTo(60, 0);
    // The first call does not read as 60,000 a minute.
    const fresh = make();
    record(fresh, T0, 10);
    expect(fresh.snapshot(T0).callsPerMinute).toBe(60);
  });

  it('combines several windows into one snapshot', () => {
    const a = make();
    const b = make();
    record(a, T0, 10);
    record(b, T0, 30, true);
    expect(RollingWindow.combine([a, b], T0)).toMatchObject({ calls: 2, failures: 1, errorRate: 0.5, minLatencyMs: 10, maxLatencyMs: 30, p99LatencyMs: 30 });
    // Combining must not change either window.
    expect(a.snapshot(T0)).toMatchObject({ calls: 1, p99LatencyMs: 10 });
  });

  it('rejects a shape it cannot slide', () => {
    expect(() => new RollingWindow(60_000, 0)).toThrow(/bucketCount/);
    expect(() => new RollingWindow(3, 6)).toThrow(/windowMs/);
  });
});
