import { Module } from '@nestjs/common';
import { MonitoringModuleOptions, MonitoringOptions, resolveMonitoringOptions } from './core/monitoring-options';
import { ApiKeyGuard } from './api-key.guard';
import { HealthCheckTask } from './health-check.task';
import { AlertService } from './alerts/alert.service';
import { HealthScorer } from './health-scorer.service';
import { MonitoringSettings } from './monitoring-settings.service';
import { JsonResponseCache } from './json-response.cache';
import { MONITORING_OPTIONS, PROMETHEUS_REGISTRY } from './monitoring.constants';
import { MonitoringController } from './monitoring.controller';
import { ConfigurableMonitoringModule, MONITORING_MODULE_OPTIONS } from './monitoring.module-definition';
import { PerformanceMonitor } from './performance-monitor.service';
import { CostService } from './cost/cost.service';
import { ProviderRouter } from './routing/provider-router.service';
import { RoutingController } from './routing/routing.controller';
import { MetricsController } from './prometheus/metrics.controller';
import { createMonitoringRegistry } from './prometheus/monitoring-collector';

/**
 * Watches an app's provider calls and cache lookups. Import it with forRoot(options) or
 * forRootAsync({ imports, useFactory, inject }); the host app imports ScheduleModule.forRoot()
 * and EventEmitterModule.forRoot() once for the whole app.
 */
@Module({
  controllers: [MonitoringController, RoutingController, MetricsController],
  providers: [
    {
      provide: MONITORING_OPTIONS,
      useFactory: (options: MonitoringModuleOptions) => resolveMonitoringOptions(options),
      inject: [MONITORING_MODULE_OPTIONS],
    },
    PerformanceMonitor,
    HealthScorer,
    {
      provide: PROMETHEUS_REGISTRY,
      useFactory: (monitor: PerformanceMonitor, scorer: HealthScorer, options: MonitoringOptions, router: ProviderRouter) =>
        createMonitoringRegistry(monitor, scorer, options.prometheus, router),
      inject: [PerformanceMonitor, HealthScorer, MONITORING_OPTIONS, ProviderRouter],
    },
    HealthCheckTask,
    MonitoringSettings,
    AlertService,
    CostService,
    ProviderRouter,
    ApiKeyGuard,
    JsonResponseCache,
  ],
  exports: [PerformanceMonitor, HealthScorer, HealthCheckTask, AlertService, MonitoringSettings, CostService, ProviderRouter, MONITORING_OPTIONS, PROMETHEUS_REGISTRY],
})
export class MonitoringModule extends ConfigurableMonitoringModule {}
