import type { AlertRecord } from '../../core/alerts/alert.types';
import type { CacheBucket, HistoryBatch, ProviderBucket, SavedTotals, StatusChange } from '../history-store';
import { mergeCacheBuckets, mergeProviderBuckets } from './history-buckets';

const key = (bucket: number, name: string) => `${bucket}\u0000${name}`;

/**
 * What is collected but not stored yet: the deltas of each minute (merged, so a minute is one
 * row per provider however many flushes failed), the latest totals, status changes and alerts.
 * Bounded while the database cannot be written: past `maxMinutes` distinct minutes the oldest
 * minute is dropped, past `maxEvents` the oldest status change; both are counted.
 */
export class PendingHistory {
  private providerRows = new Map<string, ProviderBucket>();
  private cacheRows = new Map<string, CacheBucket>();
  /** Rows per minute, to find and drop the oldest minute. */
  private minutes = new Map<number, number>();
  private totals: SavedTotals | null = null;
  private statusChanges: StatusChange[] = [];
  private alerts = new Map<string, AlertRecord>();
  droppedMinutes = 0;
  droppedEvents = 0;

  constructor(
    private readonly maxMinutes: number,
    private readonly maxEvents: number,
  ) {}

  get minuteCount(): number {
    return this.minutes.size;
  }

  get eventCount(): number {
    return this.statusChanges.length + this.alerts.size;
  }

  get isEmpty(): boolean {
    return this.minutes.size === 0 && this.totals === null && this.eventCount === 0;
  }

  addProviderRow(row: ProviderBucket): void {
    const k = key(row.bucket, row.provider);
    const existing = this.providerRows.get(k);
    if (existing) {
      this.providerRows.set(k, mergeProviderBuckets(existing, row));
      return;
    }
    this.providerRows.set(k, row);
    this.countRow(row.bucket);
  }

  addCacheRow(row: CacheBucket): void {
    const k = key(row.bucket, row.level);
    const existing = this.cacheRows.get(k);
    if (existing) {
      this.cacheRows.set(k, mergeCacheBuckets(existing, row));
      return;
    }
    this.cacheRows.set(k, row);
    this.countRow(row.bucket);
  }

  /** Only the newest totals matter: they replace the stored ones whole. */
  setTotals(totals: SavedTotals): void {
    this.totals = totals;
  }

  addStatusChange(change: StatusChange): void {
    this.statusChanges.push(change);
    if (this.statusChanges.length > this.maxEvents) {
      this.statusChanges.shift();
      this.droppedEvents++;
    }
  }

  /** Keyed by id: a resolved record replaces its firing one. */
  putAlert(alert: AlertRecord): void {
    this.alerts.delete(alert.id); // re-inserted last, so the oldest alert is first to go
    this.alerts.set(alert.id, alert);
    if (this.alerts.size > this.maxEvents) {
      this.alerts.delete(this.alerts.keys().next().value!);
      this.droppedEvents++;
    }
  }

  /** Takes everything out as one batch; give it back with restore() if it could not be written. */
  drain(): HistoryBatch {
    const batch: HistoryBatch = {
      providerMinutes: [...this.providerRows.values()],
      cacheMinutes: [...this.cacheRows.values()],
      totals: this.totals,
      statusChanges: this.statusChanges,
      alerts: [...this.alerts.values()],
    };
    this.providerRows = new Map();
    this.cacheRows = new Map();
    this.minutes = new Map();
    this.totals = null;
    this.statusChanges = [];
    this.alerts = new Map();
    return batch;
  }

  /** Puts an unwritten batch back, merged with whatever was collected meanwhile. */
  restore(batch: HistoryBatch): void {
    const newerTotals = this.totals;
    const newerChanges = this.statusChanges;
    const newerAlerts = [...this.alerts.values()];
    this.statusChanges = [];
    this.alerts = new Map();
    for (const row of batch.providerMinutes) this.addProviderRow(row);
    for (const row of batch.cacheMinutes) this.addCacheRow(row);
    this.totals = newerTotals ?? batch.totals;
    for (const change of [...batch.statusChanges, ...newerChanges]) this.addStatusChange(change);
    for (const alert of [...batch.alerts, ...newerAlerts]) this.putAlert(alert);
  }

  private countRow(bucket: number): void {
    this.minutes.set(bucket, (this.minutes.get(bucket) ?? 0) + 1);
    if (this.minutes.size <= this.maxMinutes) return;
    const oldest = Math.min(...this.minutes.keys());
    this.minutes.delete(oldest);
    this.droppedMinutes++;
    for (const [k, row] of this.providerRows) if (row.bucket === oldest) this.providerRows.delete(k);
    for (const [k, row] of this.cacheRows) if (row.bucket === oldest) this.cacheRows.delete(k);
  }
}
