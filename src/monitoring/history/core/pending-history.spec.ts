import { AlertRecord } from '../../core/alerts/alert.types';
import { ProviderBucket } from '../history-store';
import { PendingHistory } from './pending-history';

const MINUTE = 60_000;
const row = (minute: number, calls: number, provider = 'p'): ProviderBucket => ({
  provider,
  bucket: minute * MINUTE,
  calls,
  failures: 0,
  timeouts: 0,
  rateLimited: 0,
  latencySumMs: calls * 10,
  latencyMinMs: 10,
  latencyMaxMs: 10,
  bins: [[100, calls]],
});

describe('PendingHistory', () => {
  it('merges deltas of the same provider and minute into one row', () => {
    const pending = new PendingHistory(60, 100);
    pending.addProviderRow(row(1, 2));
    pending.addProviderRow(row(1, 3));
    pending.addProviderRow(row(1, 1, 'q'));
    const batch = pending.drain();
    expect(batch.providerMinutes).toEqual([{ ...row(1, 5), latencySumMs: 50 }, row(1, 1, 'q')]);
    expect(pending.isEmpty).toBe(true);
  });

  it('drops the oldest minute past its bound and counts it', () => {
    const pending = new PendingHistory(2, 100);
    for (const minute of [1, 2, 3]) pending.addProviderRow(row(minute, minute));
    pending.addCacheRow({ level: 'L1', bucket: 3 * MINUTE, hits: 1, misses: 0 });
    expect(pending.minuteCount).toBe(2);
    expect(pending.droppedMinutes).toBe(1);
    expect(pending.drain().providerMinutes.map((r) => r.calls)).toEqual([2, 3]);
  });

  it('takes a batch back merged with what came meanwhile, the newest totals winning', () => {
    const pending = new PendingHistory(60, 100);
    pending.addProviderRow(row(1, 2));
    pending.setTotals({ providers: [], cacheLevels: [{ level: 'old', hits: 0, misses: 0 }] });
    pending.addStatusChange({ at: 1, subject: 'p', previous: 'UNKNOWN', current: 'HEALTHY' });
    const batch = pending.drain();
    pending.addProviderRow(row(1, 3));
    pending.setTotals({ providers: [], cacheLevels: [{ level: 'new', hits: 0, misses: 0 }] });
    pending.addStatusChange({ at: 2, subject: 'p', previous: 'HEALTHY', current: 'DEGRADED' });
    pending.restore(batch);
    const again = pending.drain();
    expect(again.providerMinutes.map((r) => r.calls)).toEqual([5]);
    expect(again.totals?.cacheLevels[0].level).toBe('new');
    expect(again.statusChanges.map((c) => c.at)).toEqual([1, 2]);
  });

  it('keeps one record per alert id and bounds status changes and alerts', () => {
    const pending = new PendingHistory(60, 2);
    const alert = (id: string, state: AlertRecord['state']) => ({ id, state }) as AlertRecord;
    pending.putAlert(alert('a', 'firing'));
    pending.putAlert(alert('a', 'resolved'));
    pending.putAlert(alert('b', 'firing'));
    pending.putAlert(alert('c', 'firing'));
    for (const at of [1, 2, 3]) pending.addStatusChange({ at, subject: 'system', previous: 'UNKNOWN', current: 'HEALTHY' });
    expect(pending.droppedEvents).toBe(2);
    const batch = pending.drain();
    expect(batch.alerts.map((a) => a.id)).toEqual(['b', 'c']);
    expect(batch.statusChanges.map((c) => c.at)).toEqual([2, 3]);
  });
});
