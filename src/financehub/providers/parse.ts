import { ProviderCallError } from '../../monitoring';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function badResponse(provider: string, what: string): ProviderCallError {
  return new ProviderCallError(
    `${provider} response has an unexpected shape: ${what}`,
    'bad_response',
  );
}

export function noData(provider: string, what: string): ProviderCallError {
  return new ProviderCallError(`${provider} has no data for ${what}`, 'no_data');
}

/** Joins a base URL (which may carry a path prefix) and an absolute API path. */
export function providerUrl(baseUrl: string, path: string): URL {
  return new URL(baseUrl.replace(/\/+$/, '') + path);
}
