import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { AlertNotification, AlertRecord } from '../core/alerts/alert.types';
import { Clock } from '../core/clock';
import { MonitoringOptions } from '../core/monitoring-options';
import type { HealthChangedEvent, ProviderStatusChangedEvent } from '../health-check.task';
import { MONITORING_OPTIONS, MonitoringEvents } from '../monitoring.constants';
import { PerformanceMonitor } from '../performance-monitor.service';
import { DeltaTracker, ProviderCounters } from './core/delta-tracker';
import { CacheHistoryPoint, ProviderHistoryPoint, bucketStart, cachePoints, providerPoints } from './core/history-buckets';
import { HistoryOptions, retentionOf } from './core/history-options';
import type { HistoryRange } from './core/history-range';
import { PendingHistory } from './core/pending-history';
import { HISTORY_COMPACTION_JOB, HISTORY_FLUSH_JOB, HISTORY_OPTIONS, HISTORY_STORE_FACTORY, MAX_HISTORY_EVENTS } from './history.constants';
import {
  historyDisabled,
  historyReadFailed,
  historyUnavailable,
  openFailed,
  pendingDropped,
  shutdownFlushFailed,
  writeFailed,
  writingAgain,
} from './history.messages';
import type { HistoryResolution, HistoryRowCounts, HistoryStore, SavedTotals } from './history-store';

/** Opens the store; see HISTORY_STORE_FACTORY. */
export type HistoryStoreFactory = (options: HistoryOptions) => HistoryStore | Promise<HistoryStore>;

/**
 * `ok`: the last write worked (or none was due yet). `failing`: the last write failed and the
 * data waits in memory. `unavailable`: the store could not be opened. `disabled`: HISTORY_ENABLED=false.
 */
export type HistoryState = 'ok' | 'failing' | 'unavailable' | 'disabled';

export interface HistoryStatus {
  enabled: boolean;
  state: HistoryState;
  store: string | null;
  path: string;
  flushIntervalSeconds: number;
  lastFlushAt: string | null;
  lastCompactionAt: string | null;
  writeErrors: number;
  lastWriteError: string | null;
  lastWriteErrorAt: string | null;
  openError: string | null;
  pendingMinutes: number;
  pendingEvents: number;
  droppedMinutes: number;
  droppedEvents: number;
  /** Flush or compaction ticks skipped because the previous work was still running. */
  skippedTicks: number;
  /** Null when the store is not open or cannot be read. */
  rows: HistoryRowCounts | null;
  retention: { minuteHours: number; hourDays: number; dayDays: number };
}

export interface ProviderHistory {
  provider: string;
  resolution: HistoryResolution;
  from: string;
  to: string;
  points: ProviderHistoryPoint[];
}

export interface CacheHistory {
  /** Null: every level summed. */
  level: string | null;
  resolution: HistoryResolution;
  from: string;
  to: string;
  points: CacheHistoryPoint[];
}

export interface StatusChangeView {
  at: string;
  subject: string;
  previous: string;
  current: string;
}

export interface HealthHistory {
  from: string;
  to: string;
  changes: StatusChangeView[];
}

export interface AlertHistory {
  from: string;
  to: string;
  alerts: AlertRecord[];
}

/** History cannot answer: it is turned off, or its store could not be opened or read. */
export class HistoryUnavailableError extends Error {}

/**
 * Keeps monitoring history across restarts. Every flush interval it turns the monitor's
 * all-time counters into deltas and adds them to the current minute's rows; a compaction rolls
 * minutes into hours and days and prunes what expired. At start-up it restores the saved
 * all-time totals into the monitor; at shutdown it writes what is left.
 *
 * A store that fails never stops monitoring: the deltas wait in memory (bounded) and are
 * written by the first flush that works; failures are counted and logged once a minute.
 * Ticks never overlap, and explicit flush() calls queue behind a running one.
 */
@Injectable()
export class HistoryService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('History');
  private readonly clock: Clock;
  private readonly deltas = new DeltaTracker();
  private readonly pending: PendingHistory;
  private store: HistoryStore | null = null;
  private openError: string | null = null;
  private writeErrors = 0;
  private failuresInRow = 0;
  private lastWriteError: string | null = null;
  private lastWriteErrorAt: number | null = null;
  private lastFlushAt: number | null = null;
  private lastCompactionAt: number | null = null;
  private lastErrorLogAt = -Infinity;
  private reportedDrops = 0;
  /** Work on the store runs one task at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private skippedTicks = 0;
  private shuttingDown = false;
  /** A write failed because the connection is read-only: the next flush opens a new one. */
  private reconnect = false;

  constructor(
    private readonly monitor: PerformanceMonitor,
    private readonly scheduler: SchedulerRegistry,
    @Inject(HISTORY_OPTIONS) private readonly options: HistoryOptions,
    @Inject(HISTORY_STORE_FACTORY) private readonly openStore: HistoryStoreFactory,
    @Inject(MONITORING_OPTIONS) monitoring: MonitoringOptions,
  ) {
    this.clock = monitoring.clock;
    this.pending = new PendingHistory(options.maxPendingMinutes, options.maxPendingEvents);
  }

  /** Opens the store and restores totals before the first flush, compacts once, then starts both schedules. */
  async onModuleInit(): Promise<void> {
    if (!this.options.enabled) {
      this.logger.log(historyDisabled());
      return;
    }
    await this.exclusive(() => this.openAndRestore());
    await this.exclusive(() => this.compactNow());
    this.schedule(HISTORY_FLUSH_JOB, this.options.flushIntervalSeconds, () => this.flushNow());
    this.schedule(HISTORY_COMPACTION_JOB, this.options.compactionIntervalSeconds, () => this.compactNow());
  }

  /** After ScheduleModule stopped the timers: writes what the last interval collected, then closes. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.options.enabled || this.shuttingDown) return;
    this.shuttingDown = true;
    for (const job of [HISTORY_FLUSH_JOB, HISTORY_COMPACTION_JOB]) {
      if (this.scheduler.doesExist('interval', job)) this.scheduler.deleteInterval(job);
    }
    await this.exclusive(async () => {
      await this.flushNow();
      if (!this.pending.isEmpty && this.lastWriteError !== null) this.logger.error(shutdownFlushFailed(this.lastWriteError, this.pending.minuteCount));
      await this.store?.close();
      this.store = null;
    });
  }

  /** Collects and writes now (tests, or an operator's tool); waits for a running flush first. */
  flush(): Promise<void> {
    return this.exclusive(() => this.flushNow());
  }

  /** Rolls up and prunes now; waits for running work first. */
  compact(): Promise<void> {
    return this.exclusive(() => this.compactNow());
  }

  get available(): boolean {
    return this.store !== null;
  }

  /** False with HISTORY_ENABLED=false: nothing is stored and the history endpoints answer 503. */
  get enabled(): boolean {
    return this.options.enabled;
  }

  @OnEvent(MonitoringEvents.providerStatusChanged)
  onProviderStatusChanged(event: ProviderStatusChangedEvent): void {
    if (!this.options.enabled) return;
    this.pending.addStatusChange({ at: this.timeOf(event.at), subject: event.provider, previous: event.previous, current: event.current });
  }

  @OnEvent(MonitoringEvents.healthChanged)
  onHealthChanged(event: HealthChangedEvent): void {
    if (!this.options.enabled) return;
    this.pending.addStatusChange({ at: this.timeOf(event.at), subject: 'system', previous: event.previous, current: event.current });
  }

  @OnEvent(MonitoringEvents.alertFired)
  @OnEvent(MonitoringEvents.alertResolved)
  onAlert(notification: AlertNotification): void {
    if (!this.options.enabled) return;
    this.pending.putAlert(notification.alert);
  }

  /** Undefined when the provider was never seen, live or in history. */
  async providerHistory(provider: string, range: HistoryRange): Promise<ProviderHistory | undefined> {
    const store = this.readableStore();
    return this.read(async () => {
      const known = this.monitor.getProviderMetrics(provider) !== undefined || (await store.knowsProvider(provider));
      if (!known) return undefined;
      const rows = await store.providerSeries(provider, range.resolution, range.fromMs, range.toMs);
      return { provider, ...this.rangeView(range), points: providerPoints(rows, range.resolution, range.fromMs, range.toMs) };
    });
  }

  async cacheHistory(level: string | null, range: HistoryRange): Promise<CacheHistory> {
    const store = this.readableStore();
    return this.read(async () => {
      const rows = await store.cacheSeries(level, range.resolution, range.fromMs, range.toMs);
      return { level, ...this.rangeView(range), points: cachePoints(rows, range.resolution, range.fromMs, range.toMs) };
    });
  }

  async healthHistory(range: HistoryRange): Promise<HealthHistory> {
    const store = this.readableStore();
    return this.read(async () => {
      const changes = await store.statusChanges(range.fromMs, range.toMs, MAX_HISTORY_EVENTS);
      const { from, to } = this.rangeView(range);
      return { from, to, changes: changes.map((c) => ({ at: new Date(c.at).toISOString(), subject: c.subject, previous: c.previous, current: c.current })) };
    });
  }

  async alertHistory(range: HistoryRange): Promise<AlertHistory> {
    const store = this.readableStore();
    return this.read(async () => {
      const { from, to } = this.rangeView(range);
      return { from, to, alerts: await store.alerts(range.fromMs, range.toMs, MAX_HISTORY_EVENTS) };
    });
  }

  async status(): Promise<HistoryStatus> {
    let rows: HistoryRowCounts | null = null;
    try {
      rows = (await this.store?.rowCounts()) ?? null;
    } catch {
      rows = null; // a broken database still gets a status answer: the write error says why
    }
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      enabled: this.options.enabled,
      state: this.state(),
      store: this.store?.kind ?? null,
      path: this.store?.location ?? this.options.dbPath,
      flushIntervalSeconds: this.options.flushIntervalSeconds,
      lastFlushAt: iso(this.lastFlushAt),
      lastCompactionAt: iso(this.lastCompactionAt),
      writeErrors: this.writeErrors,
      lastWriteError: this.lastWriteError,
      lastWriteErrorAt: iso(this.lastWriteErrorAt),
      openError: this.openError,
      pendingMinutes: this.pending.minuteCount,
      pendingEvents: this.pending.eventCount,
      droppedMinutes: this.pending.droppedMinutes,
      droppedEvents: this.pending.droppedEvents,
      skippedTicks: this.skippedTicks,
      rows,
      retention: {
        minuteHours: this.options.minuteRetentionHours,
        hourDays: this.options.hourRetentionDays,
        dayDays: this.options.dayRetentionDays,
      },
    };
  }

  private state(): HistoryState {
    if (!this.options.enabled) return 'disabled';
    if (this.store === null) return 'unavailable';
    return this.failuresInRow > 0 ? 'failing' : 'ok';
  }

  private async openAndRestore(): Promise<void> {
    let store: HistoryStore;
    try {
      store = await this.openStore(this.options);
    } catch (error) {
      const reason = messageOf(error);
      if (this.openError === null) this.logger.error(openFailed(this.options.dbPath, reason, this.options.flushIntervalSeconds));
      this.openError = reason;
      return;
    }
    try {
      this.restore(await store.loadTotals());
    } catch (error) {
      // Writing totals without having read the saved ones would overwrite them: treat it as not open.
      await store.close().catch(() => undefined);
      this.openError = `saved totals could not be read: ${messageOf(error)}`;
      this.logger.error(openFailed(this.options.dbPath, this.openError, this.options.flushIntervalSeconds));
      return;
    }
    this.store = store;
    this.openError = null;
  }

  /** Adds saved totals to the monitor, and to the delta baselines, so they are not counted as new calls. */
  private restore(saved: SavedTotals): void {
    const restored = new Map<string, SavedTotals['providers'][number]>();
    // Most recently active first: when they do not all fit under the provider cap, the stale ones are left out.
    const byRecency = [...saved.providers].sort((a, b) => Math.max(b.lastSuccessAt, b.lastFailureAt) - Math.max(a.lastSuccessAt, a.lastFailureAt));
    for (const totals of byRecency) {
      const { provider, ...counts } = totals;
      if (this.monitor.restoreTotals(provider, counts) === 'recorded') restored.set(provider, totals);
    }
    for (const stats of this.monitor.providerStats()) {
      const totals = restored.get(stats.name);
      if (totals) this.deltas.adoptRestored(stats, totals);
    }
    for (const level of saved.cacheLevels) {
      if (this.monitor.restoreCacheLevel(level.level, level.hits, level.misses) === 'recorded') this.deltas.adoptRestoredLevel(level.level, level.hits, level.misses);
    }
    if (restored.size > 0 || saved.cacheLevels.length > 0) {
      this.logger.log(`Restored all-time totals of ${restored.size} providers and ${saved.cacheLevels.length} cache levels from ${this.options.dbPath}`);
    }
  }

  private async flushNow(): Promise<void> {
    if (!this.options.enabled) return;
    // A store that failed to open is tried again first, so its totals are restored before any delta is taken.
    if (this.store === null && !this.shuttingDown) await this.openAndRestore();
    else if (this.reconnect && !this.shuttingDown) await this.reopen();
    this.collect(this.clock.now());
    this.reportDrops();
    const store = this.store;
    if (store === null || this.pending.isEmpty) return;
    const batch = this.pending.drain();
    try {
      await store.writeBatch(batch);
    } catch (error) {
      this.pending.restore(batch);
      this.writeFailed(error);
      return;
    }
    if (this.failuresInRow > 0) this.logger.log(writingAgain(store.location, this.failuresInRow));
    this.failuresInRow = 0;
    this.lastFlushAt = this.clock.now();
  }

  private collect(nowMs: number): void {
    const minute = bucketStart(nowMs, 'minute');
    const stats: readonly ProviderCounters[] = [...this.monitor.providerStats()];
    for (const delta of this.deltas.providerDeltas(stats)) this.pending.addProviderRow({ ...delta, bucket: minute });
    const byLevel = this.monitor.getCacheStats().byLevel;
    for (const delta of this.deltas.cacheDeltas(byLevel)) this.pending.addCacheRow({ ...delta, bucket: minute });
    this.pending.setTotals({
      providers: stats.map((s) => ({
        provider: s.name,
        calls: s.calls,
        successes: s.successes,
        failures: s.failures,
        timeouts: s.timeouts,
        rateLimited: s.rateLimited,
        latencySumMs: s.latencySum,
        cacheHits: s.cacheHits,
        cacheMisses: s.cacheMisses,
        lastSuccessAt: s.lastSuccessAt,
        lastFailureAt: s.lastFailureAt,
        month: s.month.save(nowMs),
        ...s.errorDetails(),
      })),
      cacheLevels: Object.entries(byLevel).map(([level, counts]) => ({ level, hits: counts.hits, misses: counts.misses })),
    });
  }

  private async compactNow(): Promise<void> {
    const store = this.store;
    if (store === null) return;
    const now = this.clock.now();
    try {
      await store.compact(now, retentionOf(this.options));
      this.lastCompactionAt = now;
    } catch (error) {
      this.writeFailed(error);
    }
  }

  /**
   * A connection opened while its file was read-only stays read-only after the file becomes
   * writable again: open a new one. The totals were restored at the first opening and live on in
   * the monitor, so nothing is read back.
   */
  private async reopen(): Promise<void> {
    let fresh: HistoryStore;
    try {
      fresh = await this.openStore(this.options);
    } catch {
      return; // still cannot be opened: the old connection keeps reading, the data keeps waiting
    }
    this.reconnect = false;
    await this.store?.close().catch(() => undefined);
    this.store = fresh;
  }

  private writeFailed(error: unknown): void {
    const now = this.clock.now();
    if (isReadOnlyError(error)) this.reconnect = true;
    this.writeErrors++;
    this.failuresInRow++;
    this.lastWriteError = messageOf(error);
    this.lastWriteErrorAt = now;
    // Once a minute at most: a full disk fails every flush, and the log must not fill it further.
    if (now - this.lastErrorLogAt < this.options.errorLogIntervalSeconds * 1_000) return;
    this.lastErrorLogAt = now;
    const location = this.store?.location ?? this.options.dbPath;
    this.logger.error(writeFailed(location, this.lastWriteError, this.writeErrors, this.pending.minuteCount, this.options.maxPendingMinutes));
  }

  private reportDrops(): void {
    const dropped = this.pending.droppedMinutes - this.reportedDrops;
    if (dropped <= 0) return;
    this.reportedDrops = this.pending.droppedMinutes;
    this.logger.warn(pendingDropped(dropped, this.options.maxPendingMinutes));
  }

  private schedule(name: string, seconds: number, task: () => Promise<void>): void {
    const timer = setInterval(() => this.tick(task), seconds * 1_000);
    timer.unref(); // history never keeps the process alive on its own
    this.scheduler.addInterval(name, timer);
  }

  /** A tick that finds work still running is skipped, not queued: the next one catches up. */
  private tick(task: () => Promise<void>): void {
    if (this.queued > 0 || this.shuttingDown) {
      this.skippedTicks++;
      return;
    }
    this.exclusive(task).catch((error: unknown) => this.logger.error(`History task failed: ${messageOf(error)}`));
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.queued++;
    const run = this.queue.then(task).finally(() => this.queued--);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private readableStore(): HistoryStore {
    if (!this.options.enabled) throw new HistoryUnavailableError(historyDisabled());
    if (this.store === null) throw new HistoryUnavailableError(historyUnavailable(this.options.dbPath, this.openError ?? 'not opened yet'));
    return this.store;
  }

  private async read<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw new HistoryUnavailableError(historyReadFailed(messageOf(error)));
    }
  }

  private rangeView(range: HistoryRange): { resolution: HistoryResolution; from: string; to: string } {
    return { resolution: range.resolution, from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() };
  }

  /** Events carry ISO times; one that does not parse is stamped now rather than lost. */
  private timeOf(iso: string): number {
    const ms = Date.parse(iso);
    return Number.isFinite(ms) ? ms : this.clock.now();
  }
}

/** SQLITE_READONLY and its extended codes: the file, its folder or the connection does not allow writing. */
function isReadOnlyError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_READONLY');
}

/** Duck-typed: better-sqlite3 builds its errors in the realm that first loaded it, so `instanceof Error` can miss them. */
function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
