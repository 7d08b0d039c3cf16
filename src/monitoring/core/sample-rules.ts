import { ProviderCall } from './provider-call';

/** Rules for a sample, shared by the engine and the HTTP DTOs so both reject the same things. */
export const MAX_PROVIDER_NAME_LENGTH = 128;
/** A provider call longer than an hour is a broken clock or a unit mistake, not a latency. */
export const MAX_LATENCY_MS = 3_600_000;
export const MAX_CACHE_LEVEL_LENGTH = 32;
export const MAX_ERROR_TYPE_LENGTH = 64;

export function isValidProviderName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_PROVIDER_NAME_LENGTH;
}

export function isValidCacheLevel(level: unknown): level is string {
  return typeof level === 'string' && level.length > 0 && level.length <= MAX_CACHE_LEVEL_LENGTH;
}

/** Returns why a call cannot be stored, or null when it can. */
export function invalidCallReason(call: ProviderCall): string | null {
  if (call === null || typeof call !== 'object') return 'call must be an object';
  if (!isValidProviderName(call.provider)) {
    return `provider must be a string of 1 to ${MAX_PROVIDER_NAME_LENGTH} characters`;
  }
  const latency = call.latencyMs;
  if (typeof latency !== 'number' || !(latency >= 0 && latency <= MAX_LATENCY_MS)) {
    return `latencyMs must be a number from 0 to ${MAX_LATENCY_MS}`;
  }
  if (typeof call.success !== 'boolean') return 'success must be a boolean';
  for (const flag of ['timedOut', 'rateLimited', 'cacheHit'] as const) {
    if (call[flag] !== undefined && typeof call[flag] !== 'boolean') return `${flag} must be a boolean`;
  }
  for (const text of ['errorType', 'errorMessage'] as const) {
    if (call[text] !== undefined && typeof call[text] !== 'string') return `${text} must be a string`;
  }
  return null;
}
