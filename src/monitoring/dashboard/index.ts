export { MonitoringDashboardModule } from './dashboard.module';
export { DashboardStreamService } from './dashboard-stream.service';
export { DASHBOARD_DEFAULTS } from './dashboard.constants';
export type { DashboardOptions } from './dashboard.constants';
export type { DashboardSnapshot } from './dashboard-snapshot';
