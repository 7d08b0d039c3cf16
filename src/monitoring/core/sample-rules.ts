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

/** Control characters break logs, terminals and label values; a lone surrogate breaks strict JSON. */
const UNPRINTABLE = /[\u0000-\u001f\u007f]/;

/**
 * The full rule for a new provider name (the record path checks only the length, since a name
 * already stored passed this once): 1-128 UTF-16 code units, not blank, no control characters,
 * well-formed Unicode.
 */
export function providerNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > MAX_PROVIDER_NAME_LENGTH) return `provider must be 1 to ${MAX_PROVIDER_NAME_LENGTH} characters long`;
  if (name.trim().length === 0) return 'provider must not be blank';
  if (UNPRINTABLE.test(name)) return 'provider must not contain control characters';
  if (!name.isWellFormed()) return 'provider must be well-formed Unicode (no lone surrogates)';
  return null;
}

export function isValidCacheLevel(level: unknown): level is string {
  return typeof level === 'string' && level.length > 0 && level.length <= MAX_CACHE_LEVEL_LENGTH;
}

/** True when a call can be stored: the record path's check, one branch for the common case. */
export function isValidCall(call: ProviderCall): boolean {
  if (call === null || typeof call !== 'object') return false;
  const { provider, latencyMs } = call;
  if (
    typeof provider === 'string' &&
    provider.length > 0 &&
    provider.length <= MAX_PROVIDER_NAME_LENGTH &&
    typeof latencyMs === 'number' &&
    latencyMs >= 0 && // false for NaN
    latencyMs <= MAX_LATENCY_MS &&
    typeof call.success === 'boolean' &&
    call.timedOut === undefined &&
    call.rateLimited === undefined &&
    call.cacheHit === undefined &&
    call.errorType === undefined &&
    call.errorMessage === undefined
  ) {
    return true;
  }
  return invalidCallReason(call) === null;
}

/** Returns why a call cannot be stored, or null when it can. */
export function invalidCallReason(call: ProviderCall): string | null {
  if (call === null || typeof call !== 'object') return 'call must be an object';
  if (typeof call.provider !== 'string') return 'provider must be a string';
  const nameProblem = providerNameProblem(call.provider);
  if (nameProblem) return nameProblem;
  const latency = call.latencyMs;
  if (typeof latency !== 'number' || !(latency >= 0 && latency <= MAX_LATENCY_MS)) {
    return `latencyMs must be a number from 0 to ${MAX_LATENCY_MS}`;
  }
  if (typeof call.success !== 'boolean') return 'success must be a boolean';
  // Written out rather than looped: this runs on every record.
  if (call.timedOut !== undefined && typeof call.timedOut !== 'boolean') return 'timedOut must be a boolean';
  if (call.rateLimited !== undefined && typeof call.rateLimited !== 'boolean') return 'rateLimited must be a boolean';
  if (call.cacheHit !== undefined && typeof call.cacheHit !== 'boolean') return 'cacheHit must be a boolean';
  if (call.errorType !== undefined && typeof call.errorType !== 'string') return 'errorType must be a string';
  if (call.errorMessage !== undefined && typeof call.errorMessage !== 'string') return 'errorMessage must be a string';
  return null;
}
