/** Every sentence the monitor says about a provider, so logs, health bodies and alerts agree. */
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const ms = (value: number) => `${Math.round(value)} ms`;

export type IssueType =
  | 'high_latency'
  | 'high_error_rate'
  | 'timeouts'
  | 'rate_limited'
  | 'low_cache_hit_rate'
  | 'no_data';

export const ISSUE_TYPES: readonly IssueType[] = [
  'high_latency',
  'high_error_rate',
  'timeouts',
  'rate_limited',
  'low_cache_hit_rate',
  'no_data',
];

/** The measurement behind a recommendation; value and limit are absent only for no_data. */
export interface IssueFacts {
  provider: string;
  value: number | null;
  limit: number | null;
  /** For no_data: calls seen in the window. */
  calls?: number;
  windowMs: number;
}

export function recommendation(type: IssueType, f: IssueFacts): string {
  const window = `${Math.round(f.windowMs / 60_000) || '<1'} min`;
  switch (type) {
    case 'high_latency':
      return (
        `${f.provider}: p95 latency ${ms(f.value ?? 0)} over the last ${window} is at or above the ${ms(f.limit ?? 0)} limit. ` +
        'Lower its timeout so slow calls fail over sooner, cache its responses longer, or move it behind a faster provider in the chain.'
      );
    case 'high_error_rate':
      return (
        `${f.provider}: error rate ${pct(f.value ?? 0)} over the last ${window} is at or above the ${pct(f.limit ?? 0)} limit. ` +
        "Check its last error and status page, verify the API key, and route traffic to the next provider until it recovers."
      );
    case 'timeouts':
      return (
        `${f.provider}: ${pct(f.value ?? 0)} of calls timed out over the last ${window} (limit ${pct(f.limit ?? 0)}). ` +
        'The provider is hanging: check network reachability, and fail over to another provider rather than raising the timeout.'
      );
    case 'rate_limited':
      return (
        `${f.provider}: ${pct(f.value ?? 0)} of calls were rate-limited over the last ${window} (limit ${pct(f.limit ?? 0)}). ` +
        'Cache its answers longer, spread requests over time, or upgrade the plan to a higher quota.'
      );
    case 'low_cache_hit_rate':
      return (
        `${f.provider}: cache hit rate ${pct(f.value ?? 0)} is below the ${pct(f.limit ?? 0)} target. ` +
        'Raise the cache TTL for this data type or warm the cache with the most requested symbols.'
      );
    case 'no_data':
      return (
        `${f.provider}: only ${f.calls ?? 0} call(s) in the last ${window}, fewer than the ${f.limit ?? 0} needed to judge it. ` +
        'Status stays UNKNOWN until more calls arrive; send it traffic or lower thresholds.minCalls if this is expected.'
      );
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

export function consecutiveFailures(provider: string, count: number, limit: number): string {
  return (
    `${provider}: ${count} calls in a row failed (limit ${limit}). ` +
    'Treat it as down: check its last error and status page, verify the API key, and route traffic to the next provider until a call succeeds.'
  );
}

export function statusChanged(subject: string, previous: string, current: string): string {
  return `${subject} went from ${previous} to ${current}`;
}

/** Said when a metric asked about is inside its limit. */
export function withinLimit(type: IssueType, f: IssueFacts): string {
  if (type === 'no_data') return `${f.provider}: ${f.value ?? 0} calls in the window, enough to judge (at least ${f.limit ?? 0} needed).`;
  const format = type === 'high_latency' ? ms : pct;
  const value = f.value === null ? 'no data' : format(f.value);
  const limit = f.limit === null ? 'its' : format(f.limit);
  return `${f.provider}: ${ISSUE_LABELS[type]} ${value} is within the ${limit} limit; no action needed.`;
}

const ISSUE_LABELS: Record<IssueType, string> = {
  high_latency: 'p95 latency',
  high_error_rate: 'error rate',
  timeouts: 'timeout rate',
  rate_limited: 'rate-limited share',
  low_cache_hit_rate: 'cache hit rate',
  no_data: 'calls',
};

/** An SLO burn-rate alert: how fast the error budget goes, and how long it lasts at that rate. */
export function burnRateMessage(
  provider: string,
  target: number,
  longRate: number,
  longWindow: string,
  shortRate: number,
  shortWindow: string,
  factor: number,
): string {
  const budgetDays = longRate > 0 ? 30 / longRate : Infinity;
  const lasts = Number.isFinite(budgetDays) ? `${budgetDays < 1 ? (budgetDays * 24).toFixed(1) + ' hours' : budgetDays.toFixed(1) + ' days'}` : 'forever';
  return (
    `${provider}: the ${pct(1 - target)} error budget of its ${pct(target)} SLO is burning ${longRate.toFixed(1)}x too fast over ${longWindow} ` +
    `(${shortRate.toFixed(1)}x over ${shortWindow}; alert above ${factor}x). At this rate a 30-day budget lasts ${lasts}. ` +
    'Route traffic to the next provider and check its last error and status page.'
  );
}

export function systemAlertMessage(status: string, unhealthy: readonly string[], degraded: readonly string[]): string {
  const named = [unhealthy.length ? `unhealthy: ${unhealthy.join(', ')}` : '', degraded.length ? `degraded: ${degraded.join(', ')}` : ''].filter(Boolean).join('; ');
  return `System health is ${status}${named ? ` (${named})` : ''}. Fail traffic over to the healthy providers and check the others' last errors.`;
}

/** A provider's circuit is not closed: the router sends its traffic elsewhere. */
export function circuitMessage(provider: string, state: string, reason: string | null, halfOpenAt: number | null): string {
  if (state === 'CLOSED') return `${provider}: circuit closed; the router sends it traffic again.`;
  const next = state === 'OPEN' && halfOpenAt !== null ? ` Probe calls go through from ${new Date(halfOpenAt).toISOString()}.` : ' Probe calls are testing it now.';
  return (
    `${provider}: circuit ${state}${reason ? ` (${reason})` : ''}; its requests go to the next provider.${next} ` +
    'Check its last error and status page; the circuit closes by itself when the probes succeed.'
  );
}

export function failoverMessage(provider: string, moves: number, window: string, limit: number): string {
  return (
    `${provider}: ${moves} request(s) moved on to another provider over the last ${window} (limit ${limit}). ` +
    'Check its last error and circuit on GET /api/monitoring/failover; if it keeps failing, move it down the provider order.'
  );
}

const QUOTA_LABELS = { freeCalls: 'free calls', perMinute: 'rate limit per minute', perDay: 'rate limit per day' } as const;

export function quotaMessage(provider: string, which: keyof typeof QUOTA_LABELS, used: number, limit: number): string {
  return (
    `${provider}: ${used} of ${limit} ${QUOTA_LABELS[which]} used (${pct(limit === 0 ? 1 : used / limit)}). ` +
    (which === 'freeCalls'
      ? 'Further calls are billed, or refused on a free plan: cache its answers longer or move it down the provider order.'
      : 'Calls past the limit are refused: cache its answers longer, spread requests, or upgrade the plan.')
  );
}

export function budgetMessage(currency: string, period: string, projected: string, budget: string, spent: string): string {
  return (
    `Provider costs this ${period} are projected at ${projected} ${currency}, above the ${budget} ${currency} budget (${spent} ${currency} spent so far). ` +
    'See GET /api/monitoring/costs: raise cache TTLs for the costly providers, or route with the cheapest strategy.'
  );
}
