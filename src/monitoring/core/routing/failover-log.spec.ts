import { FailoverLog } from './failover-log';

describe('FailoverLog', () => {
  const t0 = Date.UTC(2026, 0, 1);

  it('counts moves per capability and pair, after a failure or a skip, most first', () => {
    const log = new FailoverLog();
    log.record('stock-quote', 'a', 'b', 'failure', t0);
    log.record('stock-quote', 'a', 'b', 'skip', t0);
    log.record('stock-quote', 'a', 'b', 'skip', t0);
    log.record('crypto-price', 'a', 'b', 'failure', t0);
    log.record('stock-quote', 'b', 'c', 'failure', t0);
    expect(log.counts(t0, 60_000)).toEqual([
      { capability: 'stock-quote', from: 'a', to: 'b', afterFailure: 1, afterSkip: 2, total: 3 },
      { capability: 'crypto-price', from: 'a', to: 'b', afterFailure: 1, afterSkip: 0, total: 1 },
      { capability: 'stock-quote', from: 'b', to: 'c', afterFailure: 1, afterSkip: 0, total: 1 },
    ]);
    expect(log.counts(t0, 60_000, 'crypto-price')).toHaveLength(1);
    expect(log.awayFrom('a', t0, 60_000)).toBe(4);
  });

  it('lets moves leave the window by 10 s buckets, and keeps them all time', () => {
    const log = new FailoverLog();
    log.record('q', 'a', 'b', 'failure', t0);
    log.record('q', 'a', 'b', 'failure', t0 + 50_000);
    expect(log.counts(t0 + 59_999, 60_000)[0].total).toBe(2);
    expect(log.counts(t0 + 60_000, 60_000)[0].total).toBe(1);
    expect(log.counts(t0 + 3_600_000, 60_000)).toEqual([]);
    expect(log.counts(t0 + 3_600_000, null)[0].total).toBe(2);
  });

  it('forgets a bucket an hour old when the ring comes round to it', () => {
    const log = new FailoverLog();
    log.record('q', 'a', 'b', 'skip', t0);
    log.record('q', 'a', 'b', 'skip', t0 + 3_600_000);
    expect(log.counts(t0 + 3_600_000, 3_600_000)[0]).toMatchObject({ afterSkip: 1 });
  });

  it('refuses a window longer than it keeps', () => {
    expect(() => new FailoverLog().counts(t0, 7_200_000)).toThrow(RangeError);
  });
});
