import {
  PROVIDER_NAMES,
  type MarketDataType,
  type ProviderName,
} from './providers/market-data-provider';
import { redactSecrets } from '../monitoring';
import {
  parseSimulatorProfiles,
  type SimulatorProfileOverrides,
} from './simulator/simulator-profile';

export interface ProviderEndpointConfig {
  /** Explicit base URL; when absent the simulator (if enabled) or the public host is used. */
  baseUrl?: string;
  apiKey?: string;
}

export interface FinanceHubConfig {
  simulator: {
    enabled: boolean;
    port: number;
    profiles: SimulatorProfileOverrides;
  };
  providers: Record<ProviderName, ProviderEndpointConfig>;
  providerTimeoutMs: number;
  stockProviderOrder: ProviderName[];
  /** staleMs: how long past its TTL an entry may still answer when no provider can (0: never). */
  cache: { ttlMs: Record<MarketDataType, number>; staleMs: Record<MarketDataType, number>; maxEntries: number };
  traffic: { enabled: boolean; intervalMs: number };
  /** false: provider calls and cache lookups are not recorded (to measure what monitoring costs). */
  monitoring: boolean;
}

/** The one place defaults live. */
export const FINANCEHUB_DEFAULTS: Readonly<FinanceHubConfig> =
  Object.freeze<FinanceHubConfig>({
    simulator: { enabled: true, port: 0, profiles: {} },
    providers: { finnhub: {}, alphavantage: {}, coingecko: {} },
    providerTimeoutMs: 2000,
    stockProviderOrder: ['finnhub', 'alphavantage'],
    cache: {
      ttlMs: { stock_quote: 5000, crypto_price: 10000 },
      staleMs: { stock_quote: 60_000, crypto_price: 300_000 },
      maxEntries: 1000,
    },
    traffic: { enabled: true, intervalMs: 1000 },
    monitoring: true,
  });

/** Used when the simulator is off and no base URL is configured. */
export const PUBLIC_PROVIDER_URLS: Readonly<Record<ProviderName, string>> = {
  finnhub: 'https://finnhub.io',
  alphavantage: 'https://www.alphavantage.co',
  coingecko: 'https://api.coingecko.com',
};

/** Every environment variable the parser reads. */
export const FINANCEHUB_ENV_KEYS = [
  'SIMULATOR_ENABLED',
  'SIMULATOR_PORT',
  'SIMULATOR_PROFILES',
  'FINNHUB_BASE_URL',
  'FINNHUB_API_KEY',
  'ALPHAVANTAGE_BASE_URL',
  'ALPHAVANTAGE_API_KEY',
  'COINGECKO_BASE_URL',
  'COINGECKO_API_KEY',
  'PROVIDER_TIMEOUT_MS',
  'STOCK_PROVIDER_ORDER',
  'CACHE_TTL_QUOTE_MS',
  'CACHE_TTL_CRYPTO_MS',
  'CACHE_STALE_QUOTE_MS',
  'CACHE_STALE_CRYPTO_MS',
  'CACHE_MAX_ENTRIES',
  'TRAFFIC_GENERATOR',
  'TRAFFIC_INTERVAL_MS',
  'FINANCEHUB_MONITORING',
] as const;
export type FinanceHubEnvKey = (typeof FINANCEHUB_ENV_KEYS)[number];
export type FinanceHubEnv = Partial<Record<FinanceHubEnvKey, unknown>>;

const PROVIDER_ENV_PREFIX: Record<ProviderName, string> = {
  finnhub: 'FINNHUB',
  alphavantage: 'ALPHAVANTAGE',
  coingecko: 'COINGECKO',
};

export class FinanceHubConfigError extends Error {
  override name = 'FinanceHubConfigError';

  constructor(readonly issues: readonly string[]) {
    super(`Invalid FinanceHub configuration:\n- ${issues.join('\n- ')}`);
  }
}

/**
 * Builds the config from environment values (strings, as in process.env; numbers and
 * booleans are accepted too). Unset or empty values take the default. Every problem is
 * collected and reported at once, naming the variable; API key values are never echoed.
 */
export function parseFinanceHubConfig(env: FinanceHubEnv): FinanceHubConfig {
  const issues: string[] = [];
  const d = FINANCEHUB_DEFAULTS;
  const value = (key: FinanceHubEnvKey): unknown => {
    const v = env[key];
    return typeof v === 'string' && v.trim() === '' ? undefined : v;
  };

  const bool = (key: FinanceHubEnvKey, fallback: boolean): boolean => {
    const v = value(key);
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    const s = String(v).trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(s)) return true;
    if (['false', '0', 'no', 'off'].includes(s)) return false;
    issues.push(`${key} must be true or false (got ${JSON.stringify(v)})`);
    return fallback;
  };

  const int = (
    key: FinanceHubEnvKey,
    fallback: number,
    min: number,
    max: number,
  ): number => {
    const v = value(key);
    if (v === undefined) return fallback;
    const s = String(v).trim();
    const n = /^-?\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      issues.push(
        `${key} must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`,
      );
      return fallback;
    }
    return n;
  };

  const str = (key: FinanceHubEnvKey): string | undefined => {
    const v = value(key);
    return v === undefined ? undefined : String(v).trim();
  };

  const baseUrl = (key: FinanceHubEnvKey): string | undefined => {
    const s = str(key);
    if (s === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      issues.push(`${key} must be an absolute http(s) URL (got "${redactSecrets(s)}")`);
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      issues.push(`${key} must use http or https (got "${url.protocol}")`);
      return undefined;
    }
    if (url.search || url.hash) {
      issues.push(`${key} must not carry a query string or fragment`);
      return undefined;
    }
    // fetch refuses URLs with credentials: say so at start-up, not on every call.
    if (url.username || url.password) {
      issues.push(`${key} must not hold a user name or password (use the _API_KEY variable)`);
      return undefined;
    }
    return s.replace(/\/+$/, '');
  };

  let profiles: SimulatorProfileOverrides = {};
  try {
    profiles = parseSimulatorProfiles(str('SIMULATOR_PROFILES'));
  } catch (err) {
    issues.push((err as Error).message);
  }

  const providers = {} as Record<ProviderName, ProviderEndpointConfig>;
  for (const name of PROVIDER_NAMES) {
    const prefix = PROVIDER_ENV_PREFIX[name];
    providers[name] = {
      baseUrl: baseUrl(`${prefix}_BASE_URL` as FinanceHubEnvKey),
      apiKey: str(`${prefix}_API_KEY` as FinanceHubEnvKey),
    };
  }

  const config: FinanceHubConfig = {
    simulator: {
      enabled: bool('SIMULATOR_ENABLED', d.simulator.enabled),
      port: int('SIMULATOR_PORT', d.simulator.port, 0, 65535),
      profiles,
    },
    providers,
    providerTimeoutMs: int('PROVIDER_TIMEOUT_MS', d.providerTimeoutMs, 1, 120_000),
    stockProviderOrder: parseOrder(
      str('STOCK_PROVIDER_ORDER'),
      d.stockProviderOrder,
      issues,
    ),
    cache: {
      ttlMs: {
        stock_quote: int(
          'CACHE_TTL_QUOTE_MS',
          d.cache.ttlMs.stock_quote,
          0,
          86_400_000,
        ),
        crypto_price: int(
          'CACHE_TTL_CRYPTO_MS',
          d.cache.ttlMs.crypto_price,
          0,
          86_400_000,
        ),
      },
      staleMs: {
        stock_quote: int('CACHE_STALE_QUOTE_MS', d.cache.staleMs.stock_quote, 0, 86_400_000),
        crypto_price: int('CACHE_STALE_CRYPTO_MS', d.cache.staleMs.crypto_price, 0, 86_400_000),
      },
      maxEntries: int('CACHE_MAX_ENTRIES', d.cache.maxEntries, 1, 10_000_000),
    },
    traffic: {
      enabled: bool('TRAFFIC_GENERATOR', d.traffic.enabled),
      intervalMs: int('TRAFFIC_INTERVAL_MS', d.traffic.intervalMs, 10, 3_600_000),
    },
    monitoring: bool('FINANCEHUB_MONITORING', d.monitoring),
  };

  if (issues.length > 0) throw new FinanceHubConfigError(issues);
  return config;
}

/** Where a provider's adapter should send requests. */
export function resolveProviderBaseUrl(
  config: FinanceHubConfig,
  provider: ProviderName,
  simulatorUrl?: string,
): string {
  const explicit = config.providers[provider].baseUrl;
  if (explicit) return explicit;
  if (config.simulator.enabled && simulatorUrl) return simulatorUrl;
  return PUBLIC_PROVIDER_URLS[provider];
}

function parseOrder(
  raw: string | undefined,
  fallback: readonly ProviderName[],
  issues: string[],
): ProviderName[] {
  if (raw === undefined) return [...fallback];
  const names = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const known = PROVIDER_NAMES as readonly string[];
  const unknown = names.filter((n) => !known.includes(n));
  const duplicated = names.filter((n, i) => names.indexOf(n) !== i);
  if (names.length === 0) {
    issues.push('STOCK_PROVIDER_ORDER must name at least one provider');
  } else if (unknown.length > 0) {
    issues.push(
      `STOCK_PROVIDER_ORDER names unknown provider(s) ${unknown.join(', ')} (known: ${PROVIDER_NAMES.join(', ')})`,
    );
  } else if (duplicated.length > 0) {
    issues.push(`STOCK_PROVIDER_ORDER lists ${duplicated.join(', ')} more than once`);
  } else {
    return names as ProviderName[];
  }
  return [...fallback];
}
