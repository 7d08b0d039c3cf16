import { HealthThresholds } from './monitoring-options';
import { IssueType, consecutiveFailures, recommendation } from './monitoring.messages';
import { ProviderMetrics } from './provider-stats';

export const HEALTH_STATUSES = ['HEALTHY', 'DEGRADED', 'UNHEALTHY', 'UNKNOWN'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export interface HealthIssue {
  type: IssueType;
  severity: 'info' | 'warning' | 'critical';
  /** The measured value: a ratio 0-1, milliseconds for high_latency, or the count of failures in a row when a failing streak is the cause. */
  value: number | null;
  /** The threshold it was compared with. */
  limit: number | null;
  recommendation: string;
}

/** Each factor is 0-100; the score is their weighted sum times the window's success ratio. */
export interface ScoreFactors {
  latency: number;
  reliability: number;
  timeouts: number;
  freshness: number;
}

export const SCORE_WEIGHTS: Readonly<ScoreFactors> = Object.freeze({
  reliability: 0.4,
  latency: 0.3,
  timeouts: 0.2,
  freshness: 0.1,
});

export interface ProviderHealth {
  provider: string;
  status: HealthStatus;
  /** 0-100, higher is better; null with no calls in the window. */
  score: number | null;
  factors: ScoreFactors | null;
  calls: number;
  errorRate: number | null;
  timeoutRate: number | null;
  p95LatencyMs: number | null;
  consecutiveFailures: number;
  issues: HealthIssue[];
}

export interface SystemHealth {
  status: HealthStatus;
  evaluatedAt: string;
  windowMs: number;
  counts: Record<HealthStatus, number>;
  /** Named so a failing provider never hides inside a count. */
  unhealthyProviders: string[];
  degradedProviders: string[];
  providers: ProviderHealth[];
  /** Providers whose evaluation threw; they are reported UNKNOWN and the rest are still judged. */
  errors: { provider: string; message: string }[];
}

const ramp = (value: number | null, zeroAt: number) =>
  value === null ? 100 : Math.round(100 * Math.min(1, Math.max(0, 1 - value / zeroAt)));

/**
 * Judges one provider on its window. With fewer than minCalls calls it is UNKNOWN, except that
 * a run of consecutive failures as long as the unhealthy limit (inside the window) is proof
 * enough of an outage on its own.
 */
export function evaluateProvider(
  m: ProviderMetrics,
  t: HealthThresholds,
  nowMs: number,
  windowMs: number,
): ProviderHealth {
  const w = m.window;
  const lastFailureAt = m.totals.lastFailureAt ? Date.parse(m.totals.lastFailureAt) : 0;
  const streak = nowMs - lastFailureAt <= windowMs ? m.totals.consecutiveFailures : 0;
  const facts = (value: number | null, limit: number | null) => ({ provider: m.provider, value, limit, windowMs, calls: w.calls });
  const issues: HealthIssue[] = [];
  const judge = (type: IssueType, value: number | null, healthyLimit: number, unhealthyLimit: number) => {
    if (value === null || value < healthyLimit) return;
    const critical = value >= unhealthyLimit;
    const limit = critical ? unhealthyLimit : healthyLimit;
    issues.push({ type, severity: critical ? 'critical' : 'warning', value, limit, recommendation: recommendation(type, facts(value, limit)) });
  };

  const enoughData = w.calls >= Math.max(1, t.minCalls);
  const failingStreak = streak >= t.unhealthy.consecutiveFailures;
  if (enoughData) {
    judge('high_error_rate', w.errorRate, t.healthy.errorRate, t.unhealthy.errorRate);
    judge('high_latency', w.p95LatencyMs, t.healthy.p95LatencyMs, t.unhealthy.p95LatencyMs);
    judge('timeouts', w.timeoutRate, t.healthy.timeoutRate, t.unhealthy.timeoutRate);
  } else if (!failingStreak) {
    issues.push({ type: 'no_data', severity: 'info', value: w.calls, limit: t.minCalls, recommendation: recommendation('no_data', facts(w.calls, t.minCalls)) });
  }
  if (failingStreak) {
    // An issue of its own, its value and limit the streak's, so they match the advice that quotes them.
    issues.push({
      type: 'high_error_rate',
      severity: 'critical',
      value: streak,
      limit: t.unhealthy.consecutiveFailures,
      recommendation: consecutiveFailures(m.provider, streak, t.unhealthy.consecutiveFailures),
    });
  }
  if (w.rateLimitedRate !== null && w.rateLimitedRate > 0 && w.rateLimitedRate >= t.rateLimitedRate) {
    const value = w.rateLimitedRate;
    issues.push({ type: 'rate_limited', severity: 'warning', value, limit: t.rateLimitedRate, recommendation: recommendation('rate_limited', facts(value, t.rateLimitedRate)) });
  }
  const lookups = m.cache.hits + m.cache.misses;
  if (m.cache.hitRate !== null && lookups >= t.minCacheLookups && m.cache.hitRate < t.minCacheHitRate) {
    const value = m.cache.hitRate;
    issues.push({ type: 'low_cache_hit_rate', severity: 'info', value, limit: t.minCacheHitRate, recommendation: recommendation('low_cache_hit_rate', facts(value, t.minCacheHitRate)) });
  }

  let status: HealthStatus;
  if (failingStreak) status = 'UNHEALTHY';
  else if (!enoughData) status = 'UNKNOWN';
  else if (issues.some((i) => i.severity === 'critical')) status = 'UNHEALTHY';
  else if (issues.some((i) => i.type === 'high_error_rate' || i.type === 'high_latency' || i.type === 'timeouts')) status = 'DEGRADED';
  else status = 'HEALTHY';

  let factors: ScoreFactors | null = null;
  let score: number | null = null;
  if (w.calls > 0) {
    const lastSuccessAt = m.totals.lastSuccessAt ? Date.parse(m.totals.lastSuccessAt) : null;
    factors = {
      reliability: ramp(w.errorRate, t.unhealthy.errorRate),
      latency: ramp(w.p95LatencyMs, t.unhealthy.p95LatencyMs),
      timeouts: ramp(w.timeoutRate, t.unhealthy.timeoutRate),
      freshness: lastSuccessAt === null ? 0 : ramp(nowMs - lastSuccessAt, windowMs),
    };
    const weighted =
      factors.reliability * SCORE_WEIGHTS.reliability +
      factors.latency * SCORE_WEIGHTS.latency +
      factors.timeouts * SCORE_WEIGHTS.timeouts +
      factors.freshness * SCORE_WEIGHTS.freshness;
    // Scaled by the share of calls that succeed: a provider that fails fast must not outrank a
    // slower one that works.
    score = Math.round(weighted * (1 - (w.errorRate ?? 0)));
  }
  return {
    provider: m.provider,
    status,
    score,
    factors,
    calls: w.calls,
    errorRate: w.errorRate,
    timeoutRate: w.timeoutRate,
    p95LatencyMs: w.p95LatencyMs,
    consecutiveFailures: m.totals.consecutiveFailures,
    issues,
  };
}

/**
 * UNKNOWN providers are left out. No judged provider at all gives UNKNOWN (served as 200: there is
 * nothing wrong to report yet). UNHEALTHY when none of the judged providers works or more than half
 * are UNHEALTHY; DEGRADED when any is DEGRADED or UNHEALTHY; otherwise HEALTHY.
 */
export function systemStatus(providers: readonly ProviderHealth[]): HealthStatus {
  let judged = 0;
  let unhealthy = 0;
  let degraded = 0;
  for (const p of providers) {
    if (p.status === 'UNKNOWN') continue;
    judged++;
    if (p.status === 'UNHEALTHY') unhealthy++;
    else if (p.status === 'DEGRADED') degraded++;
  }
  if (judged === 0) return 'UNKNOWN';
  if (unhealthy === judged || unhealthy * 2 > judged) return 'UNHEALTHY';
  if (unhealthy > 0 || degraded > 0) return 'DEGRADED';
  return 'HEALTHY';
}

/** Judges every provider; one that throws is reported and UNKNOWN, and the rest are still judged. */
export function evaluateSystem(
  metrics: Iterable<ProviderMetrics>,
  t: HealthThresholds,
  nowMs: number,
  windowMs: number,
  evaluate: typeof evaluateProvider = evaluateProvider,
): SystemHealth {
  const providers: ProviderHealth[] = [];
  const errors: SystemHealth['errors'] = [];
  const counts: Record<HealthStatus, number> = { HEALTHY: 0, DEGRADED: 0, UNHEALTHY: 0, UNKNOWN: 0 };
  for (const m of metrics) {
    let health: ProviderHealth;
    try {
      health = evaluate(m, t, nowMs, windowMs);
    } catch (error) {
      errors.push({ provider: m.provider, message: error instanceof Error ? error.message : String(error) });
      health = {
        provider: m.provider,
        status: 'UNKNOWN',
        score: null,
        factors: null,
        calls: m.window.calls,
        errorRate: m.window.errorRate,
        timeoutRate: m.window.timeoutRate,
        p95LatencyMs: m.window.p95LatencyMs,
        consecutiveFailures: m.totals.consecutiveFailures,
        issues: [],
      };
    }
    counts[health.status]++;
    providers.push(health);
  }
  return {
    status: systemStatus(providers),
    evaluatedAt: new Date(nowMs).toISOString(),
    windowMs,
    counts,
    unhealthyProviders: providers.filter((p) => p.status === 'UNHEALTHY').map((p) => p.provider),
    degradedProviders: providers.filter((p) => p.status === 'DEGRADED').map((p) => p.provider),
    providers,
    errors,
  };
}
