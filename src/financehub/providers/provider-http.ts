import { ProviderCallError } from '../../monitoring';
import { redactSecrets } from '../../monitoring';

export interface ProviderRequest {
  provider: string;
  url: URL;
  signal: AbortSignal;
  headers?: Record<string, string>;
  /** Values that must never appear in an error message (API keys). */
  secrets?: readonly (string | undefined)[];
}

/**
 * GETs a provider URL and returns the parsed JSON body of a 2xx answer. Transport and status
 * failures become ProviderCallError; deciding whether a 2xx body is really data is left to the
 * adapter, because each provider reports failures inside 200 bodies differently.
 */
export async function getProviderJson(req: ProviderRequest): Promise<unknown> {
  const { provider, url, signal } = req;
  const where = redactSecrets(url);
  let res: Response;
  try {
    res = await fetch(url, {
      signal,
      headers: { accept: 'application/json', ...req.headers },
    });
  } catch (err) {
    throw transportError(req, err, `on GET ${where}`);
  }

  if (res.status < 200 || res.status > 299) {
    // Free the connection; the body of an error answer is not needed.
    await res.body?.cancel().catch(() => undefined);
    throw statusError(provider, res.status, where);
  }

  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    throw transportError(req, err, `while reading the body of GET ${where}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderCallError(
      `${provider} answered GET ${where} with a body that is not JSON`,
      'bad_response',
      res.status,
    );
  }
}

function statusError(
  provider: string,
  status: number,
  where: string,
): ProviderCallError {
  if (status === 429) {
    return new ProviderCallError(
      `${provider} rate limit hit (HTTP 429) on GET ${where}`,
      'rate_limited',
      status,
    );
  }
  if (status === 401 || status === 403) {
    return new ProviderCallError(
      `${provider} rejected the API key (HTTP ${status}) on GET ${where}`,
      'auth',
      status,
    );
  }
  return new ProviderCallError(
    `${provider} answered HTTP ${status} on GET ${where}`,
    'http_error',
    status,
  );
}

function transportError(
  req: ProviderRequest,
  err: unknown,
  context: string,
): ProviderCallError {
  if (req.signal.aborted) {
    // track() aborted us on timeout; keep its error if it gave one.
    const reason: unknown = req.signal.reason;
    if (reason instanceof ProviderCallError) return reason;
    return new ProviderCallError(
      `${req.provider} call aborted ${context}`,
      'timeout',
    );
  }
  return new ProviderCallError(
    redactSecrets(
      `${req.provider} network error ${context} (${describeCause(err)})`,
      req.secrets,
    ),
    'network',
  );
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

/**
 * undici reports `fetch failed` and hides the useful part (ECONNREFUSED...) in `cause`.
 * Duck-typed: errors from another realm (jest's vm, undici internals) fail `instanceof`.
 */
function describeCause(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const cause = (
    typeof e.cause === 'object' && e.cause !== null ? e.cause : undefined
  ) as ErrorLike | undefined;
  const source = cause ?? e;
  const message =
    typeof source.message === 'string' ? source.message : String(err);
  return typeof source.code === 'string'
    ? `${source.code} (${message})`
    : message;
}
