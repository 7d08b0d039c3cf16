import { AlertRule, DEFAULT_ALERT_RULES, ruleProblems } from './alerts/alert-rules';
import { Clock, systemClock } from './clock';

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
  clock: Clock;
}

/** Options as a host app passes them: any part may be left out. */
export type MonitoringModuleOptions = Partial<Omit<MonitoringOptions, 'thresholds' | 'prometheus' | 'alerts'>> & {
  prometheus?: Partial<PrometheusOptions>;
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
    clock: input.clock ?? d.clock,
  };
  const problems = [...validateOptions(options)];
  if (problems.length > 0) throw new RangeError(`Invalid monitoring options: ${problems.join('; ')}`);
  return options;
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
  if ((o.windowMs / o.windowBuckets) % 100 !== 0) {
    yield `windowMs (${o.windowMs}) must split into windowBuckets (${o.windowBuckets}) buckets of whole tenths of a second`;
  }
}
