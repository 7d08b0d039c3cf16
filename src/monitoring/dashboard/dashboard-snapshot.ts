import type { AlertRecord } from '../core/alerts/alert.types';
import type { SystemHealth } from '../core/health-evaluator';
import type { CacheCounts, ProviderMetrics } from '../core/provider-stats';

/** What the stream pushes as a `snapshot` event: everything the dashboard shows at one instant. */
export interface DashboardSnapshot {
  at: string;
  health: SystemHealth;
  /** Every provider over the 5 minute window. */
  providers: readonly ProviderMetrics[];
  /** Firing alerts, newest first. */
  alerts: AlertRecord[];
  /** All-time hits and misses per cache level: the page turns the deltas into a live hit-rate series. */
  cache: Record<string, CacheCounts>;
  uptimeSeconds: number;
}
