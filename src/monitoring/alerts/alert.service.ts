import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AlertEngine } from '../core/alerts/alert-engine';
import { AlertNotification, AlertRecord, AlertState } from '../core/alerts/alert.types';
import { SystemHealth } from '../core/health-evaluator';
import { MonitoringOptions } from '../core/monitoring-options';
import { HealthScorer } from '../health-scorer.service';
import { MONITORING_OPTIONS, MonitoringEvents } from '../monitoring.constants';
import { MonitoringSettings } from '../monitoring-settings.service';
import { PerformanceMonitor } from '../performance-monitor.service';
import { CostService } from '../cost/cost.service';
import { ProviderRouter } from '../routing/provider-router.service';
import { DispatcherStats, WebhookDispatcher } from './webhook-dispatcher';

const EVENT_NAMES: Record<AlertNotification['event'], string> = {
  fired: MonitoringEvents.alertFired,
  resolved: MonitoringEvents.alertResolved,
  repeat: MonitoringEvents.alertRepeated,
};

export interface AlertListing {
  active: AlertRecord[];
  history: AlertRecord[];
  delivery: DispatcherStats;
}

/**
 * Judges the alert rules (on each health check, or on demand) and delivers what changed: as
 * events through EventEmitter2 and to the configured webhooks, without waiting for them.
 */
@Injectable()
export class AlertService implements OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  private readonly engine: AlertEngine;
  private readonly dispatcher: WebhookDispatcher;

  constructor(
    private readonly monitor: PerformanceMonitor,
    private readonly scorer: HealthScorer,
    private readonly settings: MonitoringSettings,
    private readonly events: EventEmitter2,
    private readonly router: ProviderRouter,
    private readonly costs: CostService,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
  ) {
    const a = options.alerts;
    this.engine = new AlertEngine({
      breachesToFire: a.breachesToFire,
      clearsToResolve: a.clearsToResolve,
      resendIntervalMs: a.resendIntervalSeconds > 0 ? a.resendIntervalSeconds * 1_000 : null,
      historyLimit: a.historyLimit,
    });
    this.dispatcher = new WebhookDispatcher(a.webhooks, {
      queueLimit: a.queueLimit,
      log: { warn: (m) => this.logger.warn(m), error: (m) => this.logger.error(m) },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.close();
  }

  /** One evaluation; `health` is the task's fresh result, or worked out here when asked on demand. */
  async evaluate(health: SystemHealth = this.scorer.calculateHealthStatus()): Promise<AlertNotification[]> {
    const notifications = this.engine.evaluate(this.settings.rules, {
      nowMs: this.options.clock.now(),
      health,
      window: (provider, name) => this.monitor.windowSnapshot(provider, name),
      cacheLevels: this.monitor.getCacheStats().byLevel,
      circuits: this.router.circuitStates().map(({ provider, view }) => ({ provider, state: view.state, reason: view.lastOpenReason, halfOpenAt: view.halfOpenAt })),
      failoversFrom: (provider, windowMs) => this.router.failoversFrom(provider, windowMs),
      costs: (period) => this.costs.report(period).providers,
    });
    for (const n of notifications) {
      const line = `${n.event.toUpperCase()} [${n.alert.severity}] ${n.alert.rule} ${n.alert.subject}: ${n.alert.message}`;
      if (n.event === 'resolved') this.logger.log(line);
      else this.logger.warn(line);
      this.dispatcher.enqueue(n);
      try {
        await this.events.emitAsync(EVENT_NAMES[n.event], n);
      } catch (error) {
        this.logger.error(`A listener of ${EVENT_NAMES[n.event]} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return notifications;
  }

  /** Firing alerts and recent history (newest first), filtered by state, and webhook delivery counts. */
  list(state?: AlertState, limit = 50): AlertListing {
    return {
      active: state === 'resolved' ? [] : this.engine.active().slice(0, limit),
      history: state === 'firing' ? [] : this.engine.history().slice(0, limit),
      delivery: this.dispatcher.stats(),
    };
  }

  /** Resolves when every queued webhook delivery has been tried (tests, shutdown). */
  drain(): Promise<void> {
    return this.dispatcher.drain();
  }
}
