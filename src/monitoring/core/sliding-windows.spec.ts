import { binIndex } from './log-histogram';
import { BURN_RATE_WINDOWS, STANDARD_WINDOWS, SlidingWindows, windowLayout } from './sliding-windows';

const T0 = Date.UTC(2026, 0, 1);
const record = (w: SlidingWindows, at: number, latency: number, failed = false, timedOut = false, rateLimited = false) =>
  w.record(at, latency, binIndex(latency), failed, timedOut, rateLimited);

describe('SlidingWindows: one window', () => {
  // 60 s in 6 buckets of 10 s.
  const make = () => new SlidingWindows([{ name: '1m', windowMs: 60_000, buckets: 6 }]);
  const snap = (w: SlidingWindows, at: number) => w.snapshot(0, at);

  it('accepts 0 ms as a value (C01)', () => {
    const w = make();
    record(w, T0, 0);
    expect(snap(w, T0)).toMatchObject({ calls: 1, minLatencyMs: 0, avgLatencyMs: 0, p50LatencyMs: 0, maxLatencyMs: 0 });
  });

  it('gives every percentile of a single sample as that sample, and null with none (C05)', () => {
    const w = make();
    expect(snap(w, T0)).toMatchObject({ calls: 0, p50LatencyMs: null, p95LatencyMs: null, p99LatencyMs: null, errorRate: null, avgLatencyMs: null });
    record(w, T0, 250);
    expect(snap(w, T0)).toMatchObject({ p50LatencyMs: 250, p95LatencyMs: 250, p99LatencyMs: 250, minLatencyMs: 250, maxLatencyMs: 250 });
  });

  it('applies the nearest-rank rule on few samples (C05)', () => {
    const w = make();
    for (const v of [10, 20, 30, 40, 1000]) record(w, T0, v);
    const s = snap(w, T0);
    expect(s.p95LatencyMs).toBe(1000);
    expect(s.p99LatencyMs).toBe(1000);
    expect(Math.abs(s.p50LatencyMs! - 30) / 30).toBeLessThanOrEqual(0.01);
  });

  it('keeps a call until its bucket leaves the window, and drops it then', () => {
    const w = make();
    record(w, T0 + 1_000, 100, true); // bucket [0 s, 10 s)
    record(w, T0 + 15_000, 300); // bucket [10 s, 20 s)
    // At 59.999 s the first bucket is still one of the last six.
    expect(snap(w, T0 + 59_999)).toMatchObject({ calls: 2, failures: 1, errorRate: 0.5 });
    // At 60 s a seventh bucket begins and the first one leaves.
    expect(snap(w, T0 + 60_000)).toMatchObject({ calls: 1, failures: 0, errorRate: 0, minLatencyMs: 300, maxLatencyMs: 300 });
    expect(snap(w, T0 + 70_000)).toMatchObject({ calls: 0, errorRate: null, p95LatencyMs: null });
  });

  it('drops a bucket at the same edge whether or not it was read in between', () => {
    const read = make();
    const unread = make();
    for (const w of [read, unread]) {
      record(w, T0 + 9_999, 5);
      record(w, T0 + 10_000, 7);
    }
    for (let t = T0; t < T0 + 60_000; t += 2_500) snap(read, t);
    expect(snap(read, T0 + 60_000)).toEqual(snap(unread, T0 + 60_000));
    expect(snap(unread, T0 + 60_000)).toMatchObject({ calls: 1, maxLatencyMs: 7 });
  });

  it('forgets everything after an idle period longer than the window', () => {
    const w = make();
    for (let i = 0; i < 50; i++) record(w, T0 + i * 100, 2_000 + i, true, true, true);
    const later = T0 + 10 * 60 * 60_000;
    expect(snap(w, later)).toMatchObject({ calls: 0, failures: 0, timeouts: 0, rateLimited: 0, p99LatencyMs: null, maxLatencyMs: null, callsPerMinute: 0 });
    record(w, later, 5);
    expect(snap(w, later)).toMatchObject({ calls: 1, p99LatencyMs: 5, maxLatencyMs: 5, avgLatencyMs: 5 });
  });

  it('keeps counting into the newest bucket when the clock stands still or steps back', () => {
    const w = make();
    record(w, T0 + 30_000, 10);
    record(w, T0 + 30_000, 20);
    record(w, T0 + 5_000, 30); // the wall clock stepped back 25 s
    expect(snap(w, T0 + 30_000)).toMatchObject({ calls: 3, minLatencyMs: 10, maxLatencyMs: 30 });
    // All three live in the bucket of 30 s and leave together.
    expect(snap(w, T0 + 89_999)).toMatchObject({ calls: 3 });
    expect(snap(w, T0 + 90_000)).toMatchObject({ calls: 0 });
  });

  it('shows recovery: old failures leave, new successes remain (C04)', () => {
    const w = make();
    for (let i = 0; i < 100; i++) record(w, T0 + i, 50, true);
    const after = T0 + 61_000;
    for (let i = 0; i < 100; i++) record(w, after + i, 50);
    expect(snap(w, after + 100)).toMatchObject({ calls: 100, failures: 0, errorRate: 0 });
  });

  it('subtracts expired buckets from the running percentiles', () => {
    const w = make();
    for (let i = 0; i < 100; i++) record(w, T0, 1_000); // slow, then gone
    for (let i = 0; i < 100; i++) record(w, T0 + 30_000, 10);
    expect(Math.abs(snap(w, T0 + 30_000).p95LatencyMs! - 1_000) / 1_000).toBeLessThanOrEqual(0.01);
    expect(snap(w, T0 + 60_000)).toMatchObject({ p95LatencyMs: 10, p99LatencyMs: 10, maxLatencyMs: 10, avgLatencyMs: 10 });
  });

  it('computes calls per minute over the part of the window that has seen calls', () => {
    const w = make();
    for (let i = 0; i < 30; i++) record(w, T0 + i * 1_000, 10); // one a second for 30 s
    expect(snap(w, T0 + 30_000).callsPerMinute).toBeCloseTo(60, 0);
    // The first call does not read as 60,000 a minute.
    const fresh = make();
    record(fresh, T0, 10);
    expect(snap(fresh, T0).callsPerMinute).toBe(60);
  });

  it('combines several streams into one snapshot without changing them', () => {
    const a = make();
    const b = make();
    record(a, T0, 10);
    record(b, T0, 30, true);
    expect(SlidingWindows.combine([a, b], 0, T0)).toMatchObject({ calls: 2, failures: 1, errorRate: 0.5, minLatencyMs: 10, maxLatencyMs: 30, p99LatencyMs: 30 });
    expect(snap(a, T0)).toMatchObject({ calls: 1, p99LatencyMs: 10 });
  });

  it('rejects a window it cannot slide', () => {
    expect(() => new SlidingWindows([{ name: 'x', windowMs: 60_000, buckets: 0 }])).toThrow(/buckets must be a positive integer/);
    expect(() => new SlidingWindows([{ name: 'x', windowMs: 1_000, buckets: 3 }])).toThrow(/whole milliseconds/);
    expect(() => new SlidingWindows([])).toThrow(/at least one window/);
  });
});

describe('SlidingWindows: the standard windows together', () => {
  const make = () => new SlidingWindows(STANDARD_WINDOWS);
  const at = (w: SlidingWindows, name: string, t: number) => w.snapshot(w.indexOf(name), t);

  it('shows each call in every window until that window lets it go', () => {
    const w = make();
    record(w, T0, 100, true);
    for (const name of ['1m', '5m', '15m', '1h']) expect(at(w, name, T0)).toMatchObject({ calls: 1, failures: 1 });
    // 1m drops it after a minute (10 s buckets), 5m after 5 (30 s), 15m after 15 (3 min), 1h after 60 (10 min).
    expect(at(w, '1m', T0 + 60_000).calls).toBe(0);
    expect(at(w, '5m', T0 + 60_000).calls).toBe(1);
    expect(at(w, '5m', T0 + 300_000).calls).toBe(0);
    expect(at(w, '15m', T0 + 300_000).calls).toBe(1);
    expect(at(w, '15m', T0 + 900_000).calls).toBe(0);
    expect(at(w, '1h', T0 + 900_000).calls).toBe(1);
    expect(at(w, '1h', T0 + 3_600_000)).toMatchObject({ calls: 0, p95LatencyMs: null, callsPerMinute: 0 });
  });

  it('reports the same numbers for a window whether its calls are in the open bucket or folded', () => {
    const w = make();
    for (let i = 0; i < 1_000; i++) record(w, T0 + i, 1 + (i % 400));
    const open = at(w, '5m', T0 + 1_000);
    const folded = at(w, '5m', T0 + 20_000); // the 10 s bucket has closed and been folded in
    expect({ ...folded, callsPerMinute: 0 }).toEqual({ ...open, callsPerMinute: 0 });
  });

  it('keeps a provider idle for longer than the longest window at zero calls and null latencies', () => {
    const w = make();
    for (let i = 0; i < 500; i++) record(w, T0 + i * 1_000, 80, i % 2 === 0);
    const idle = T0 + 500_000 + 2 * 3_600_000;
    for (const name of ['1m', '5m', '15m', '1h']) {
      expect(at(w, name, idle)).toMatchObject({ calls: 0, errorRate: null, p50LatencyMs: null, maxLatencyMs: null, callsPerMinute: 0 });
    }
  });

  it('counts calls and failures over the long burn-rate windows, without percentiles', () => {
    const w = new SlidingWindows([...STANDARD_WINDOWS, ...BURN_RATE_WINDOWS]);
    for (let i = 0; i < 10; i++) record(w, T0 + i * 60_000, 50, i < 3);
    const later = T0 + 2 * 3_600_000; // 1 h, 30 m and 2 h have let every call go; 6 h and 1 d keep them
    expect(at(w, '1h', later).calls).toBe(0);
    expect(at(w, '2h', later).calls).toBe(0);
    expect(at(w, '6h', later)).toMatchObject({ calls: 10, failures: 3, errorRate: 0.3, p95LatencyMs: null });
    expect(at(w, '1d', T0 + 9 * 60_000 + 1)).toMatchObject({ calls: 10, failures: 3, p50LatencyMs: null, avgLatencyMs: 50 });
  });

  it('lays out the health window on a standard one when they match, and adds it otherwise', () => {
    expect(windowLayout(300_000, 10)).toEqual({ specs: [...STANDARD_WINDOWS, ...BURN_RATE_WINDOWS], healthIndex: 1 });
    const custom = windowLayout(120_000, 12);
    expect(custom.specs.at(-1)).toEqual({ name: 'health', windowMs: 120_000, buckets: 12 });
    expect(custom.healthIndex).toBe(custom.specs.length - 1);
    expect(new SlidingWindows(custom.specs).bucketMs).toBe(10_000);
  });
});
