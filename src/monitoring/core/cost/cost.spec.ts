import { MonthCounters, periodBounds, utcMonthStart } from './billing-period';
import { billableCalls, costReport, providerCost, CostInputs } from './cost-calculator';
import { formatMoney, parseMoney } from './money';
import { PricingPlan, resolvePricing } from './pricing';

const at = (iso: string) => Date.parse(iso);

describe('money in micro-units', () => {
  it.each([
    ['0.0004', 400],
    [0.0004, 400],
    ['12', 12_000_000],
    [0.1, 100_000],
    ['1.000001', 1_000_001],
    [0, 0],
  ])('reads %p as %p micro-units', (input, micros) => {
    expect(parseMoney(input)).toBe(micros);
  });

  it.each(['-1', -0.5, 1e-7, '1.2345678', 'abc', '', NaN, Infinity, null, '1e3', '0x10'])('refuses %p', (input) => {
    expect(parseMoney(input)).toBeNull();
  });

  it('adds without floating drift', () => {
    expect(formatMoney(parseMoney('0.1')! + parseMoney('0.2')!)).toBe('0.30');
    expect(formatMoney(parseMoney('0.0004')! * 1_000_000)).toBe('400.00');
  });

  it.each([
    [52_000, '0.052'],
    [0, '0.00'],
    [1_500_000, '1.50'],
    [1, '0.000001'],
    [123_456_789, '123.456789'],
  ])('formats %p micro-units as %p', (micros, text) => {
    expect(formatMoney(micros)).toBe(text);
  });
});

describe('resolvePricing', () => {
  it('turns a price list into a plan with defaults', () => {
    const { plans, problems } = resolvePricing({ finnhub: { pricePerCall: '0.0005', rateLimitPerMinute: 60 }, free: {} });
    expect(problems).toEqual([]);
    expect(plans.get('finnhub')).toEqual({ pricePerCallMicros: 500, currency: 'USD', freeCalls: 0, freePer: 'day', rateLimitPerMinute: 60, rateLimitPerDay: null });
    expect(plans.get('free')).toMatchObject({ pricePerCallMicros: 0, currency: 'USD' });
  });

  it('names every bad field and keeps no plan', () => {
    const { plans, problems } = resolvePricing({
      a: { pricePerCall: -1, currency: 'usd', freeCallsPerDay: 10, freeCallsPerMonth: 100 },
      b: { rateLimitPerMinute: 100, rateLimitPerDay: 10, price: 1 } as never,
      c: 'cheap' as never,
    });
    expect(plans.size).toBe(0);
    expect(problems).toEqual([
      'pricing.a.pricePerCall must be a decimal from 0 to 1000 with at most 6 decimals, e.g. "0.0004"',
      'pricing.a.currency must be a 3-letter ISO 4217 code in capitals, e.g. USD',
      'pricing.a: set freeCallsPerDay or freeCallsPerMonth, not both',
      'pricing.b.price is not a pricing setting (expected pricePerCall, currency, freeCallsPerDay, freeCallsPerMonth, rateLimitPerMinute, rateLimitPerDay)',
      'pricing.b.rateLimitPerMinute (100) must not be above rateLimitPerDay (10)',
      'pricing.c must be an object with pricePerCall, currency, freeCallsPerDay, freeCallsPerMonth, rateLimitPerMinute, rateLimitPerDay',
    ]);
  });

  it.each([0, 1.5, -3, '10'])('refuses freeCallsPerDay %p', (value) => {
    expect(resolvePricing({ p: { freeCallsPerDay: value as number } }).problems).toEqual(['pricing.p.freeCallsPerDay must be an integer from 1 to 1000000000']);
  });
});

describe('MonthCounters (UTC days and months)', () => {
  it('counts per day and starts a new month at 00:00 UTC on the 1st', () => {
    const counters = new MonthCounters();
    counters.addCall(at('2026-01-31T23:59:59.999Z'));
    counters.addCall(at('2026-01-31T23:59:59.999Z'));
    counters.addCacheHit(at('2026-01-31T10:00:00Z'));
    const january = counters.usage(at('2026-01-31T23:59:59.999Z'));
    expect({ today: january.today, days: january.daysInMonth, calls: january.calls[30], hits: january.cacheHits[30] }).toEqual({ today: 30, days: 31, calls: 2, hits: 1 });

    counters.addCall(at('2026-02-01T00:00:00Z'));
    const february = counters.usage(at('2026-02-01T00:00:00Z'));
    expect(february.monthStartMs).toBe(at('2026-02-01T00:00:00Z'));
    expect({ today: february.today, days: february.daysInMonth }).toEqual({ today: 0, days: 28 });
    expect(Array.from(february.calls).reduce((a, b) => a + b)).toBe(1);
    expect(february.cacheHits[30]).toBe(0);
  });

  it('reads a month that ended with no call since as empty', () => {
    const counters = new MonthCounters();
    counters.addCall(at('2026-03-10T12:00:00Z'));
    const april = counters.usage(at('2026-04-02T00:00:00Z'));
    expect(Array.from(april.calls).every((c) => c === 0)).toBe(true);
    expect(april.today).toBe(1);
  });

  it('restores counts saved in the same month only', () => {
    const first = new MonthCounters();
    first.addCall(at('2028-02-28T09:00:00Z'));
    first.addCall(at('2028-02-29T09:00:00Z'));
    const saved = first.save(at('2028-02-29T10:00:00Z'));
    expect(saved).toEqual({ monthStartMs: at('2028-02-01T00:00:00Z'), calls: [...Array(27).fill(0), 1, 1], cacheHits: Array(29).fill(0) });

    const sameMonth = new MonthCounters();
    sameMonth.addCall(at('2028-02-29T11:00:00Z'));
    sameMonth.restore(saved, at('2028-02-29T11:00:00Z'));
    expect(Array.from(sameMonth.usage(at('2028-02-29T11:00:00Z')).calls.subarray(27, 29))).toEqual([1, 2]);

    const nextMonth = new MonthCounters();
    nextMonth.restore(saved, at('2028-03-01T00:00:00Z'));
    expect(Array.from(nextMonth.usage(at('2028-03-01T00:00:00Z')).calls).every((c) => c === 0)).toBe(true);
  });

  it('gives the bounds of a period in UTC', () => {
    expect(periodBounds('month', at('2026-12-31T23:00:00Z'))).toEqual({ startMs: at('2026-12-01T00:00:00Z'), endMs: at('2027-01-01T00:00:00Z') });
    expect(periodBounds('day', at('2026-12-31T23:00:00Z'))).toEqual({ startMs: at('2026-12-31T00:00:00Z'), endMs: at('2027-01-01T00:00:00Z') });
    expect(utcMonthStart(at('2026-03-01T00:00:00Z'))).toBe(at('2026-03-01T00:00:00Z'));
  });
});

const plan = (p: Partial<PricingPlan>): PricingPlan => ({ pricePerCallMicros: 0, currency: 'USD', freeCalls: 0, freePer: 'day', rateLimitPerMinute: null, rateLimitPerDay: null, ...p });

/** January 2026 with `calls` and `hits` on its first days; `now` is on the last of those days. */
function inputs(calls: number[], hits: number[], p: PricingPlan | null, now: string, extra: Partial<CostInputs> = {}): CostInputs {
  const counters = new MonthCounters();
  const nowMs = at(now);
  counters.usage(nowMs);
  const usage = counters.usage(nowMs);
  calls.forEach((c, d) => (usage.calls[d] = c));
  hits.forEach((h, d) => (usage.cacheHits[d] = h));
  return { provider: 'p', plan: p, usage, callsLastMinute: 0, callsPerMinute: 0, nowMs, ...extra };
}

describe('billable calls', () => {
  const days = [30, 10, 40];
  it('gives each day its own daily allowance', () => {
    const daily = plan({ freeCalls: 25, freePer: 'day' });
    expect(billableCalls(days, 2, 30, daily, 'day')).toBe(15);
    expect(billableCalls(days.concat(Array(28).fill(0)), 2, 30, daily, 'month')).toBe(5 + 0 + 15);
  });

  it('shares a monthly allowance across the month, and bills a day for what took the month past it', () => {
    const monthly = plan({ freeCalls: 1_000, freePer: 'month' });
    const month = [600, 500, 200, ...Array(28).fill(0)];
    expect(billableCalls(month, 2, 30, monthly, 'month')).toBe(300);
    expect(billableCalls(month, 2, 30, monthly, 'day')).toBe(200);
    expect(billableCalls(month, 1, 30, monthly, 'day')).toBe(100);
    expect(billableCalls(month, 0, 30, monthly, 'day')).toBe(0);
  });
});

describe('providerCost', () => {
  // A worked example, by hand: 0.0004 per call, 1,000 free calls a month, 10 calls a minute now.
  const monthly = plan({ pricePerCallMicros: 400, freeCalls: 1_000, freePer: 'month' });
  const noon = '2026-01-03T12:00:00Z';

  it('costs the month: 1,300 calls, 300 past the allowance, 0.12', () => {
    const cost = providerCost('month', inputs([600, 500, 200], [0, 0, 50], monthly, noon, { callsPerMinute: 10 }));
    expect(cost).toMatchObject({ calls: 1_300, billableCalls: 300, cost: '0.12', costMicros: 120_000, callsSaved: 50, priced: true, currency: 'USD', pricePerCall: '0.0004' });
    // 12 h left today at 10/min is 7,200 calls, then 28 days of 14,400: 411,700 calls, 410,700 billable.
    expect(cost).toMatchObject({ projectedCalls: 411_700, projectedCost: '164.28' });
    // 50 hits would have been 50 billable calls, the allowance being spent.
    expect(cost.savedByCache).toBe('0.02');
    expect(cost.quota.freeCalls).toEqual({ per: 'month', limit: 1_000, used: 1_300, remaining: 0 });
  });

  it('costs the day: 200 calls today, all past the allowance, 0.08', () => {
    const cost = providerCost('day', inputs([600, 500, 200], [0, 0, 50], monthly, noon, { callsPerMinute: 10 }));
    expect(cost).toMatchObject({ calls: 200, billableCalls: 200, cost: '0.08', projectedCalls: 7_400, projectedCost: '2.96', savedByCache: '0.02' });
  });

  it('saves nothing in money while the cache only spares free calls', () => {
    const cost = providerCost('month', inputs([100], [50], monthly, '2026-01-01T12:00:00Z'));
    expect(cost).toMatchObject({ calls: 100, billableCalls: 0, cost: '0.00', callsSaved: 50, savedByCache: '0.00' });
  });

  it('blocks a free plan whose free calls are spent, and any plan at a rate limit; a paid plan just pays', () => {
    const freeOnly = plan({ freeCalls: 25, freePer: 'day' });
    expect(providerCost('day', inputs([25], [], freeOnly, '2026-01-01T12:00:00Z')).blockedBy).toBe('free_quota_spent');
    expect(providerCost('day', inputs([24], [], freeOnly, '2026-01-01T12:00:00Z')).blockedBy).toBeNull();
    expect(providerCost('day', inputs([25], [], plan({ ...freeOnly, pricePerCallMicros: 1 }), '2026-01-01T12:00:00Z')).blockedBy).toBeNull();
    const limited = plan({ rateLimitPerMinute: 60, rateLimitPerDay: 500 });
    expect(providerCost('day', inputs([10], [], limited, '2026-01-01T12:00:00Z', { callsLastMinute: 60 })).blockedBy).toBe('rate_limit_per_minute');
    const perDay = providerCost('day', inputs([500], [], limited, '2026-01-01T12:00:00Z', { callsLastMinute: 1 }));
    expect(perDay.blockedBy).toBe('rate_limit_per_day');
    expect(perDay.quota).toEqual({ freeCalls: null, perMinute: { limit: 60, used: 1, remaining: 59 }, perDay: { limit: 500, used: 500, remaining: 0 } });
  });

  it('counts an unpriced provider without costing it', () => {
    const cost = providerCost('month', inputs([7], [3], null, '2026-01-01T12:00:00Z'));
    expect(cost).toMatchObject({ priced: false, currency: null, calls: 7, callsSaved: 3, cost: '0.00', blockedBy: null });
  });

  it('totals per currency, never across currencies', () => {
    const usd = providerCost('month', inputs([1_000], [], plan({ pricePerCallMicros: 100_000 }), '2026-01-01T12:00:00Z'));
    const usd2 = providerCost('month', inputs([3], [], plan({ pricePerCallMicros: 200_000 }), '2026-01-01T12:00:00Z'));
    const eur = providerCost('month', inputs([2], [], plan({ pricePerCallMicros: 500_000, currency: 'EUR' }), '2026-01-01T12:00:00Z'));
    const report = costReport('month', at('2026-01-01T12:00:00Z'), [usd, usd2, eur]);
    expect(report).toMatchObject({ period: 'month', timeZone: 'UTC', from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' });
    expect(report.totals).toEqual([
      { currency: 'USD', calls: 1_003, billableCalls: 1_003, cost: '100.60', projectedCost: '100.60', savedByCache: '0.00' },
      { currency: 'EUR', calls: 2, billableCalls: 2, cost: '1.00', projectedCost: '1.00', savedByCache: '0.00' },
    ]);
  });
});
