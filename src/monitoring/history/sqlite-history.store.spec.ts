import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertRecord } from '../core/alerts/alert.types';
import { HISTOGRAM_BINS, binIndex, quantileOf } from '../core/log-histogram';
import { ManualClock } from '../core/manual-clock';
import { providerPoints } from './core/history-buckets';
import { HISTORY_DEFAULTS, retentionOf } from './core/history-options';
import { LatencyBins } from './core/latency-bins';
import { HistoryBatch, HistoryResolution, ProviderBucket } from './history-store';
import { SqliteHistoryStore } from './sqlite-history.store';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1); // a Thursday, midnight UTC

/** A minute row for these latencies, built the way a flush builds one. */
function row(provider: string, bucket: number, latencies: number[], failures = 0): ProviderBucket {
  const dense = new Map<number, number>();
  for (const latency of latencies) dense.set(binIndex(latency), (dense.get(binIndex(latency)) ?? 0) + 1);
  const bins: LatencyBins = [...dense.entries()].sort((a, b) => a[0] - b[0]);
  return {
    provider,
    bucket,
    calls: latencies.length,
    failures,
    timeouts: 0,
    rateLimited: 0,
    latencySumMs: latencies.reduce((a, b) => a + b, 0),
    latencyMinMs: Math.min(...latencies),
    latencyMaxMs: Math.max(...latencies),
    bins,
  };
}

const batch = (change: Partial<HistoryBatch>): HistoryBatch => ({ providerMinutes: [], cacheMinutes: [], totals: null, statusChanges: [], alerts: [], ...change });

/** What the library's live window would report for these latencies. */
function exactPercentile(latencies: number[], q: number): number {
  const counts = new Uint32Array(HISTOGRAM_BINS);
  for (const latency of latencies) counts[binIndex(latency)]++;
  return quantileOf(counts, latencies.length, q, Math.min(...latencies), Math.max(...latencies))!;
}

describe('SqliteHistoryStore', () => {
  let dir: string;
  let store: SqliteHistoryStore;
  const retention = retentionOf(HISTORY_DEFAULTS);
  const keepAll = { minuteMs: 400 * DAY, hourMs: 400 * DAY, dayMs: 400 * DAY, eventMs: 400 * DAY };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'history-store-'));
    store = new SqliteHistoryStore(join(dir, 'deep', 'er', 'history.db'), { busyTimeoutMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const series = (resolution: HistoryResolution, from = START, to = START + 400 * DAY) => store.providerSeries('p', resolution, from, to);

  describe('rows of one minute', () => {
    it('adds a minute written twice: counts summed, min of mins, max of maxes, histograms merged', async () => {
      await store.writeBatch(batch({ providerMinutes: [row('p', START, [10, 20], 1)] }));
      await store.writeBatch(batch({ providerMinutes: [row('p', START, [5, 20, 400])] }));
      const [minute] = await series('minute');
      expect(minute).toMatchObject({ bucket: START, calls: 5, failures: 1, latencySumMs: 455, latencyMinMs: 5, latencyMaxMs: 400 });
      expect(minute.bins).toEqual(row('p', START, [10, 20, 5, 20, 400]).bins);
      expect(minute.bins.find(([bin]) => bin === binIndex(20))?.[1]).toBe(2);
    });

    it('answers percentiles from the merged histogram as the live window would', async () => {
      const first = [12, 15, 18, 22, 31, 45];
      const second = [13, 90, 250, 900, 1_500];
      await store.writeBatch(batch({ providerMinutes: [row('p', START, first), row('p', START + MINUTE, second)] }));
      const all = [...first, ...second];
      const [point] = providerPoints(await series('hour'), 'hour', START, START).filter((p) => p.calls > 0);
      expect(point).toMatchObject({ calls: 11, minLatencyMs: 12, maxLatencyMs: 1_500 });
      for (const [q, field] of [
        [0.5, 'p50LatencyMs'],
        [0.95, 'p95LatencyMs'],
        [0.99, 'p99LatencyMs'],
      ] as const) {
        expect(point[field]).toBeCloseTo(exactPercentile(all, q), 3);
      }
      expect(point.p50LatencyMs).toBeCloseTo(31, -0.1); // rank 6 of 11 is 31, within the 1 % of its bin
    });

    it('keeps minutes of different providers and levels apart, and sums levels when asked for all', async () => {
      await store.writeBatch(
        batch({
          providerMinutes: [row('p', START, [10]), row('q', START, [20, 30])],
          cacheMinutes: [
            { level: 'L1', bucket: START, hits: 3, misses: 1 },
            { level: 'L2', bucket: START, hits: 1, misses: 1 },
          ],
        }),
      );
      expect((await series('minute')).map((b) => b.calls)).toEqual([1]);
      expect(await store.cacheSeries('L1', 'minute', START, START)).toEqual([{ level: 'L1', bucket: START, hits: 3, misses: 1 }]);
      expect(await store.cacheSeries(null, 'minute', START, START)).toEqual([{ level: '*', bucket: START, hits: 4, misses: 2 }]);
      expect(await store.knowsProvider('q')).toBe(true);
      expect(await store.knowsProvider('r')).toBe(false);
    });
  });

  describe('downsampling', () => {
    /** Minutes every 20 minutes for three days: 216 rows of 1, 2 or 3 calls. */
    async function writeThreeDays(): Promise<number> {
      let calls = 0;
      const rows: ProviderBucket[] = [];
      for (let t = START; t < START + 3 * DAY; t += 20 * MINUTE) {
        const latencies = Array.from({ length: 1 + ((t / MINUTE) % 3) }, (_, i) => 10 + i * 5);
        rows.push(row('p', t, latencies, t % HOUR === 0 ? 1 : 0));
        calls += latencies.length;
      }
      await store.writeBatch(batch({ providerMinutes: rows, cacheMinutes: rows.map((r) => ({ level: 'L1', bucket: r.bucket, hits: r.calls, misses: 1 })) }));
      return calls;
    }

    const total = (buckets: { calls: number }[]) => buckets.reduce((sum, b) => sum + b.calls, 0);

    it('rolls complete minutes into hours and complete days into days, and reads the same before and after', async () => {
      const calls = await writeThreeDays();
      const before = { hour: await series('hour'), day: await series('day') };
      const clock = new ManualClock(START + 3 * DAY + 30 * MINUTE);
      const result = await store.compact(clock.now(), keepAll);
      expect(result.rolledUp).toBe(2 * (72 + 3)); // provider and cache: 72 hours, then 3 days
      const counts = await store.rowCounts();
      expect(counts).toMatchObject({ providerMinutes: 216, providerHours: 72, providerDays: 3, cacheHours: 72, cacheDays: 3 });
      expect(await series('hour')).toEqual(before.hour);
      expect(await series('day')).toEqual(before.day);
      expect(before.day.map((d) => d.calls)).toEqual([calls / 3, calls / 3, calls / 3]);
      expect(total(before.hour)).toBe(calls);
      expect(before.hour[0]).toMatchObject({ bucket: START, calls: 1 + 2 + 3, failures: 1, latencyMinMs: 10, latencyMaxMs: 20 });
      const cacheDays = await store.cacheSeries('L1', 'day', START, START + 3 * DAY);
      expect(cacheDays.map((d) => d.misses)).toEqual([72, 72, 72]);
    });

    it('compacts again without counting anything twice', async () => {
      await writeThreeDays();
      const clock = new ManualClock(START + 3 * DAY + 30 * MINUTE);
      await store.compact(clock.now(), retention);
      const after = await series('day');
      expect((await store.compact(clock.now(), retention)).rolledUp).toBe(0);
      clock.advance(HOUR);
      await store.compact(clock.now(), retention);
      expect(await series('day')).toEqual(after);
    });

    it('adds a minute written after its hour was rolled up (a late write) to the hour and day rows too', async () => {
      await writeThreeDays();
      await store.compact(START + 3 * DAY, retention);
      const dayBefore = (await series('day'))[1].calls;
      await store.writeBatch(batch({ providerMinutes: [row('p', START + DAY + 5 * MINUTE, [7, 8])] }));
      expect((await series('day'))[1].calls).toBe(dayBefore + 2);
      const hour = (await series('hour', START + DAY, START + DAY)).find((h) => h.bucket === START + DAY);
      expect(hour).toMatchObject({ calls: 1 + 2 + 3 + 2, latencyMinMs: 7 });
      expect((await series('minute', START + DAY, START + DAY + 10 * MINUTE)).map((m) => m.calls)).toEqual([1, 2]);
    });

    it('answers the open hour and day from the minutes not rolled up yet', async () => {
      await store.compact(START + 2 * HOUR + 5 * MINUTE, retention);
      await store.writeBatch(batch({ providerMinutes: [row('p', START + 2 * HOUR + 1 * MINUTE, [10]), row('p', START + 2 * HOUR + 3 * MINUTE, [30])] }));
      expect(await series('hour')).toEqual([expect.objectContaining({ bucket: START + 2 * HOUR, calls: 2, latencyMinMs: 10, latencyMaxMs: 30 })]);
      expect(await series('day')).toEqual([expect.objectContaining({ bucket: START, calls: 2 })]);
    });

    it('prunes each resolution after its retention, and events after the hour retention', async () => {
      await writeThreeDays();
      const alert: AlertRecord = {
        id: 'a1',
        rule: 'provider-unhealthy',
        provider: 'p',
        subject: 'p',
        severity: 'critical',
        state: 'resolved',
        value: 20,
        limit: null,
        startedAt: new Date(START + HOUR).toISOString(),
        resolvedAt: new Date(START + 2 * HOUR).toISOString(),
        message: 'p is UNHEALTHY',
      };
      await store.writeBatch(batch({ statusChanges: [{ at: START + HOUR, subject: 'p', previous: 'HEALTHY', current: 'UNHEALTHY' }], alerts: [alert] }));
      // Three days and an hour in: minutes older than 48 h go, once rolled up.
      await store.compact(START + 3 * DAY + HOUR, retention);
      let counts = await store.rowCounts();
      // Rows of the last 48 h: three an hour, and the data ends an hour before now.
      expect(counts.providerMinutes).toBe(3 * 47);
      expect(counts).toMatchObject({ providerHours: 72, providerDays: 3, statusChanges: 1, alerts: 1 });
      expect(total(await series('hour'))).toBe(total(await series('day')));

      // 31 days in: the hours of the first day are past the 30-day retention, the days stay.
      await store.compact(START + 31 * DAY, retention);
      expect(await store.rowCounts()).toMatchObject({ providerHours: 48, providerDays: 3 });
      await store.compact(START + 33 * DAY, retention);
      counts = await store.rowCounts();
      expect(counts).toMatchObject({ providerMinutes: 0, providerHours: 0, providerDays: 3, statusChanges: 0, alerts: 0, cacheMinutes: 0, cacheHours: 0 });
      expect(total(await series('day'))).toBeGreaterThan(0);

      await store.compact(START + 368 * DAY, retention);
      expect(await store.rowCounts()).toMatchObject({ providerDays: 0, cacheDays: 0 });
    });
  });

  describe('totals, events and restarts', () => {
    const totals = {
      providers: [
        {
          provider: 'p',
          calls: 10,
          successes: 8,
          failures: 2,
          timeouts: 1,
          rateLimited: 1,
          latencySumMs: 512.5,
          cacheHits: 3,
          cacheMisses: 4,
          lastSuccessAt: START,
          lastFailureAt: START - 1,
          lastErrorType: 'timeout',
          lastErrorMessage: 'p did not answer within 2000 ms',
        },
      ],
      cacheLevels: [{ level: 'L1', hits: 30, misses: 12 }],
    };

    it('replaces the saved totals whole and reads them back after a restart, with the minutes', async () => {
      await store.writeBatch(batch({ totals: { providers: [{ ...totals.providers[0], provider: 'gone' }], cacheLevels: [] } }));
      await store.writeBatch(batch({ totals, providerMinutes: [row('p', START, [10, 20])] }));
      await store.close();
      store = new SqliteHistoryStore(join(dir, 'deep', 'er', 'history.db'));
      expect(await store.loadTotals()).toEqual(totals);
      expect((await series('minute')).map((m) => m.calls)).toEqual([2]);
    });

    it('saves each provider’s calls and cache hits per day of the month with its totals', async () => {
      const month = { monthStartMs: START, calls: [5, 7], cacheHits: [1, 0] };
      await store.writeBatch(batch({ totals: { providers: [{ ...totals.providers[0], month }], cacheLevels: [] } }));
      await store.close();
      store = new SqliteHistoryStore(join(dir, 'deep', 'er', 'history.db'));
      expect((await store.loadTotals()).providers[0].month).toEqual(month);
    });

    it('opens a version 1 file, adding the month column and keeping its totals', async () => {
      const path = join(dir, 'v1.db');
      const old = new Database(path);
      old.exec(`CREATE TABLE provider_totals (provider TEXT PRIMARY KEY, calls INTEGER NOT NULL, successes INTEGER NOT NULL, failures INTEGER NOT NULL,
        timeouts INTEGER NOT NULL, rate_limited INTEGER NOT NULL, latency_sum REAL NOT NULL, cache_hits INTEGER NOT NULL, cache_misses INTEGER NOT NULL,
        last_success_at INTEGER NOT NULL, last_failure_at INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO provider_totals VALUES ('p', 3, 3, 0, 0, 0, 30, 0, 0, 0, 0);
        PRAGMA user_version = 1;`);
      old.close();
      const upgraded = new SqliteHistoryStore(path);
      try {
        expect((await upgraded.loadTotals()).providers).toEqual([expect.objectContaining({ provider: 'p', calls: 3, month: undefined })]);
        await upgraded.writeBatch(batch({ totals: { providers: [{ ...totals.providers[0], month: { monthStartMs: START, calls: [1], cacheHits: [0] } }], cacheLevels: [] } }));
        expect((await upgraded.loadTotals()).providers[0].month).toEqual({ monthStartMs: START, calls: [1], cacheHits: [0] });
      } finally {
        await upgraded.close();
      }
    });

    it('keeps the watermarks across a restart, so rolled minutes are not rolled again', async () => {
      await store.writeBatch(batch({ providerMinutes: [row('p', START, [10])] }));
      await store.compact(START + HOUR, retention);
      await store.close();
      store = new SqliteHistoryStore(join(dir, 'deep', 'er', 'history.db'));
      await store.compact(START + HOUR + MINUTE, retention);
      expect((await series('hour')).map((h) => h.calls)).toEqual([1]);
    });

    it('lists status changes oldest first and keeps the newest when limited; an alert is stored by id', async () => {
      const change = (minute: number, current: 'HEALTHY' | 'DEGRADED') => ({ at: START + minute * MINUTE, subject: 'p', previous: 'UNKNOWN' as const, current });
      await store.writeBatch(batch({ statusChanges: [change(3, 'DEGRADED'), change(1, 'HEALTHY'), change(2, 'HEALTHY')] }));
      expect((await store.statusChanges(START, START + HOUR, 10)).map((c) => c.at)).toEqual([1, 2, 3].map((m) => START + m * MINUTE));
      expect((await store.statusChanges(START, START + HOUR, 2)).map((c) => c.at)).toEqual([2, 3].map((m) => START + m * MINUTE));
      expect(await store.statusChanges(START + 2 * MINUTE, START + 2 * MINUTE, 10)).toEqual([change(2, 'HEALTHY')]);

      const firing: AlertRecord = {
        id: 'provider-unhealthy:p:1',
        rule: 'provider-unhealthy',
        provider: 'p',
        subject: 'p',
        severity: 'critical',
        state: 'firing',
        value: 12,
        limit: null,
        startedAt: new Date(START + 10 * MINUTE).toISOString(),
        resolvedAt: null,
        message: 'p is UNHEALTHY',
      };
      await store.writeBatch(batch({ alerts: [firing] }));
      expect(await store.alerts(START + HOUR, START + 2 * HOUR, 10)).toEqual([firing]); // still firing: part of any later range
      const resolved = { ...firing, state: 'resolved' as const, resolvedAt: new Date(START + 20 * MINUTE).toISOString() };
      await store.writeBatch(batch({ alerts: [resolved] }));
      expect(await store.alerts(START, START + HOUR, 10)).toEqual([resolved]);
      expect(await store.alerts(START + HOUR, START + 2 * HOUR, 10)).toEqual([]);
      expect(await store.alerts(START, START + 5 * MINUTE, 10)).toEqual([]);
    });

    it('uses WAL, so a crash leaves a journal SQLite replays rather than a half-written file', () => {
      const db = new Database(join(dir, 'deep', 'er', 'history.db'), { readonly: true });
      try {
        expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        db.close();
      }
    });
  });

  describe('faults', () => {
    it('refuses a batch while another connection holds the write lock, keeps reading, and takes it once the lock is gone', async () => {
      await store.writeBatch(batch({ providerMinutes: [row('p', START, [10])] }));
      const other = new Database(join(dir, 'deep', 'er', 'history.db'));
      other.exec('BEGIN IMMEDIATE');
      await expect(store.writeBatch(batch({ providerMinutes: [row('p', START, [20])] }))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
      expect((await series('minute')).map((m) => m.calls)).toEqual([1]);
      other.exec('COMMIT');
      other.close();
      await store.writeBatch(batch({ providerMinutes: [row('p', START, [20])] }));
      expect((await series('minute')).map((m) => m.calls)).toEqual([2]);
    });

    it('writes a batch whole or not at all', async () => {
      const bad = { ...row('p', START + MINUTE, [10]), calls: null as unknown as number };
      await expect(store.writeBatch(batch({ providerMinutes: [row('p', START, [10]), bad] }))).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
      expect(await store.rowCounts()).toMatchObject({ providerMinutes: 0 });
    });

    it('fails at once, rather than hanging, when its folder cannot be created (Node 20 spins on /proc)', () => {
      expect(() => new SqliteHistoryStore('/proc/no-such-folder/history.db')).toThrow();
    });

    it('cannot open a directory, or a file that is not a database', () => {
      expect(() => new SqliteHistoryStore(dir)).toThrow();
      const junk = join(dir, 'junk.db');
      writeFileSync(junk, 'x'.repeat(4096));
      expect(() => new SqliteHistoryStore(junk)).toThrow(/not a database/);
      expect(readFileSync(junk, 'utf8')).toBe('x'.repeat(4096));
    });
  });
});
