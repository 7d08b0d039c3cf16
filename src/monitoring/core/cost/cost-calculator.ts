import { BillingPeriod, DAY_MS, MonthUsage, periodBounds } from './billing-period';
import { formatMoney } from './money';
import { PricingPlan } from './pricing';

/** Everything the cost of one provider is worked out from. */
export interface CostInputs {
  provider: string;
  plan: PricingPlan | null;
  usage: MonthUsage;
  /** Calls in the last minute, for the per-minute rate limit. */
  callsLastMinute: number;
  /** The current call rate, projected to the end of the period (the service uses the last hour's calls / 60). */
  callsPerMinute: number;
  nowMs: number;
}

export interface QuotaUse {
  limit: number;
  used: number;
  remaining: number;
}

/** Each limit the plan has, with how much of it is used now. */
export interface QuotaState {
  /** The free allowance of the plan's own period (a day or a month), whatever period is reported. */
  freeCalls: (QuotaUse & { per: 'day' | 'month' }) | null;
  perMinute: QuotaUse | null;
  perDay: QuotaUse | null;
}

export interface ProviderCost {
  provider: string;
  /** False: no price list is configured, so calls are counted but cost nothing here. */
  priced: boolean;
  currency: string | null;
  pricePerCall: string | null;
  calls: number;
  /** Calls past the free allowance. */
  billableCalls: number;
  cost: string;
  costMicros: number;
  /** Calls so far plus the current rate (calls per minute) until the end of the period. */
  projectedCalls: number;
  projectedCost: string;
  projectedCostMicros: number;
  /** Cache hits on this provider's data: calls that were not made. */
  callsSaved: number;
  /** What those calls would have cost, free allowance taken into account. */
  savedByCache: string;
  savedByCacheMicros: number;
  quota: QuotaState;
  /** Why a router should not call it now (a limit reached, or the free calls of a free plan spent); null when it may. */
  blockedBy: QuotaBlock | null;
}

export type QuotaBlock = 'rate_limit_per_minute' | 'rate_limit_per_day' | 'free_quota_spent';

export interface CurrencyTotals {
  currency: string;
  calls: number;
  billableCalls: number;
  cost: string;
  projectedCost: string;
  savedByCache: string;
}

export interface CostReport {
  period: BillingPeriod;
  /** Billing periods are UTC calendar days and months. */
  timeZone: 'UTC';
  from: string;
  to: string;
  providers: ProviderCost[];
  /** One entry per currency: amounts in different currencies are never added together. */
  totals: CurrencyTotals[];
}

const sum = (values: ArrayLike<number>, from: number, to: number) => {
  let total = 0;
  for (let i = from; i <= to; i++) total += values[i];
  return total;
};

/**
 * Calls past the free allowance among `days` (calls per day of the month) for `period`. With a
 * daily allowance each day has its own; with a monthly one the month's calls share it, and a
 * day's billable calls are those that took the month past it.
 */
export function billableCalls(days: ArrayLike<number>, today: number, lastDay: number, plan: PricingPlan, period: BillingPeriod): number {
  const [first, last] = period === 'day' ? [today, today] : [0, lastDay];
  const free = plan.freeCalls;
  if (free === 0) return sum(days, first, last);
  if (plan.freePer === 'day') {
    let billable = 0;
    for (let d = first; d <= last; d++) billable += Math.max(0, days[d] - free);
    return billable;
  }
  const before = sum(days, 0, first - 1);
  return Math.max(0, before + sum(days, first, last) - free) - Math.max(0, before - free);
}

/** Each limit of the plan and how much of it is used; cheap (no projection), so routers can ask per request. */
export function quotaState(inputs: Pick<CostInputs, 'plan' | 'usage' | 'callsLastMinute'>): QuotaState {
  const { plan, usage } = inputs;
  if (!plan) return { freeCalls: null, perMinute: null, perDay: null };
  const today = usage.calls[usage.today];
  const use = (limit: number, used: number): QuotaUse => ({ limit, used, remaining: Math.max(0, limit - used) });
  return {
    freeCalls: plan.freeCalls > 0 ? { per: plan.freePer, ...use(plan.freeCalls, plan.freePer === 'day' ? today : sum(usage.calls, 0, usage.today)) } : null,
    perMinute: plan.rateLimitPerMinute === null ? null : use(plan.rateLimitPerMinute, inputs.callsLastMinute),
    perDay: plan.rateLimitPerDay === null ? null : use(plan.rateLimitPerDay, today),
  };
}

/** The first limit that says "do not call now"; a paid plan past its free calls just costs money. */
export function quotaBlock(plan: PricingPlan | null, quota: QuotaState): QuotaBlock | null {
  if (!plan) return null;
  if (quota.perMinute && quota.perMinute.remaining === 0) return 'rate_limit_per_minute';
  if (quota.perDay && quota.perDay.remaining === 0) return 'rate_limit_per_day';
  if (plan.pricePerCallMicros === 0 && quota.freeCalls && quota.freeCalls.remaining === 0) return 'free_quota_spent';
  return null;
}

/** Calls per day as they will be at the end of `period` if the current rate holds. */
function projectedDays(inputs: CostInputs, period: BillingPeriod): Float64Array {
  const { usage, nowMs } = inputs;
  const days = Float64Array.from(usage.calls.subarray(0, usage.daysInMonth));
  const rate = Math.max(0, inputs.callsPerMinute);
  const todayEnd = usage.monthStartMs + (usage.today + 1) * DAY_MS;
  days[usage.today] += Math.round((rate * Math.max(0, todayEnd - nowMs)) / 60_000);
  if (period === 'month') for (let d = usage.today + 1; d < usage.daysInMonth; d++) days[d] = Math.round(rate * 1_440);
  return days;
}

export function providerCost(period: BillingPeriod, inputs: CostInputs): ProviderCost {
  const { plan, usage, provider } = inputs;
  const [first, last] = period === 'day' ? [usage.today, usage.today] : [0, usage.daysInMonth - 1];
  const calls = sum(usage.calls, first, Math.min(last, usage.today));
  const hits = sum(usage.cacheHits, first, Math.min(last, usage.today));
  const projected = projectedDays(inputs, period);
  const projectedCalls = sum(projected, first, last);
  const quota = quotaState(inputs);
  if (!plan) {
    return {
      provider,
      priced: false,
      currency: null,
      pricePerCall: null,
      calls,
      billableCalls: 0,
      cost: formatMoney(0),
      costMicros: 0,
      projectedCalls,
      projectedCost: formatMoney(0),
      projectedCostMicros: 0,
      callsSaved: hits,
      savedByCache: formatMoney(0),
      savedByCacheMicros: 0,
      quota,
      blockedBy: null,
    };
  }
  const lastDay = usage.daysInMonth - 1;
  const billable = billableCalls(usage.calls, usage.today, lastDay, plan, period);
  const withHits = Float64Array.from(usage.calls, (c, d) => c + usage.cacheHits[d]);
  const billableWithHits = billableCalls(withHits, usage.today, lastDay, plan, period);
  const price = plan.pricePerCallMicros;
  const costMicros = billable * price;
  const projectedCostMicros = billableCalls(projected, usage.today, lastDay, plan, period) * price;
  const savedByCacheMicros = (billableWithHits - billable) * price;
  return {
    provider,
    priced: true,
    currency: plan.currency,
    pricePerCall: formatMoney(price),
    calls,
    billableCalls: billable,
    cost: formatMoney(costMicros),
    costMicros,
    projectedCalls,
    projectedCost: formatMoney(projectedCostMicros),
    projectedCostMicros,
    callsSaved: hits,
    savedByCache: formatMoney(savedByCacheMicros),
    savedByCacheMicros,
    quota,
    blockedBy: quotaBlock(plan, quota),
  };
}

/** Per-provider costs and totals per currency, for one period containing `nowMs`. */
export function costReport(period: BillingPeriod, nowMs: number, providers: readonly ProviderCost[]): CostReport {
  const byCurrency = new Map<string, { calls: number; billable: number; cost: number; projected: number; saved: number }>();
  for (const p of providers) {
    if (p.currency === null) continue;
    const t = byCurrency.get(p.currency) ?? { calls: 0, billable: 0, cost: 0, projected: 0, saved: 0 };
    t.calls += p.calls;
    t.billable += p.billableCalls;
    t.cost += p.costMicros;
    t.projected += p.projectedCostMicros;
    t.saved += p.savedByCacheMicros;
    byCurrency.set(p.currency, t);
  }
  const { startMs, endMs } = periodBounds(period, nowMs);
  return {
    period,
    timeZone: 'UTC',
    from: new Date(startMs).toISOString(),
    to: new Date(endMs).toISOString(),
    providers: [...providers],
    totals: [...byCurrency].map(([currency, t]) => ({
      currency,
      calls: t.calls,
      billableCalls: t.billable,
      cost: formatMoney(t.cost),
      projectedCost: formatMoney(t.projected),
      savedByCache: formatMoney(t.saved),
    })),
  };
}
