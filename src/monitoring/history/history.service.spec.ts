import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertRecord } from '../core/alerts/alert.types';
import { ManualClock } from '../core/manual-clock';
import { resolveMonitoringOptions } from '../core/monitoring-options';
import { PerformanceMonitor } from '../performance-monitor.service';
import { HistoryOptions, resolveHistoryOptions } from './core/history-options';
import { HistoryRange } from './core/history-range';
import { HISTORY_COMPACTION_JOB, HISTORY_FLUSH_JOB } from './history.constants';
import { HistoryBatch, HistoryStore } from './history-store';
import { HistoryService, HistoryStoreFactory, HistoryUnavailableError } from './history.service';
import { SqliteHistoryStore } from './sqlite-history.store';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 0, 1, 12);
const DAY = 86_400_000;

/** A store that takes `delayMs` of (fake) time per write, to catch overlapping flushes. */
class SlowStore implements HistoryStore {
  readonly kind = 'slow';
  readonly location: string;
  active = 0;
  maxActive = 0;

  constructor(
    private readonly inner: HistoryStore,
    private readonly delayMs: number,
  ) {
    this.location = inner.location;
  }

  async writeBatch(batch: HistoryBatch): Promise<void> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.active--;
    return this.inner.writeBatch(batch);
  }
  loadTotals = () => this.inner.loadTotals();
  providerSeries: HistoryStore['providerSeries'] = (...args) => this.inner.providerSeries(...args);
  cacheSeries: HistoryStore['cacheSeries'] = (...args) => this.inner.cacheSeries(...args);
  statusChanges: HistoryStore['statusChanges'] = (...args) => this.inner.statusChanges(...args);
  alerts: HistoryStore['alerts'] = (...args) => this.inner.alerts(...args);
  knowsProvider: HistoryStore['knowsProvider'] = (provider) => this.inner.knowsProvider(provider);
  compact: HistoryStore['compact'] = (...args) => this.inner.compact(...args);
  rowCounts = () => this.inner.rowCounts();
  close = () => this.inner.close();
}

describe('HistoryService', () => {
  let dir: string;
  let dbPath: string;
  const started: HistoryService[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'history-service-'));
    dbPath = join(dir, 'monitoring.db');
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    for (const service of started.splice(0)) await service.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  function setup(overrides: Partial<HistoryOptions> = {}, factory?: HistoryStoreFactory, clock = new ManualClock(START)) {
    const monitoringOptions = resolveMonitoringOptions({ clock });
    const monitor = new PerformanceMonitor(monitoringOptions);
    const scheduler = new SchedulerRegistry();
    const options = resolveHistoryOptions({ dbPath, ...overrides });
    const open = factory ?? ((o: HistoryOptions) => new SqliteHistoryStore(o.dbPath, { busyTimeoutMs: 0 }));
    const service = new HistoryService(monitor, scheduler, options, open, monitoringOptions);
    started.push(service);
    const calls = (provider: string, latencies: number[], success = true) => {
      for (const latencyMs of latencies) monitor.recordProviderCall({ provider, latencyMs, success });
    };
    const range = (resolution: HistoryRange['resolution'] = 'minute', span = HOUR): HistoryRange => ({ fromMs: clock.now() - span, toMs: clock.now(), resolution });
    const minuteCalls = async (provider = 'p') => (await service.providerHistory(provider, range()))!.points.filter((p) => p.calls > 0).map((p) => p.calls);
    return { clock, monitor, scheduler, service, calls, range, minuteCalls };
  }

  /** Another connection holding the write lock, as a second process or a backup tool would. */
  function lockDatabase(): () => void {
    const other = new Database(dbPath);
    other.exec('BEGIN IMMEDIATE');
    return () => {
      other.exec('COMMIT');
      other.close();
    };
  }

  it('registers its flush and compaction with the SchedulerRegistry and flushes every HISTORY_FLUSH_SECONDS', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    const { service, scheduler, calls, minuteCalls } = setup({ flushIntervalSeconds: 10 });
    await service.onModuleInit();
    expect(scheduler.getIntervals().sort()).toEqual([HISTORY_COMPACTION_JOB, HISTORY_FLUSH_JOB].sort());
    calls('p', [10, 20, 30]);
    await jest.advanceTimersByTimeAsync(9_999);
    expect(await minuteCalls()).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(await minuteCalls()).toEqual([3]);
    await service.onApplicationShutdown();
    expect(scheduler.getIntervals()).toEqual([]);
  });

  it('adds only what happened since the previous flush, to the minute of each flush', async () => {
    const { service, clock, calls, minuteCalls, range } = setup();
    await service.onModuleInit();
    calls('p', [10, 20, 30]);
    await service.flush();
    calls('p', [40, 50]);
    await service.flush();
    clock.advance(MINUTE);
    calls('p', [60, 70, 80, 90], false);
    await service.flush();
    await service.flush(); // nothing new: nothing added
    expect(await minuteCalls()).toEqual([5, 4]);
    const [, second] = (await service.providerHistory('p', range()))!.points.filter((p) => p.calls > 0);
    expect(second).toMatchObject({ failures: 4, errorRate: 1, avgLatencyMs: 75 });
  });

  it('counts the calls after a reset as new, and saves the lower totals', async () => {
    const { service, monitor, calls, minuteCalls } = setup();
    await service.onModuleInit();
    calls('p', [10, 10, 10, 10, 10]);
    await service.flush();
    monitor.reset();
    calls('p', [20, 20]);
    await service.flush();
    expect(await minuteCalls()).toEqual([7]);
    await service.onApplicationShutdown();
    const store = new SqliteHistoryStore(dbPath);
    expect((await store.loadTotals()).providers).toEqual([expect.objectContaining({ provider: 'p', calls: 2, latencySumMs: 40 })]);
    await store.close();
  });

  it('restores all-time totals at start-up and counts only later calls as new', async () => {
    const first = setup();
    await first.service.onModuleInit();
    first.calls('p', [10, 20, 30, 40]);
    first.calls('p', [50], false);
    first.monitor.recordCacheHit('L1', 'p');
    first.monitor.recordCacheMiss('L2');
    await first.service.onApplicationShutdown(); // the shutdown flush writes them

    const second = setup({}, undefined, new ManualClock(START + 5 * MINUTE));
    second.calls('p', [5]); // recorded before the restore: a new call, not an old one
    await second.service.onModuleInit();
    expect(second.monitor.getProviderMetrics('p')!.totals).toMatchObject({ calls: 6, successes: 5, failures: 1 });
    expect(second.monitor.getCacheStats().byLevel).toEqual({ L1: { hits: 1, misses: 0, hitRate: 1 }, L2: { hits: 0, misses: 1, hitRate: 0 } });
    second.calls('p', [60]);
    await second.service.flush();
    expect(await second.minuteCalls()).toEqual([5, 2]);
    const hour = await second.service.providerHistory('p', second.range('hour'));
    expect(hour!.points.reduce((sum, p) => sum + p.calls, 0)).toBe(7);
  });

  it('restores this month’s calls and cache hits per day, so costs go on counting after a restart', async () => {
    const first = setup();
    await first.service.onModuleInit();
    first.calls('p', [10, 20, 30]);
    first.monitor.recordCacheHit('L1', 'p');
    await first.service.onApplicationShutdown();

    const second = setup({}, undefined, new ManualClock(START + DAY));
    await second.service.onModuleInit();
    second.calls('p', [40]);
    const usage = second.monitor.monthUsage('p')!;
    // START is 1 January: day 0 holds the first run's calls, day 1 the new one.
    expect([usage.today, usage.calls[0], usage.calls[1], usage.cacheHits[0]]).toEqual([1, 3, 1, 1]);

    // A run in another month restores the all-time totals but not last month's days.
    await second.service.onApplicationShutdown();
    const third = setup({}, undefined, new ManualClock(Date.UTC(2026, 1, 1, 0, 5)));
    await third.service.onModuleInit();
    expect(third.monitor.getProviderMetrics('p')!.totals.calls).toBe(4);
    expect(Array.from(third.monitor.monthUsage('p')!.calls).every((c) => c === 0)).toBe(true);
  });

  it('restores the most recently active providers first when they do not all fit under the provider cap', async () => {
    const first = setup();
    await first.service.onModuleInit();
    first.calls('old', [10]);
    first.clock.advance(MINUTE);
    first.calls('busy', [10], false);
    first.clock.advance(MINUTE);
    first.calls('new', [10]);
    await first.service.onApplicationShutdown();

    const clock = new ManualClock(START + HOUR);
    const monitoringOptions = resolveMonitoringOptions({ clock, maxProviders: 2 });
    const monitor = new PerformanceMonitor(monitoringOptions);
    const open = (o: HistoryOptions) => new SqliteHistoryStore(o.dbPath, { busyTimeoutMs: 0 });
    const second = new HistoryService(monitor, new SchedulerRegistry(), resolveHistoryOptions({ dbPath }), open, monitoringOptions);
    started.push(second);
    await second.onModuleInit();
    expect([...monitor.providerStats()].map((s) => s.name).sort()).toEqual(['busy', 'new']);
  });

  it('restores the last error with the totals, already redacted', async () => {
    const first = setup();
    await first.service.onModuleInit();
    first.monitor.recordProviderCall({ provider: 'p', latencyMs: 2_000, success: false, timedOut: true, errorType: 'timeout', errorMessage: 'GET /quote?token=s3cret timed out' });
    await first.service.onApplicationShutdown();
    const second = setup({}, undefined, new ManualClock(START + MINUTE));
    await second.service.onModuleInit();
    expect(second.monitor.getProviderMetrics('p')!.totals).toMatchObject({ lastErrorType: 'timeout', lastErrorMessage: 'GET /quote?token=*** timed out', lastFailureAt: new Date(START).toISOString() });
  });

  it('answers undefined for a provider never seen, live or in history', async () => {
    const { service, range, calls } = setup();
    await service.onModuleInit();
    expect(await service.providerHistory('nobody', range())).toBeUndefined();
    calls('live-only', [5]);
    expect(await service.providerHistory('live-only', range())).toMatchObject({ provider: 'live-only', points: expect.any(Array) });
  });

  it('stores health status changes and alert records from the monitoring events', async () => {
    const { service, range, clock } = setup();
    await service.onModuleInit();
    const at = new Date(clock.now()).toISOString();
    service.onProviderStatusChanged({ provider: 'p', previous: 'UNKNOWN', current: 'UNHEALTHY', at });
    service.onHealthChanged({ previous: 'HEALTHY', current: 'DEGRADED', at, health: {} as never });
    const alert: AlertRecord = {
      id: 'provider-unhealthy:p:1',
      rule: 'provider-unhealthy',
      provider: 'p',
      subject: 'p',
      severity: 'critical',
      state: 'firing',
      value: 10,
      limit: null,
      startedAt: at,
      resolvedAt: null,
      message: 'p is UNHEALTHY',
    };
    service.onAlert({ event: 'fired', alert });
    service.onAlert({ event: 'resolved', alert: { ...alert, state: 'resolved', resolvedAt: at } });
    await service.flush();
    expect((await service.healthHistory(range())).changes).toEqual([
      { at, subject: 'p', previous: 'UNKNOWN', current: 'UNHEALTHY' },
      { at, subject: 'system', previous: 'HEALTHY', current: 'DEGRADED' },
    ]);
    expect((await service.alertHistory(range())).alerts).toEqual([{ ...alert, state: 'resolved', resolvedAt: at }]);
  });

  it('compacts at start-up: minutes of a past hour become an hour row', async () => {
    const earlier = setup();
    await earlier.service.onModuleInit();
    earlier.calls('p', [10]);
    await earlier.service.onApplicationShutdown();
    const later = setup({}, undefined, new ManualClock(START + 2 * HOUR));
    await later.service.onModuleInit();
    const status = await later.service.status();
    expect(status.lastCompactionAt).toBe(new Date(START + 2 * HOUR).toISOString());
    expect(status.rows).toMatchObject({ providerMinutes: 1, providerHours: 1 });
  });

  describe('when the database cannot be written', () => {
    it('keeps monitoring, counts the failures, logs once a minute, and writes the kept minutes when it can again', async () => {
      const { service, clock, calls, monitor, minuteCalls } = setup();
      await service.onModuleInit();
      const unlock = lockDatabase();
      calls('p', [10, 20]);
      await service.flush();
      clock.advance(20_000);
      calls('p', [30]);
      await service.flush();
      clock.advance(MINUTE);
      calls('p', [40, 50, 60]);
      await service.flush();
      expect(monitor.getProviderMetrics('p')!.totals.calls).toBe(6);
      const failing = await service.status();
      expect(failing).toMatchObject({ state: 'failing', writeErrors: 3, pendingMinutes: 2, lastWriteError: 'database is locked' });
      expect(failing.rows).toMatchObject({ providerMinutes: 0 }); // reads still work under another writer's lock
      const errors = jest.mocked(Logger.prototype.error).mock.calls.map(([message]) => String(message));
      expect(errors).toHaveLength(2); // the first failure, and the first one a minute later
      expect(errors[0]).toContain('History could not be written to');
      expect(errors[0]).toContain('database is locked');

      unlock();
      clock.advance(10_000);
      await service.flush();
      expect(await service.status()).toMatchObject({ state: 'ok', writeErrors: 3, pendingMinutes: 0 });
      expect(await minuteCalls()).toEqual([3, 3]);
      expect(jest.mocked(Logger.prototype.log).mock.calls.map(([message]) => String(message))).toEqual(
        expect.arrayContaining([expect.stringContaining('again after 3 failed writes')]),
      );
    });

    it('opens a new connection when its own turns out read-only, and writes what waited without reading totals twice', async () => {
      let opened = 0;
      const factory: HistoryStoreFactory = (o) => {
        const real = new SqliteHistoryStore(o.dbPath, { busyTimeoutMs: 0 });
        if (++opened > 1) return real;
        // What SQLite gives for a file that was read-only when it was opened, even once it is writable.
        const readOnly: HistoryStore = Object.create(real);
        readOnly.writeBatch = async () => {
          throw Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
        };
        return readOnly;
      };
      const { service, calls, monitor, minuteCalls } = setup({}, factory);
      await service.onModuleInit();
      calls('p', [10, 20]);
      await service.flush();
      expect(await service.status()).toMatchObject({ state: 'failing', lastWriteError: 'attempt to write a readonly database', pendingMinutes: 1 });
      await service.flush();
      expect(opened).toBe(2);
      expect(await service.status()).toMatchObject({ state: 'ok', pendingMinutes: 0 });
      expect(await minuteCalls()).toEqual([2]);
      expect(monitor.getProviderMetrics('p')!.totals.calls).toBe(2);
    });

    it('keeps at most maxPendingMinutes minutes and says how many it dropped', async () => {
      const { service, clock, calls, minuteCalls } = setup({ maxPendingMinutes: 3 });
      await service.onModuleInit();
      const unlock = lockDatabase();
      for (let minute = 1; minute <= 5; minute++) {
        calls('p', Array.from({ length: minute }, () => 10));
        await service.flush();
        clock.advance(MINUTE);
      }
      expect(await service.status()).toMatchObject({ pendingMinutes: 3, droppedMinutes: 2 });
      expect(jest.mocked(Logger.prototype.warn).mock.calls.map(([m]) => String(m))).toEqual(
        expect.arrayContaining([expect.stringContaining('dropped 1 minutes of unwritten data')]),
      );
      unlock();
      await service.flush();
      expect(await minuteCalls()).toEqual([3, 4, 5]);
    });

    it('runs without history when the database cannot be opened, says so, and opens it once it can', async () => {
      mkdirSync(dbPath); // a directory where the file should be
      const { service, monitor, calls, range, minuteCalls } = setup();
      await expect(service.onModuleInit()).resolves.toBeUndefined();
      calls('p', [10, 20]);
      expect(monitor.getProviderMetrics('p')!.totals.calls).toBe(2);
      await service.flush();
      expect(await service.status()).toMatchObject({ enabled: true, state: 'unavailable', store: null, rows: null, pendingMinutes: 1 });
      expect((await service.status()).openError).toEqual(expect.any(String));
      await expect(service.providerHistory('p', range())).rejects.toBeInstanceOf(HistoryUnavailableError);
      expect(jest.mocked(Logger.prototype.error)).toHaveBeenCalledWith(expect.stringContaining('could not be opened'));

      rmSync(dbPath, { recursive: true });
      await service.flush();
      expect(await service.status()).toMatchObject({ state: 'ok', store: 'sqlite', openError: null, pendingMinutes: 0 });
      expect(await minuteCalls()).toEqual([2]);
    });
  });

  it('never runs two writes at once: a tick that finds one running is skipped', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    let slow: SlowStore | undefined;
    const { service, calls } = setup({ flushIntervalSeconds: 1, dbPath: ':memory:' }, () => (slow = new SlowStore(new SqliteHistoryStore(':memory:'), 1_500)));
    await service.onModuleInit();
    for (let second = 0; second < 6; second++) {
      calls('p', [10]);
      await jest.advanceTimersByTimeAsync(1_000);
    }
    await jest.advanceTimersByTimeAsync(2_000);
    expect(slow!.maxActive).toBe(1);
    const status = await service.status();
    expect(status.skippedTicks).toBeGreaterThan(0);
    expect(status.rows!.providerMinutes).toBe(1);
    // The shutdown write waits for the one running, and takes 1.5 s of fake time too.
    let closed = false;
    const shutdown = service.onApplicationShutdown().then(() => (closed = true));
    while (!closed) await jest.advanceTimersByTimeAsync(500);
    await shutdown;
  });

  it('with HISTORY_ENABLED=false opens nothing and schedules nothing', async () => {
    const open = jest.fn();
    const { service, scheduler, range } = setup({ enabled: false }, open);
    await service.onModuleInit();
    await service.flush();
    await service.onApplicationShutdown();
    expect(open).not.toHaveBeenCalled();
    expect(scheduler.getIntervals()).toEqual([]);
    expect(await service.status()).toMatchObject({ enabled: false, state: 'disabled' });
    await expect(service.cacheHistory(null, range())).rejects.toThrow('History is turned off (HISTORY_ENABLED=false)');
  });
});
