import { MICROS_PER_UNIT, parseMoney } from './money';

/** A provider's price list as configured: any part may be left out. */
export interface PricingInput {
  /** Per call, as a decimal string ("0.0004") or a number; at most six decimals. Default 0. */
  pricePerCall?: string | number;
  /** ISO 4217 code, e.g. USD. Default USD. */
  currency?: string;
  /** Calls per UTC day that cost nothing. At most one of freeCallsPerDay and freeCallsPerMonth. */
  freeCallsPerDay?: number;
  /** Calls per UTC month that cost nothing. */
  freeCallsPerMonth?: number;
  /** The provider refuses calls past this many in a minute. */
  rateLimitPerMinute?: number;
  /** The provider refuses calls past this many in a UTC day. */
  rateLimitPerDay?: number;
}

/** A checked price list; money in micro-units. */
export interface PricingPlan {
  pricePerCallMicros: number;
  currency: string;
  /** 0 when the plan has no free calls. */
  freeCalls: number;
  freePer: 'day' | 'month';
  rateLimitPerMinute: number | null;
  rateLimitPerDay: number | null;
}

const FIELDS: readonly (keyof PricingInput)[] = ['pricePerCall', 'currency', 'freeCallsPerDay', 'freeCallsPerMonth', 'rateLimitPerMinute', 'rateLimitPerDay'];
const MAX_COUNT = 1_000_000_000;
/** More providers than any app calls: a typo'd map of ids should not become a price list. */
export const MAX_PRICED_PROVIDERS = 1_000;

const count = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_COUNT;

/**
 * Checks a price list per provider; every problem names its field, e.g.
 * `pricing.finnhub.pricePerCall must be ...`. Returns the plans only when there is no problem.
 */
export function resolvePricing(input: Record<string, PricingInput>, path = 'pricing'): { plans: Map<string, PricingPlan>; problems: string[] } {
  const problems: string[] = [];
  const plans = new Map<string, PricingPlan>();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { plans, problems: [`${path} must be an object of provider name to price list`] };
  const entries = Object.entries(input);
  if (entries.length > MAX_PRICED_PROVIDERS) return { plans, problems: [`${path} must price at most ${MAX_PRICED_PROVIDERS} providers`] };
  for (const [provider, plan] of entries) {
    const at = `${path}.${provider}`;
    if (provider.length === 0 || provider.length > 128) problems.push(`${at}: a provider name must be 1 to 128 characters`);
    if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) {
      problems.push(`${at} must be an object with ${FIELDS.join(', ')}`);
      continue;
    }
    for (const field of Object.keys(plan)) if (!FIELDS.includes(field as keyof PricingInput)) problems.push(`${at}.${field} is not a pricing setting (expected ${FIELDS.join(', ')})`);
    const price = plan.pricePerCall === undefined ? 0 : parseMoney(plan.pricePerCall);
    if (price === null || price > 1_000 * MICROS_PER_UNIT) problems.push(`${at}.pricePerCall must be a decimal from 0 to 1000 with at most 6 decimals, e.g. "0.0004"`);
    const currency = plan.currency ?? 'USD';
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) problems.push(`${at}.currency must be a 3-letter ISO 4217 code in capitals, e.g. USD`);
    for (const field of ['freeCallsPerDay', 'freeCallsPerMonth', 'rateLimitPerMinute', 'rateLimitPerDay'] as const) {
      if (plan[field] !== undefined && !count(plan[field])) problems.push(`${at}.${field} must be an integer from 1 to ${MAX_COUNT}`);
    }
    if (plan.freeCallsPerDay !== undefined && plan.freeCallsPerMonth !== undefined) {
      problems.push(`${at}: set freeCallsPerDay or freeCallsPerMonth, not both`);
    }
    if (plan.rateLimitPerMinute !== undefined && plan.rateLimitPerDay !== undefined && count(plan.rateLimitPerMinute) && count(plan.rateLimitPerDay)) {
      if (plan.rateLimitPerMinute > plan.rateLimitPerDay) problems.push(`${at}.rateLimitPerMinute (${plan.rateLimitPerMinute}) must not be above rateLimitPerDay (${plan.rateLimitPerDay})`);
    }
    if (problems.length > 0) continue;
    plans.set(provider, {
      pricePerCallMicros: price!,
      currency,
      freeCalls: plan.freeCallsPerDay ?? plan.freeCallsPerMonth ?? 0,
      freePer: plan.freeCallsPerMonth !== undefined ? 'month' : 'day',
      rateLimitPerMinute: plan.rateLimitPerMinute ?? null,
      rateLimitPerDay: plan.rateLimitPerDay ?? null,
    });
  }
  return { plans: problems.length === 0 ? plans : new Map(), problems };
}
