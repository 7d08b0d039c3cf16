/** Injection tokens for providers that are values rather than classes. */
export const FINANCEHUB_CONFIG = Symbol('FINANCEHUB_CONFIG');
export const MARKET_DATA_PROVIDERS = Symbol('MARKET_DATA_PROVIDERS');
export const L1_CACHE = Symbol('L1_CACHE');
/** `() => number` in [0, 1); Math.random in production, seeded in tests. */
export const FINANCEHUB_RANDOM = Symbol('FINANCEHUB_RANDOM');

export const TRAFFIC_INTERVAL_NAME = 'financehub-traffic-generator';
export const CACHE_LEVEL_L1 = 'L1';
