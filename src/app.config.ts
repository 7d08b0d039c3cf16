import { LogLevel } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PROVIDER_NAMES } from './financehub/providers/market-data-provider';
import { ROUTING_STRATEGIES, resolveMonitoringOptions } from './monitoring';
import type { AlertRule, MonitoringModuleOptions, PricingInput, RoutingStrategy } from './monitoring';

/**
 * Price lists the demo starts with when PROVIDER_PRICING is unset, so /costs has money to show.
 * Illustrative only: not the providers' real prices (their free tiers bill nothing per call).
 */
export const DEMO_PROVIDER_PRICING: Readonly<Record<string, PricingInput>> = Object.freeze({
  finnhub: { pricePerCall: '0.0005', currency: 'USD', rateLimitPerMinute: 300 },
  alphavantage: { pricePerCall: '0.002', currency: 'USD', freeCallsPerDay: 500, rateLimitPerMinute: 75 },
  coingecko: { pricePerCall: '0.0001', currency: 'USD', freeCallsPerMonth: 10_000, rateLimitPerMinute: 100 },
});

/** Reads an env variable as a number, with a clear error naming it when it is not one. */
export function numberFromEnv(config: ConfigService, name: string, rule: (n: number) => boolean, ruleText: string): number | undefined {
  const raw = config.get<string>(name);
  if (raw === undefined || raw.trim() === '') return undefined;
  // Plain decimals only: Number() would also take 0x10 and 1e1.
  const value = /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(value) || !rule(value)) {
    throw new Error(`Environment variable ${name} must be ${ruleText} (got "${raw}")`);
  }
  return value;
}

/** A comma-separated list of numbers; the library checks their order and range. */
function listFromEnv(config: ConfigService, name: string): number[] | undefined {
  const raw = config.get<string>(name);
  if (raw === undefined || raw.trim() === '') return undefined;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((v) => !Number.isFinite(v))) throw new Error(`Environment variable ${name} must be a comma-separated list of numbers (got "${raw}")`);
  return values;
}

function jsonFromEnv<T>(config: ConfigService, name: string, shape: (v: unknown) => boolean, shapeText: string): T | undefined {
  const raw = config.get<string>(name);
  if (raw === undefined || raw.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`Environment variable ${name} must be ${shapeText} (it is not valid JSON)`);
  }
  if (!shape(value)) throw new Error(`Environment variable ${name} must be ${shapeText}`);
  return value as T;
}

type WebhookSetting = NonNullable<NonNullable<MonitoringModuleOptions['alerts']>['webhooks']>[number];

/** ALERT_WEBHOOKS (full JSON), plus the ALERT_WEBHOOK_URL and ALERT_SLACK_WEBHOOK_URL shortcuts. */
function webhooksFromEnv(config: ConfigService): WebhookSetting[] | undefined {
  const webhooks = [...(jsonFromEnv<WebhookSetting[]>(config, 'ALERT_WEBHOOKS', Array.isArray, 'a JSON array of webhooks') ?? [])];
  const json = config.get<string>('ALERT_WEBHOOK_URL');
  if (json) webhooks.push({ name: 'webhook', url: json, format: 'json' });
  const slack = config.get<string>('ALERT_SLACK_WEBHOOK_URL');
  if (slack) webhooks.push({ name: 'slack', url: slack, format: 'slack' });
  return webhooks.length > 0 ? webhooks : undefined;
}

const positiveInteger = (n: number) => Number.isInteger(n) && n > 0;

/** Which environment variables feed each library option, so a bad value is reported by its variable. */
const OPTION_SOURCES: [string, string][] = [
  ['alerts.rules', 'ALERT_RULES'],
  ['alerts.webhooks', 'ALERT_WEBHOOKS / ALERT_WEBHOOK_URL / ALERT_SLACK_WEBHOOK_URL'],
  ['alerts.breachesToFire', 'ALERT_BREACHES_TO_FIRE'],
  ['alerts.clearsToResolve', 'ALERT_CLEARS_TO_RESOLVE'],
  ['alerts.resendIntervalSeconds', 'ALERT_RESEND_INTERVAL_SECONDS'],
  ['prometheus.latencyBucketsMs', 'PROMETHEUS_LATENCY_BUCKETS_MS'],
  ['prometheus.instance', 'MONITORING_INSTANCE'],
  ['healthCheckIntervalSeconds', 'HEALTH_CHECK_INTERVAL_SECONDS'],
  ['maxProviders', 'MONITORING_MAX_PROVIDERS'],
  ['windowMs', 'MONITORING_WINDOW_SECONDS'],
  ['apiKey', 'MONITORING_API_KEY'],
  ['routing.strategy', 'ROUTING_STRATEGY'],
  ['routing.circuit.failureThreshold', 'CIRCUIT_FAILURE_THRESHOLD'],
  ['routing.circuit.halfOpenProbes', 'CIRCUIT_HALF_OPEN_PROBES'],
  ['pricing', 'PROVIDER_PRICING'],
];

/** The monitoring options this app takes from the environment; the library fills in the rest. */
export function monitoringOptionsFromEnv(config: ConfigService): MonitoringModuleOptions {
  const options = readMonitoringEnv(config);
  try {
    resolveMonitoringOptions(options);
  } catch (error) {
    const problems = (error instanceof Error ? error.message : String(error)).replace(/^Invalid monitoring options: /, '').split('; ');
    const named = problems.map((problem) => {
      const source = OPTION_SOURCES.find(([option]) => problem.startsWith(option));
      return source ? `${source[1]}: ${problem}` : problem;
    });
    throw new Error(`Invalid monitoring settings: ${named.join('; ')}`);
  }
  return options;
}

function readMonitoringEnv(config: ConfigService): MonitoringModuleOptions {
  const windowSeconds = numberFromEnv(config, 'MONITORING_WINDOW_SECONDS', (n) => positiveInteger(n) && n <= 86_400, 'an integer from 1 to 86400');
  const cooldownSeconds = numberFromEnv(config, 'CIRCUIT_COOLDOWN_SECONDS', (n) => n >= 0.1 && n <= 3_600, 'a number of seconds from 0.1 to 3600');
  return {
    healthCheckIntervalSeconds: numberFromEnv(config, 'HEALTH_CHECK_INTERVAL_SECONDS', positiveInteger, 'a positive integer'),
    windowMs: windowSeconds === undefined ? undefined : windowSeconds * 1000,
    maxProviders: numberFromEnv(config, 'MONITORING_MAX_PROVIDERS', positiveInteger, 'a positive integer'),
    apiKey: config.get<string>('MONITORING_API_KEY') || undefined,
    alerts: {
      rules: jsonFromEnv<AlertRule[]>(config, 'ALERT_RULES', Array.isArray, 'a JSON array of rules'),
      webhooks: webhooksFromEnv(config),
      breachesToFire: numberFromEnv(config, 'ALERT_BREACHES_TO_FIRE', positiveInteger, 'a positive integer'),
      clearsToResolve: numberFromEnv(config, 'ALERT_CLEARS_TO_RESOLVE', positiveInteger, 'a positive integer'),
      resendIntervalSeconds: numberFromEnv(config, 'ALERT_RESEND_INTERVAL_SECONDS', (n) => Number.isInteger(n) && n >= 0, 'an integer, 0 or more'),
    },
    prometheus: {
      instance: config.get<string>('MONITORING_INSTANCE') || undefined,
      latencyBucketsMs: listFromEnv(config, 'PROMETHEUS_LATENCY_BUCKETS_MS'),
    },
    routing: {
      strategy: strategyFromEnv(config),
      circuit: {
        failureThreshold: numberFromEnv(config, 'CIRCUIT_FAILURE_THRESHOLD', (n) => positiveInteger(n) && n <= 1_000, 'an integer from 1 to 1000'),
        cooldownMs: cooldownSeconds === undefined ? undefined : Math.round(cooldownSeconds * 1_000),
        halfOpenProbes: numberFromEnv(config, 'CIRCUIT_HALF_OPEN_PROBES', (n) => positiveInteger(n) && n <= 100, 'an integer from 1 to 100'),
      },
    },
    pricing: pricingFromEnv(config),
  };
}

/** A price list for a name FinanceHub does not call is a typo ("finhub") that would leave the real one unpriced. */
function pricingFromEnv(config: ConfigService): Record<string, PricingInput> {
  const pricing = jsonFromEnv<Record<string, PricingInput>>(
    config,
    'PROVIDER_PRICING',
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    'a JSON object of provider name to price list',
  );
  if (pricing === undefined) return { ...DEMO_PROVIDER_PRICING };
  const unknown = Object.keys(pricing).filter((name) => !(PROVIDER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`Environment variable PROVIDER_PRICING names unknown provider(s) ${unknown.join(', ')} (known: ${PROVIDER_NAMES.join(', ')})`);
  }
  return pricing;
}

function strategyFromEnv(config: ConfigService): RoutingStrategy | undefined {
  const raw = config.get<string>('ROUTING_STRATEGY')?.trim();
  if (!raw) return undefined;
  if (!(ROUTING_STRATEGIES as readonly string[]).includes(raw)) {
    throw new Error(`Environment variable ROUTING_STRATEGY must be one of ${ROUTING_STRATEGIES.join(', ')} (got "${raw}")`);
  }
  return raw as RoutingStrategy;
}

export function portFromEnv(config: ConfigService): number {
  return numberFromEnv(config, 'PORT', (n) => Number.isInteger(n) && n >= 0 && n <= 65_535, 'an integer from 0 to 65535') ?? 3000;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** LOG_LEVEL names the least severe level shown (default log). */
export function logLevelsFromEnv(raw: string | undefined): LogLevel[] {
  const wanted = (raw ?? '').trim() || 'log';
  const index = LOG_LEVELS.indexOf(wanted as LogLevel);
  if (index < 0) throw new Error(`Environment variable LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${raw}")`);
  return LOG_LEVELS.slice(0, index + 1);
}
