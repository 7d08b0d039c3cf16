import { AlertRule, DEFAULT_ALERT_RULES, ruleProblems } from './alerts/alert-rules';
import { Clock, systemClock } from './clock';
import { PricingInput, PricingPlan, resolvePricing } from './cost/pricing';
import { ROUTING_STRATEGIES, RoutingStrategy } from './routing/route-planner';

/** Where alerts are sent. */
export interface WebhookTarget {
  /** Short name used in stats and logs, e.g. 'ops-json'. */
  name: string;
  url: string;
  /** `json` posts {"event":"alert.fired"|"alert.resolved"|"alert.repeat","alert":{...}}; `slack` posts {"text":"..."}. */
  format: 'json' | 'slack';
  /** Per attempt. */
  timeoutMs: number;
  /** Extra attempts after the first. */
  retries: number;
  /** First retry delay; doubles each retry, with ±20 % jitter. */
  backoffMs: number;
  headers?: Record<string, string>;
}

export const WEBHOOK_DEFAULTS: Omit<WebhookTarget, 'name' | 'url'> = { format: 'json', timeoutMs: 5_000, retries: 3, backoffMs: 1_000 };

const WEBHOOK_FIELDS = ['name', 'url', 'format', 'timeoutMs', 'retries', 'backoffMs', 'headers'];

function* webhookProblems(w: WebhookTarget, path: string): Generator<string> {
  for (const field of Object.keys(w)) if (!WEBHOOK_FIELDS.includes(field)) yield `${path}.${field} is not a webhook setting (expected ${WEBHOOK_FIELDS.join(', ')})`;
  let url: URL | null = null;
  try {
    url = new URL(w.url);
  } catch {
    // reported below
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') yield `${path}.url must be an http or https URL`;
  else if (url.username || url.password) yield `${path}.url must not hold a user name or password (use headers)`;
  if (w.format !== 'json' && w.format !== 'slack') yield `${path}.format must be json or slack`;
  if (!(Number.isInteger(w.timeoutMs) && w.timeoutMs >= 1 && w.timeoutMs <= 120_000)) yield `${path}.timeoutMs must be an integer from 1 to 120000`;
  if (!(Number.isInteger(w.retries) && w.retries >= 0 && w.retries <= 20)) yield `${path}.retries must be an integer from 0 to 20`;
  if (!(Number.isInteger(w.backoffMs) && w.backoffMs >= 0 && w.backoffMs <= 600_000)) yield `${path}.backoffMs must be an integer from 0 to 600000`;
}

export interface HealthThresholds {
  /** Fewer window calls than this: UNKNOWN, unless consecutive failures already prove UNHEALTHY. */
  minCalls: number;
  /** HEALTHY needs every value strictly below these. */
  healthy: { errorRate: number; p95LatencyMs: number; timeoutRate: number };
  /** Any value at or above these makes a provider UNHEALTHY. */
  unhealthy: { errorRate: number; p95LatencyMs: number; timeoutRate: number; consecutiveFailures: number };
  /** Reported as an issue (rate_limited) at or above this window share of rate-limited calls. */
  rateLimitedRate: number;
  /** Reported as an issue (low_cache_hit_rate) below this hit rate... */
  minCacheHitRate: number;
  /** ...once at least this many lookups were made. */
  minCacheLookups: number;
}

export interface PrometheusOptions {
  /** Prefix of every metric name this module exports. */
  prefix: string;
  /** Added as an `instance` label to every series when set. */
  instance?: string;
  /** Upper bounds (ms) of the exported latency histogram; exported in seconds, as Prometheus expects. */
  latencyBucketsMs: number[];
  /** Also export Node's process metrics (CPU, memory, event loop lag, GC). */
  defaultMetrics: boolean;
}

export interface AlertOptions {
  rules: AlertRule[];
  /** Consecutive breaching evaluations before an alert fires. */
  breachesToFire: number;
  /** Consecutive clear evaluations before it resolves. */
  clearsToResolve: number;
  /** Re-send a still-firing alert this often; 0 never re-sends. */
  resendIntervalSeconds: number;
  historyLimit: number;
  webhooks: WebhookTarget[];
  /** Pending deliveries kept per webhook; past it the oldest is dropped and counted. */
  queueLimit: number;
}

export interface CircuitSettings {
  /** Failures in a row, of calls made through the router, that open a provider's circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before probes go through. */
  cooldownMs: number;
  /** Probe calls let through half-open; that many successes close the circuit. */
  halfOpenProbes: number;
}

/** A set of interchangeable providers for one kind of data, e.g. `stock-quote`. */
export interface CapabilitySettings {
  /** In priority order: the `priority` strategy's order, and every other strategy's tie-breaker. */
  providers: string[];
  /** Defaults to routing.strategy. */
  strategy?: RoutingStrategy;
}

export interface RoutingOptions {
  /** Strategy of capabilities that do not name one. */
  strategy: RoutingStrategy;
  circuit: CircuitSettings;
  /** Health scores and p95s used for ranking are reused this long between requests. */
  signalRefreshMs: number;
  /** Capabilities known at start-up; an app may also register its own with ProviderRouter.register(). */
  capabilities: Record<string, CapabilitySettings>;
}

export interface MonitoringOptions {
  /** Sliding window that health is judged on (5 minutes by default, the standard 5m window). */
  windowMs: number;
  /** Time buckets in that window; more buckets slide more smoothly and cost more memory. */
  windowBuckets: number;
  /** Distinct provider names kept; new names past it are rejected and counted. */
  maxProviders: number;
  healthCheckIntervalSeconds: number;
  /** When set, every monitoring endpoint requires it. */
  apiKey?: string;
  thresholds: HealthThresholds;
  alerts: AlertOptions;
  prometheus: PrometheusOptions;
  routing: RoutingOptions;
  /** Price lists per provider, checked (money in micro-units). */
  pricing: ReadonlyMap<string, PricingPlan>;
  clock: Clock;
}

/** Options as a host app passes them: any part may be left out. */
export type MonitoringModuleOptions = Partial<Omit<MonitoringOptions, 'thresholds' | 'prometheus' | 'alerts' | 'routing' | 'pricing'>> & {
  prometheus?: Partial<PrometheusOptions>;
  routing?: Partial<Omit<RoutingOptions, 'circuit'>> & { circuit?: Partial<CircuitSettings> };
  /** Per provider: `{ pricePerCall: "0.0004", currency: "USD", freeCallsPerDay, freeCallsPerMonth, rateLimitPerMinute, rateLimitPerDay }`. */
  pricing?: Record<string, PricingInput>;
  alerts?: Partial<Omit<AlertOptions, 'webhooks'>> & { webhooks?: (Partial<WebhookTarget> & { url: string })[] };
  thresholds?: {
    minCalls?: number;
    healthy?: Partial<HealthThresholds['healthy']>;
    unhealthy?: Partial<HealthThresholds['unhealthy']>;
    rateLimitedRate?: number;
    minCacheHitRate?: number;
    minCacheLookups?: number;
  };
};

export const MONITORING_DEFAULTS: Readonly<MonitoringOptions> = Object.freeze({
  windowMs: 5 * 60_000,
  windowBuckets: 10,
  maxProviders: 1_000,
  healthCheckIntervalSeconds: 60,
  apiKey: undefined,
  thresholds: {
    minCalls: 10,
    healthy: { errorRate: 0.05, p95LatencyMs: 500, timeoutRate: 0.05 },
    unhealthy: { errorRate: 0.25, p95LatencyMs: 2_000, timeoutRate: 0.2, consecutiveFailures: 5 },
    rateLimitedRate: 0.01,
    minCacheHitRate: 0.5,
    minCacheLookups: 20,
  },
  alerts: {
    rules: [...DEFAULT_ALERT_RULES],
    breachesToFire: 2,
    clearsToResolve: 2,
    resendIntervalSeconds: 0,
    historyLimit: 200,
    webhooks: [],
    queueLimit: 100,
  },
  prometheus: {
    prefix: 'monitoring_',
    instance: undefined,
    latencyBucketsMs: [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000],
    defaultMetrics: true,
  },
  routing: {
    strategy: 'priority' as RoutingStrategy,
    circuit: { failureThreshold: 5, cooldownMs: 30_000, halfOpenProbes: 3 },
    signalRefreshMs: 1_000,
    capabilities: {},
  },
  pricing: new Map(),
  clock: systemClock,
});

/** The one place where defaults and a host's options meet; throws on values that make no sense. */
export function resolveMonitoringOptions(input: MonitoringModuleOptions = {}): MonitoringOptions {
  const d = MONITORING_DEFAULTS;
  const t = input.thresholds ?? {};
  const options: MonitoringOptions = {
    windowMs: input.windowMs ?? d.windowMs,
    windowBuckets: input.windowBuckets ?? d.windowBuckets,
    maxProviders: input.maxProviders ?? d.maxProviders,
    healthCheckIntervalSeconds: input.healthCheckIntervalSeconds ?? d.healthCheckIntervalSeconds,
    apiKey: input.apiKey === '' ? undefined : input.apiKey,
    thresholds: {
      minCalls: t.minCalls ?? d.thresholds.minCalls,
      healthy: { ...d.thresholds.healthy, ...t.healthy },
      unhealthy: { ...d.thresholds.unhealthy, ...t.unhealthy },
      rateLimitedRate: t.rateLimitedRate ?? d.thresholds.rateLimitedRate,
      minCacheHitRate: t.minCacheHitRate ?? d.thresholds.minCacheHitRate,
      minCacheLookups: t.minCacheLookups ?? d.thresholds.minCacheLookups,
    },
    alerts: {
      rules: [...(input.alerts?.rules ?? d.alerts.rules)],
      breachesToFire: input.alerts?.breachesToFire ?? d.alerts.breachesToFire,
      clearsToResolve: input.alerts?.clearsToResolve ?? d.alerts.clearsToResolve,
      resendIntervalSeconds: input.alerts?.resendIntervalSeconds ?? d.alerts.resendIntervalSeconds,
      historyLimit: input.alerts?.historyLimit ?? d.alerts.historyLimit,
      webhooks: (input.alerts?.webhooks ?? []).map((w, i) => ({ ...WEBHOOK_DEFAULTS, name: `webhook-${i + 1}`, ...w })),
      queueLimit: input.alerts?.queueLimit ?? d.alerts.queueLimit,
    },
    prometheus: {
      prefix: input.prometheus?.prefix ?? d.prometheus.prefix,
      instance: input.prometheus?.instance || undefined,
      latencyBucketsMs: [...(input.prometheus?.latencyBucketsMs ?? d.prometheus.latencyBucketsMs)],
      defaultMetrics: input.prometheus?.defaultMetrics ?? d.prometheus.defaultMetrics,
    },
    routing: {
      strategy: input.routing?.strategy ?? d.routing.strategy,
      circuit: { ...d.routing.circuit, ...definedOnly(input.routing?.circuit) },
      signalRefreshMs: input.routing?.signalRefreshMs ?? d.routing.signalRefreshMs,
      capabilities: Object.fromEntries(Object.entries(input.routing?.capabilities ?? {}).map(([name, c]) => [name, { ...c, providers: [...(c?.providers ?? [])] }])),
    },
    pricing: d.pricing,
    clock: input.clock ?? d.clock,
  };
  const pricing = resolvePricing(input.pricing ?? {});
  options.pricing = pricing.plans;
  const problems = [...validateOptions(options), ...pricing.problems];
  if (problems.length > 0) throw new RangeError(`Invalid monitoring options: ${problems.join('; ')}`);
  return options;
}

/** Leaves out keys set to undefined, so spreading a partial over defaults keeps the defaults. */
function definedOnly<T extends object>(partial: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(partial ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const integer = (name: string, v: number, min: number, max: number) =>
  Number.isInteger(v) && v >= min && v <= max ? null : `${name} must be an integer from ${min} to ${max} (got ${v})`;
const ratio = (name: string, v: number) => (Number.isFinite(v) && v >= 0 && v <= 1 ? null : `${name} must be a number from 0 to 1 (got ${v})`);
const latency = (name: string, v: number) =>
  Number.isFinite(v) && v > 0 && v <= 3_600_000 ? null : `${name} must be a number of milliseconds above 0 and at most 3600000 (got ${v})`;

/** Every problem with a set of thresholds, each naming its field; used at start-up and on PUT. */
export function thresholdProblems(t: HealthThresholds, path = 'thresholds'): string[] {
  const { healthy, unhealthy } = t;
  const problems = [
    integer(`${path}.minCalls`, t.minCalls, 0, 1_000_000),
    ratio(`${path}.healthy.errorRate`, healthy.errorRate),
    ratio(`${path}.healthy.timeoutRate`, healthy.timeoutRate),
    latency(`${path}.healthy.p95LatencyMs`, healthy.p95LatencyMs),
    ratio(`${path}.unhealthy.errorRate`, unhealthy.errorRate),
    ratio(`${path}.unhealthy.timeoutRate`, unhealthy.timeoutRate),
    latency(`${path}.unhealthy.p95LatencyMs`, unhealthy.p95LatencyMs),
    integer(`${path}.unhealthy.consecutiveFailures`, unhealthy.consecutiveFailures, 1, 1_000_000),
    ratio(`${path}.rateLimitedRate`, t.rateLimitedRate),
    ratio(`${path}.minCacheHitRate`, t.minCacheHitRate),
    integer(`${path}.minCacheLookups`, t.minCacheLookups, 1, 1_000_000_000),
  ].filter((p): p is string => p !== null);
  for (const key of ['errorRate', 'timeoutRate', 'p95LatencyMs'] as const) {
    if (healthy[key] > unhealthy[key]) {
      problems.push(`${path}.healthy.${key} (${healthy[key]}) must not be above ${path}.unhealthy.${key} (${unhealthy[key]})`);
    }
  }
  return problems;
}

function* validateOptions(o: MonitoringOptions): Generator<string> {
  // A key of only spaces is a mistake that would leave the API open or locked: refuse it.
  if (o.apiKey !== undefined && o.apiKey.trim() === '') yield 'apiKey must not be blank (leave it unset for no key)';
  const checks = [
    integer('windowMs', o.windowMs, 1_000, 24 * 3_600_000),
    integer('windowBuckets', o.windowBuckets, 1, 600),
    integer('maxProviders', o.maxProviders, 1, 100_000),
    integer('healthCheckIntervalSeconds', o.healthCheckIntervalSeconds, 1, 86_400),
    integer('alerts.breachesToFire', o.alerts.breachesToFire, 1, 1_000),
    integer('alerts.clearsToResolve', o.alerts.clearsToResolve, 1, 1_000),
    integer('alerts.resendIntervalSeconds', o.alerts.resendIntervalSeconds, 0, 604_800),
    integer('alerts.historyLimit', o.alerts.historyLimit, 1, 100_000),
    integer('alerts.queueLimit', o.alerts.queueLimit, 1, 100_000),
  ];
  for (const problem of checks) if (problem) yield problem;
  yield* thresholdProblems(o.thresholds);
  yield* ruleProblems(o.alerts.rules, 'alerts.rules');
  for (const [i, w] of o.alerts.webhooks.entries()) yield* webhookProblems(w, `alerts.webhooks[${i}]`);
  const p = o.prometheus;
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(p.prefix)) yield `prometheus.prefix must be a valid metric name prefix (letters, digits, _ and :), got "${p.prefix}"`;
  if (p.instance !== undefined && p.instance.length > 128) yield 'prometheus.instance must be at most 128 characters';
  const buckets = p.latencyBucketsMs;
  if (buckets.length < 1 || buckets.length > 50 || !buckets.every((b, i) => Number.isFinite(b) && b > 0 && (i === 0 || b > buckets[i - 1]))) {
    yield 'prometheus.latencyBucketsMs must be 1 to 50 positive numbers in increasing order';
  }
  yield* routingProblems(o.routing);
  if ((o.windowMs / o.windowBuckets) % 100 !== 0) {
    yield `windowMs (${o.windowMs}) must split into windowBuckets (${o.windowBuckets}) buckets of whole tenths of a second`;
  }
}

/** Every problem with routing options or one capability, each naming its field; used at start-up and by ProviderRouter.register(). */
export function routingProblems(r: RoutingOptions, path = 'routing'): string[] {
  const problems = [
    integer(`${path}.circuit.failureThreshold`, r.circuit.failureThreshold, 1, 1_000),
    integer(`${path}.circuit.cooldownMs`, r.circuit.cooldownMs, 100, 3_600_000),
    integer(`${path}.circuit.halfOpenProbes`, r.circuit.halfOpenProbes, 1, 100),
    integer(`${path}.signalRefreshMs`, r.signalRefreshMs, 0, 60_000),
  ].filter((p): p is string => p !== null);
  if (!ROUTING_STRATEGIES.includes(r.strategy)) problems.push(`${path}.strategy must be one of ${ROUTING_STRATEGIES.join(', ')}`);
  for (const [name, capability] of Object.entries(r.capabilities)) problems.push(...capabilityProblems(name, capability, `${path}.capabilities.${name}`));
  return problems;
}

export function capabilityProblems(name: string, c: CapabilitySettings, path = `capabilities.${name}`): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) problems.push(`${path}: a capability name must be 1 to 64 letters, digits, dots, dashes or underscores`);
  const providers = c?.providers;
  if (
    !Array.isArray(providers) ||
    providers.length === 0 ||
    providers.length > 20 ||
    !providers.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 128) ||
    new Set(providers).size !== providers.length
  ) {
    problems.push(`${path}.providers must be a list of 1 to 20 distinct provider names`);
  }
  if (c?.strategy !== undefined && !ROUTING_STRATEGIES.includes(c.strategy)) problems.push(`${path}.strategy must be one of ${ROUTING_STRATEGIES.join(', ')}`);
  return problems;
}
