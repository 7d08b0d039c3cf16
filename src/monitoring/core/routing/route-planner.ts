import type { QuotaBlock } from '../cost/cost-calculator';
import type { CircuitState } from './circuit-breaker';

export const ROUTING_STRATEGIES = ['priority', 'fastest', 'cheapest', 'healthiest'] as const;
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number];

/** What the planner knows about one candidate when a request arrives. */
export interface Candidate {
  provider: string;
  /** Position in the configured order: the tie-breaker of every strategy. */
  priority: number;
  /** Health score 0-100 over the health window; null with no calls in it. */
  score: number | null;
  p95LatencyMs: number | null;
  /** What the next call costs in micro-units (0 while free calls remain); null when no price is configured. */
  nextCallMicros: number | null;
  circuit: CircuitState;
  /** Failures in a row of the calls routed to it (in any circuit state): a provider failing right now has a streak. */
  consecutiveFailures: number;
  /** Whether the circuit lets a call through now (a half-open circuit only while probe slots are free). */
  circuitAdmits: boolean;
  /** A quota or rate limit that says "do not call now", or null. */
  quotaBlock: QuotaBlock | null;
}

export type SkipReason = 'circuit_open' | 'probes_busy' | QuotaBlock;

export interface RoutePlan {
  strategy: RoutingStrategy;
  /** Every candidate in the strategy's order, as if all were fine. */
  ranked: string[];
  /** The providers to try, in order. */
  attempts: string[];
  /** Left out of `attempts`, or (when degraded) why each attempt is forced. */
  skipped: { provider: string; reason: SkipReason }[];
  /** True when no candidate could be called normally: all are tried anyway, least bad first. */
  degraded: boolean;
}

/** Nulls (no data, no price) sort after every known value. */
const ascending = (a: number | null, b: number | null) => (a === null ? (b === null ? 0 : 1) : b === null ? -1 : a - b);

const COMPARE: Record<RoutingStrategy, (a: Candidate, b: Candidate) => number> = {
  priority: () => 0,
  fastest: (a, b) => ascending(a.p95LatencyMs, b.p95LatencyMs),
  cheapest: (a, b) => ascending(a.nextCallMicros, b.nextCallMicros),
  healthiest: (a, b) => ascending(a.score === null ? null : -a.score, b.score === null ? null : -b.score),
};

export function rank(candidates: readonly Candidate[], strategy: RoutingStrategy): Candidate[] {
  const compare = COMPARE[strategy];
  return [...candidates].sort((a, b) => compare(a, b) || a.priority - b.priority);
}

function skipReason(c: Candidate): SkipReason | null {
  if (!c.circuitAdmits) return c.circuit === 'HALF_OPEN' ? 'probes_busy' : 'circuit_open';
  return c.quotaBlock;
}

/** Open circuits are the worst sign, busy probes next, a spent quota least. */
const BADNESS: Record<SkipReason, number> = { circuit_open: 2, probes_busy: 1, rate_limit_per_minute: 0, rate_limit_per_day: 0, free_quota_spent: 0 };

/**
 * Orders the candidates by `strategy` and leaves out those whose circuit refuses a call or whose
 * quota is spent. When that leaves none, the plan is degraded: every candidate is tried anyway,
 * least bad first, rather than failing a request without an attempt. Least bad: the milder
 * reason, then the shorter failing streak (a provider failing right now comes last, whatever
 * its older window says), then the better score, then the configured order.
 */
export function planRoute(candidates: readonly Candidate[], strategy: RoutingStrategy): RoutePlan {
  const ranked = rank(candidates, strategy);
  const attempts: string[] = [];
  const skipped: RoutePlan['skipped'] = [];
  const reasons = new Map<Candidate, SkipReason>();
  for (const c of ranked) {
    const reason = skipReason(c);
    if (reason === null) attempts.push(c.provider);
    else {
      skipped.push({ provider: c.provider, reason });
      reasons.set(c, reason);
    }
  }
  const names = ranked.map((c) => c.provider);
  if (attempts.length > 0 || ranked.length === 0) return { strategy, ranked: names, attempts, skipped, degraded: false };
  const leastBadFirst = [...ranked].sort(
    (a, b) =>
      BADNESS[reasons.get(a)!] - BADNESS[reasons.get(b)!] ||
      a.consecutiveFailures - b.consecutiveFailures ||
      ascending(a.score === null ? null : -a.score, b.score === null ? null : -b.score) ||
      a.priority - b.priority,
  );
  const byProvider = new Map(skipped.map((s) => [s.provider, s]));
  return { strategy, ranked: names, attempts: leastBadFirst.map((c) => c.provider), skipped: leastBadFirst.map((c) => byProvider.get(c.provider)!), degraded: true };
}
