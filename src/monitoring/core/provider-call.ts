/** One provider call as reported to the monitor. */
export interface ProviderCall {
  provider: string;
  /** Time the caller waited, in milliseconds (0 is a valid value). */
  latencyMs: number;
  success: boolean;
  timedOut?: boolean;
  rateLimited?: boolean;
  /** Set when the caller knows whether a cache answered; counted in the cache stats at level L1. */
  cacheHit?: boolean;
  errorType?: string;
  errorMessage?: string;
}

/** Why a sample was not stored. */
export type RecordOutcome = 'recorded' | 'invalid' | 'provider_limit';

export interface TrackOptions {
  /** Abort the call and record a timeout after this many milliseconds. */
  timeoutMs?: number;
}

export type ProviderErrorType =
  | 'rate_limited'
  | 'auth'
  | 'no_data'
  | 'http_error'
  | 'bad_response'
  | 'network'
  | 'timeout';

/**
 * Thrown by provider adapters so `track` can classify a failure; any other error is
 * recorded with its `name` as the error type.
 */
export class ProviderCallError extends Error {
  override name = 'ProviderCallError';
  readonly type: ProviderErrorType;
  readonly status?: number;

  constructor(message: string, type: ProviderErrorType, status?: number) {
    super(message);
    this.type = type;
    this.status = status;
  }

  get rateLimited(): boolean {
    return this.type === 'rate_limited';
  }
}

/** Thrown by `track` when the call outlived its timeout. */
export class ProviderTimeoutError extends ProviderCallError {
  constructor(
    readonly provider: string,
    readonly timeoutMs: number,
  ) {
    super(`${provider} did not answer within ${timeoutMs} ms`, 'timeout');
    this.name = 'ProviderTimeoutError';
  }
}
