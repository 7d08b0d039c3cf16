import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { dashboardOptionsFromConfig } from './dashboard.config';
import { DASHBOARD_OPTIONS } from './dashboard.constants';
import { DashboardController } from './dashboard.controller';
import { DashboardAssets } from './dashboard-assets.service';
import { DashboardStreamController } from './dashboard-stream.controller';
import { DashboardStreamService } from './dashboard-stream.service';

/**
 * GET /dashboard (a live page) and GET /api/monitoring/stream (its server-sent events). Relies on
 * a global MonitoringModule for PerformanceMonitor, HealthScorer, AlertService and the options,
 * and on the app's global ConfigModule for DASHBOARD_PUSH_SECONDS.
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [DashboardController, DashboardStreamController],
  providers: [
    { provide: DASHBOARD_OPTIONS, useFactory: dashboardOptionsFromConfig, inject: [ConfigService] },
    DashboardAssets,
    DashboardStreamService,
  ],
  exports: [DashboardStreamService],
})
export class MonitoringDashboardModule {}
