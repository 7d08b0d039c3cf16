import { Inject, Injectable, Logger, MessageEvent, OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EMPTY, Observable, Subject, auditTime, concat, defer, filter, finalize, interval, map, merge, of, share, takeUntil } from 'rxjs';
import { AlertService } from '../alerts/alert.service';
import { SystemHealth } from '../core/health-evaluator';
import { MonitoringOptions } from '../core/monitoring-options';
import { HealthScorer } from '../health-scorer.service';
import { MONITORING_OPTIONS, MonitoringEvents } from '../monitoring.constants';
import { PerformanceMonitor } from '../performance-monitor.service';
import { DASHBOARD_OPTIONS, DashboardOptions } from './dashboard.constants';
import { DashboardSnapshot } from './dashboard-snapshot';

/** Several alerts fired by one evaluation become one push. */
const ALERT_COALESCE_MS = 20;
/** More firing alerts than an operator reads on one screen. */
const MAX_ALERTS = 100;
/** How long shutdown waits for ended streams to flush; a client that stopped reading is not waited for. */
const FLUSH_ON_SHUTDOWN_MS = 1_000;

/**
 * Feeds the dashboard stream: a snapshot on connect, after every health check tick, when an
 * alert fires or resolves, and every `pushSeconds`. One timer and one serialisation serve every
 * open stream, and the timer only runs while a stream is open.
 */
@Injectable()
export class DashboardStreamService implements OnModuleDestroy {
  private readonly logger = new Logger(DashboardStreamService.name);
  private readonly evaluated = new Subject<SystemHealth>();
  private readonly alertsChanged = new Subject<void>();
  private readonly closing = new Subject<void>();
  private readonly shared: Observable<string>;
  private closed = false;
  private open = 0;
  private readonly responses = new Set<Promise<void>>();
  private startedAtMs: number | null = null;

  constructor(
    private readonly monitor: PerformanceMonitor,
    private readonly scorer: HealthScorer,
    private readonly alerts: AlertService,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
    @Inject(DASHBOARD_OPTIONS) private readonly dashboard: DashboardOptions,
  ) {
    const pushes = merge(
      // The tick's own result: no second evaluation.
      this.evaluated.pipe(map((health): SystemHealth | null => health)),
      this.alertsChanged.pipe(
        auditTime(ALERT_COALESCE_MS),
        map(() => null),
      ),
      interval(this.dashboard.pushSeconds * 1_000).pipe(map(() => null)),
    );
    this.shared = pushes.pipe(
      map((health) => this.encode(health)),
      filter((frame): frame is string => frame !== null),
      // Refcounted: the interval stops when the last stream closes, and restarts with the next.
      share(),
    );
  }

  @OnEvent(MonitoringEvents.healthEvaluated)
  onHealthEvaluated(health: SystemHealth): void {
    this.evaluated.next(health);
  }

  @OnEvent(MonitoringEvents.alertFired)
  @OnEvent(MonitoringEvents.alertResolved)
  onAlertChanged(): void {
    this.alertsChanged.next();
  }

  /** Streams currently open: tests use it to check that a disconnect releases everything. */
  get openStreams(): number {
    return this.open;
  }

  /** One client's stream of `snapshot` events, starting with one at once; ends at shutdown. */
  stream(): Observable<MessageEvent> {
    if (this.closed) return EMPTY;
    return defer(() => {
      this.open++;
      const first = this.encode(null);
      return concat(first === null ? EMPTY : of(first), this.shared).pipe(
        takeUntil(this.closing),
        map((data): MessageEvent => ({ type: 'snapshot', data })),
        finalize(() => this.open--),
      );
    });
  }

  /** The snapshot as the page gets it; `health` is given when a tick just computed it. */
  snapshot(health: SystemHealth | null = null): DashboardSnapshot {
    const now = this.options.clock.now();
    this.startedAtMs ??= Date.parse(this.monitor.getStats().startedAt);
    return {
      at: new Date(now).toISOString(),
      health: health ?? this.scorer.calculateHealthStatus(),
      providers: this.monitor.getAllProviderMetrics('5m'),
      alerts: this.alerts.list('firing', MAX_ALERTS).active,
      cache: this.monitor.getCacheStats().byLevel,
      uptimeSeconds: Math.max(0, Math.round((now - this.startedAtMs) / 1_000)),
    };
  }

  /**
   * Lets shutdown wait for a stream's HTTP response to finish: the server only closes idle
   * connections when it stops, and one whose response is still flushing would hold it open
   * until the keep-alive timeout.
   */
  trackResponse(done: Promise<unknown>): void {
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.responses.add(settled);
    void settled.then(() => this.responses.delete(settled));
  }

  /** Ends every open stream, then waits (briefly) for their responses to finish. */
  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.closing.next();
    this.closing.complete();
    this.evaluated.complete();
    this.alertsChanged.complete();
    if (this.responses.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FLUSH_ON_SHUTDOWN_MS);
      timer.unref();
    });
    await Promise.race([Promise.all(this.responses), timeout]);
    clearTimeout(timer);
  }

  /** Serialised once for every client; a failure skips one push rather than ending the streams. */
  private encode(health: SystemHealth | null): string | null {
    try {
      return JSON.stringify(this.snapshot(health));
    } catch (error) {
      this.logger.error(`Dashboard snapshot failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }
}
