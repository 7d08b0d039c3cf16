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
  skipped: { provider: string; reason: SkipReason }[];
  /** True when no candidate could be called normally and the least bad one is tried anyway. */
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

/** Open circuits are the worst sign, busy probes next, a spent quota least; then the better score, then the configured order. */
const BADNESS: Record<SkipReason, number> = { circuit_open: 2, probes_busy: 1, rate_limit_per_minute: 0, rate_limit_per_day: 0, free_quota_spent: 0 };

/**
 * Orders the candidates by `strategy` and leaves out those whose circuit refuses a call or whose
 * quota is spent. When that leaves none, the least bad one is tried anyway (and the plan says
 * it is degraded), rather than failing a request without a single attempt.
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
  const leastBad = [...ranked].sort(
    (a, b) => BADNESS[reasons.get(a)!] - BADNESS[reasons.get(b)!] || ascending(a.score === null ? null : -a.score, b.score === null ? null : -b.score) || a.priority - b.priority,
  )[0];
  return { strategy, ranked: names, attempts: [leastBad.provider], skipped: skipped.filter((s) => s.provider !== leastBad.provider), degraded: true };
}
