import { Module } from '@nestjs/common';
import { MonitoringModuleOptions, resolveMonitoringOptions } from './core/monitoring-options';
import { ApiKeyGuard } from './api-key.guard';
import { HealthCheckTask } from './health-check.task';
import { HealthScorer } from './health-scorer.service';
import { MONITORING_OPTIONS } from './monitoring.constants';
import { MonitoringController } from './monitoring.controller';
import { ConfigurableMonitoringModule, MONITORING_MODULE_OPTIONS } from './monitoring.module-definition';
import { PerformanceMonitor } from './performance-monitor.service';

/**
 * Watches an app's provider calls and cache lookups. Import it with forRoot(options) or
 * forRootAsync({ imports, useFactory, inject }); the host app imports ScheduleModule.forRoot()
 * and EventEmitterModule.forRoot() once for the whole app.
 */
@Module({
  controllers: [MonitoringController],
  providers: [
    {
      provide: MONITORING_OPTIONS,
      useFactory: (options: MonitoringModuleOptions) => resolveMonitoringOptions(options),
      inject: [MONITORING_MODULE_OPTIONS],
    },
    PerformanceMonitor,
    HealthScorer,
    HealthCheckTask,
    ApiKeyGuard,
  ],
  exports: [PerformanceMonitor, HealthScorer, HealthCheckTask, MONITORING_OPTIONS],
})
export class MonitoringModule extends ConfigurableMonitoringModule {}
