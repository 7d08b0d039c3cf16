import type { AlertRecord } from '../core/alerts/alert.types';
import type { HealthStatus } from '../core/health-evaluator';
import type { RestorableTotals } from '../core/provider-stats';
import type { ProviderDelta } from './core/delta-tracker';

export const HISTORY_RESOLUTIONS = ['minute', 'hour', 'day'] as const;
export type HistoryResolution = (typeof HISTORY_RESOLUTIONS)[number];

/** One provider's calls in one time bucket: what a flush adds, and what a query reads back. */
export interface ProviderBucket extends ProviderDelta {
  /** Epoch milliseconds of the bucket's start; buckets are aligned on UTC minutes, hours and days. */
  bucket: number;
}

/** Cache lookups at one level in one time bucket. */
export interface CacheBucket {
  level: string;
  bucket: number;
  hits: number;
  misses: number;
}

export interface SavedProviderTotals extends RestorableTotals {
  provider: string;
}

export interface SavedCacheTotals {
  level: string;
  hits: number;
  misses: number;
}

export interface SavedTotals {
  providers: SavedProviderTotals[];
  cacheLevels: SavedCacheTotals[];
}

/** A health status change; `subject` is a provider name, or `system` for the system status. */
export interface StatusChange {
  at: number;
  subject: string;
  previous: HealthStatus;
  current: HealthStatus;
}

/** Everything one flush writes, in one transaction. */
export interface HistoryBatch {
  /** Added to the rows of their minute (counts summed, histograms merged, min of mins, max of maxes). */
  providerMinutes: ProviderBucket[];
  cacheMinutes: CacheBucket[];
  /** The all-time totals now. They replace the stored ones whole, so a reset is a reset after a restart too; null leaves them as they are. */
  totals: SavedTotals | null;
  statusChanges: StatusChange[];
  /** Stored by id: a resolved record replaces the firing one. */
  alerts: AlertRecord[];
}

/** How long rows of each resolution are kept, in milliseconds. */
export interface HistoryRetention {
  minuteMs: number;
  hourMs: number;
  dayMs: number;
  /** Status changes and alerts. */
  eventMs: number;
}

export interface CompactionResult {
  /** Minute rows folded into hour rows, and hour rows into day rows. */
  rolledUp: number;
  /** Rows of every kind deleted for being older than their retention. */
  pruned: number;
}

export interface HistoryRowCounts {
  providerMinutes: number;
  providerHours: number;
  providerDays: number;
  cacheMinutes: number;
  cacheHours: number;
  cacheDays: number;
  providerTotals: number;
  cacheTotals: number;
  statusChanges: number;
  alerts: number;
}

/**
 * Where monitoring history lives. SqliteHistoryStore is the embedded implementation; a shared
 * one (PostgreSQL, for several instances writing one history) implements this same interface
 * and is handed to MonitoringHistoryModule through HISTORY_STORE_FACTORY. Every method is
 * asynchronous for that reason, although SQLite answers synchronously.
 *
 * Reads return only non-empty buckets, each already summed to the asked resolution; how the
 * store gets there (rolled-up tables, finer rows not rolled up yet) is its own business.
 */
export interface HistoryStore {
  /** Short name of the engine, shown by the status endpoint (e.g. `sqlite`). */
  readonly kind: string;
  /** File path or connection target without credentials. */
  readonly location: string;
  /** Writes a batch whole or not at all; on a rejection nothing of it is stored and it can be sent again. */
  writeBatch(batch: HistoryBatch): Promise<void>;
  loadTotals(): Promise<SavedTotals>;
  providerSeries(provider: string, resolution: HistoryResolution, fromMs: number, toMs: number): Promise<ProviderBucket[]>;
  /** `level` null sums every level. */
  cacheSeries(level: string | null, resolution: HistoryResolution, fromMs: number, toMs: number): Promise<CacheBucket[]>;
  /** Oldest first, at most `limit`. */
  statusChanges(fromMs: number, toMs: number, limit: number): Promise<StatusChange[]>;
  /** Alerts that were firing at some point in the range, oldest start first, at most `limit`. */
  alerts(fromMs: number, toMs: number, limit: number): Promise<AlertRecord[]>;
  /** True when any row or saved total names this provider. */
  knowsProvider(provider: string): Promise<boolean>;
  /** Rolls complete minutes into hours and complete days' hours into days, then prunes expired rows. */
  compact(nowMs: number, retention: HistoryRetention): Promise<CompactionResult>;
  rowCounts(): Promise<HistoryRowCounts>;
  close(): Promise<void>;
}
