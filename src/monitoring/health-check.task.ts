import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HealthStatus, SystemHealth } from './core/health-evaluator';
import { MonitoringOptions } from './core/monitoring-options';
import { statusChanged } from './core/monitoring.messages';
import { HEALTH_CHECK_JOB, MONITORING_OPTIONS, MonitoringEvents } from './monitoring.constants';
import { AlertService } from './alerts/alert.service';
import { HealthScorer } from './health-scorer.service';

export interface ProviderStatusChangedEvent {
  provider: string;
  previous: HealthStatus;
  current: HealthStatus;
  at: string;
}

export interface HealthChangedEvent {
  previous: HealthStatus;
  current: HealthStatus;
  at: string;
  health: SystemHealth;
}

/**
 * Re-evaluates health on an interval registered with SchedulerRegistry, keeps the latest result
 * and announces status changes as events. A tick never overlaps the one before it, and a tick
 * that throws is logged without stopping the next.
 */
@Injectable()
export class HealthCheckTask implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(HealthCheckTask.name);
  private latest: SystemHealth | null = null;
  private running = false;
  private skippedTicks = 0;
  private intervalSeconds: number | null = null;

  constructor(
    private readonly scorer: HealthScorer,
    private readonly scheduler: SchedulerRegistry,
    private readonly events: EventEmitter2,
    private readonly alerts: AlertService,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
  ) {}

  onModuleInit(): void {
    this.startBackgroundCheck(this.options.healthCheckIntervalSeconds);
  }

  onModuleDestroy(): void {
    this.stopBackgroundCheck();
  }

  /** (Re)starts the schedule; calling it again replaces the timer rather than adding one. */
  startBackgroundCheck(intervalSeconds: number): void {
    if (!Number.isFinite(intervalSeconds) || intervalSeconds <= 0) {
      throw new RangeError(`intervalSeconds must be a positive number, got ${intervalSeconds}`);
    }
    this.stopBackgroundCheck();
    const timer = setInterval(() => void this.runCheck(), intervalSeconds * 1000);
    timer.unref();
    this.scheduler.addInterval(HEALTH_CHECK_JOB, timer);
    this.intervalSeconds = intervalSeconds;
  }

  stopBackgroundCheck(): void {
    if (this.scheduler.doesExist('interval', HEALTH_CHECK_JOB)) this.scheduler.deleteInterval(HEALTH_CHECK_JOB);
    this.intervalSeconds = null;
  }

  get schedule(): { intervalSeconds: number | null; skippedTicks: number } {
    return { intervalSeconds: this.intervalSeconds, skippedTicks: this.skippedTicks };
  }

  /** The result of the last completed check, or null before the first. */
  getLatest(): SystemHealth | null {
    return this.latest;
  }

  /** One evaluation; resolves to null when skipped because the previous one is still running. */
  async runCheck(): Promise<SystemHealth | null> {
    if (this.running) {
      this.skippedTicks++;
      return null;
    }
    this.running = true;
    try {
      const health = this.scorer.calculateHealthStatus();
      for (const e of health.errors) this.logger.error(`Health evaluation of ${e.provider} failed: ${e.message}`);
      const previous = this.latest;
      this.latest = health;
      await this.announceChanges(previous, health);
      this.events.emit(MonitoringEvents.healthEvaluated, health);
      try {
        await this.alerts.evaluate(health);
      } catch (error) {
        this.logger.error(`Alert evaluation failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return health;
    } catch (error) {
      this.logger.error(`Health check failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return null;
    } finally {
      this.running = false;
    }
  }

  private async announceChanges(previous: SystemHealth | null, current: SystemHealth): Promise<void> {
    const before = new Map(previous?.providers.map((p) => [p.provider, p.status]));
    const at = current.evaluatedAt;
    for (const p of current.providers) {
      const was = before.get(p.provider) ?? 'UNKNOWN';
      if (was === p.status) continue;
      this.logger.log(statusChanged(`Provider ${p.provider}`, was, p.status));
      const event: ProviderStatusChangedEvent = { provider: p.provider, previous: was, current: p.status, at };
      await this.events.emitAsync(MonitoringEvents.providerStatusChanged, event);
    }
    const was = previous?.status ?? 'UNKNOWN';
    if (was !== current.status) {
      this.logger.log(statusChanged('System health', was, current.status));
      const event: HealthChangedEvent = { previous: was, current: current.status, at, health: current };
      await this.events.emitAsync(MonitoringEvents.healthChanged, event);
    }
  }
}
