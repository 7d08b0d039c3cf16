import { PROVIDER_NAMES, type ProviderName } from '../providers/market-data-provider';

export type SimulatedProvider = ProviderName;
export const SIMULATED_PROVIDERS: readonly SimulatedProvider[] = PROVIDER_NAMES;

/**
 * How one simulated provider behaves. Each rate is checked on its own roll, in the order
 * timeout, rate limit, error, no data, so any combination of values in [0, 1] is valid
 * (`errorRate: 1` means every request that is not timed out or rate limited fails).
 */
export interface ProviderProfile {
  /** Answer delay: uniform in median ± jitter, never below 0. */
  latencyMs: { median: number; jitter: number };
  /** HTTP 5xx answers. */
  errorRate: number;
  /** The provider's own rate-limit answer (429, or Alpha Vantage's 200 + "Note"). */
  rateLimitRate: number;
  /** Never answers; only the client giving up (or the simulator closing) ends the request. */
  timeoutRate: number;
  /** Answers a known symbol the way the provider answers an unknown one. */
  noDataRate: number;
}

export interface ProviderProfilePatch {
  latencyMs?: Partial<ProviderProfile['latencyMs']>;
  errorRate?: number;
  rateLimitRate?: number;
  timeoutRate?: number;
  noDataRate?: number;
}

export type SimulatorProfileOverrides = Partial<
  Record<SimulatedProvider, ProviderProfilePatch>
>;

/** Finnhub fast and reliable, Alpha Vantage slow and rate limited, CoinGecko flaky (~20 % fail). */
export const DEFAULT_SIMULATOR_PROFILES: Readonly<
  Record<SimulatedProvider, Readonly<ProviderProfile>>
> = {
  finnhub: {
    latencyMs: { median: 40, jitter: 20 },
    errorRate: 0.01,
    rateLimitRate: 0,
    timeoutRate: 0,
    noDataRate: 0,
  },
  alphavantage: {
    latencyMs: { median: 700, jitter: 300 },
    errorRate: 0.02,
    rateLimitRate: 0.1,
    timeoutRate: 0.01,
    noDataRate: 0.02,
  },
  coingecko: {
    latencyMs: { median: 120, jitter: 80 },
    errorRate: 0.12,
    rateLimitRate: 0.06,
    timeoutRate: 0.02,
    noDataRate: 0,
  },
};

/** Answers at once and never fails: a base for tests that switch on one failure at a time. */
export const INSTANT_PROFILE: Readonly<ProviderProfile> = {
  latencyMs: { median: 0, jitter: 0 },
  errorRate: 0,
  rateLimitRate: 0,
  timeoutRate: 0,
  noDataRate: 0,
};

const RATE_FIELDS = [
  'errorRate',
  'rateLimitRate',
  'timeoutRate',
  'noDataRate',
] as const;
const LATENCY_FIELDS = ['median', 'jitter'] as const;
const MAX_LATENCY_MS = 60_000;

export class SimulatorProfileError extends Error {
  override name = 'SimulatorProfileError';
}

/**
 * Parses `SIMULATOR_PROFILES` JSON, e.g. `{"finnhub":{"errorRate":1}}`. Errors name the
 * offending field so a bad deployment fails at startup with a message that says what to fix.
 */
export function parseSimulatorProfiles(
  json: string | undefined,
  source = 'SIMULATOR_PROFILES',
): SimulatorProfileOverrides {
  if (json === undefined || json.trim() === '') return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new SimulatorProfileError(
      `${source} is not valid JSON: ${(err as Error).message}`,
    );
  }
  if (!isPlainObject(raw)) {
    throw new SimulatorProfileError(
      `${source} must be a JSON object keyed by provider (${SIMULATED_PROVIDERS.join(', ')})`,
    );
  }
  const out: SimulatorProfileOverrides = {};
  for (const [name, patch] of Object.entries(raw)) {
    if (!isSimulatedProvider(name)) {
      throw new SimulatorProfileError(
        `${source}.${name} is not a simulated provider (expected one of ${SIMULATED_PROVIDERS.join(', ')})`,
      );
    }
    out[name] = validateProfilePatch(patch, `${source}.${name}`);
  }
  return out;
}

/** Checks a partial profile; `path` prefixes field names in error messages. */
export function validateProfilePatch(
  value: unknown,
  path: string,
): ProviderProfilePatch {
  if (!isPlainObject(value)) {
    throw new SimulatorProfileError(`${path} must be an object`);
  }
  const out: ProviderProfilePatch = {};
  for (const [field, v] of Object.entries(value)) {
    if (field === 'latencyMs') {
      out.latencyMs = validateLatency(v, `${path}.latencyMs`);
    } else if ((RATE_FIELDS as readonly string[]).includes(field)) {
      out[field as (typeof RATE_FIELDS)[number]] = checkNumber(
        v,
        `${path}.${field}`,
        0,
        1,
      );
    } else {
      throw new SimulatorProfileError(
        `${path}.${field} is not a profile field (expected latencyMs, ${RATE_FIELDS.join(', ')})`,
      );
    }
  }
  return out;
}

export function mergeProfile(
  base: Readonly<ProviderProfile>,
  patch: ProviderProfilePatch = {},
): ProviderProfile {
  return {
    latencyMs: { ...base.latencyMs, ...patch.latencyMs },
    errorRate: patch.errorRate ?? base.errorRate,
    rateLimitRate: patch.rateLimitRate ?? base.rateLimitRate,
    timeoutRate: patch.timeoutRate ?? base.timeoutRate,
    noDataRate: patch.noDataRate ?? base.noDataRate,
  };
}

export function isSimulatedProvider(name: string): name is SimulatedProvider {
  return (SIMULATED_PROVIDERS as readonly string[]).includes(name);
}

function validateLatency(
  value: unknown,
  path: string,
): Partial<ProviderProfile['latencyMs']> {
  if (!isPlainObject(value)) {
    throw new SimulatorProfileError(
      `${path} must be an object like {"median":40,"jitter":10}`,
    );
  }
  const out: Partial<ProviderProfile['latencyMs']> = {};
  for (const [field, v] of Object.entries(value)) {
    if (!(LATENCY_FIELDS as readonly string[]).includes(field)) {
      throw new SimulatorProfileError(
        `${path}.${field} is not a latency field (expected median, jitter)`,
      );
    }
    out[field as (typeof LATENCY_FIELDS)[number]] = checkNumber(
      v,
      `${path}.${field}`,
      0,
      MAX_LATENCY_MS,
    );
  }
  return out;
}

function checkNumber(
  value: unknown,
  path: string,
  min: number,
  max: number,
): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max
  ) {
    throw new SimulatorProfileError(
      `${path} must be a number between ${min} and ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
