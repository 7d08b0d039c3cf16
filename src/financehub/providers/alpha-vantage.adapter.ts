import { ProviderCallError } from '../../monitoring';
import type {
  MarketDataType,
  ProviderAdapterOptions,
  Quote,
  StockQuoteProvider,
} from './market-data-provider';
import { badResponse, isRecord, noData, providerUrl } from './parse';
import { getProviderJson } from './provider-http';

const RATE_LIMIT_WORDING = /rate limit|requests per|call frequency|premium/i;
const API_KEY_WORDING = /api ?key/i;

const NAME = 'alphavantage';

/**
 * Alpha Vantage `GET /query?function=GLOBAL_QUOTE&symbol=IBM&apikey=KEY`.
 * Rate limits and key problems arrive as HTTP 200 with a "Note", "Information" or
 * "Error Message" field, so the body decides. Those texts can echo the key
 * ("We have detected your API key as ..."), so they are never copied into errors.
 */
export class AlphaVantageAdapter implements StockQuoteProvider {
  readonly name = NAME;
  readonly dataTypes: readonly MarketDataType[] = ['stock_quote'];

  constructor(private readonly options: ProviderAdapterOptions) {}

  async fetchQuote(symbol: string, signal: AbortSignal): Promise<Quote> {
    const url = providerUrl(this.options.baseUrl, '/query');
    url.searchParams.set('function', 'GLOBAL_QUOTE');
    url.searchParams.set('symbol', symbol);
    if (this.options.apiKey) url.searchParams.set('apikey', this.options.apiKey);

    const body = await getProviderJson({
      provider: this.name,
      url,
      signal,
      secrets: [this.options.apiKey],
    });
    if (!isRecord(body)) throw badResponse(this.name, 'body is not an object');
    const notice = alphaVantageNotice(body);
    if (notice) throw notice;

    const gq = body['Global Quote'];
    if (!isRecord(gq)) throw badResponse(this.name, '"Global Quote" is missing');
    // Unknown symbols come back as {"Global Quote": {}}.
    if (Object.keys(gq).length === 0) throw noData(this.name, `symbol ${symbol}`);

    const num = (field: string, required = false): number | undefined => {
      const raw = gq[field];
      if (raw === undefined && !required) return undefined;
      const n =
        typeof raw === 'string' ? Number(raw.trim().replace(/%$/, '')) : NaN;
      if (raw === '' || !Number.isFinite(n)) {
        throw badResponse(this.name, `"${field}" is not a number`);
      }
      return n;
    };

    const price = num('05. price', true) as number;
    if (price <= 0) throw noData(this.name, `symbol ${symbol}`);
    return {
      symbol,
      price,
      change: num('09. change') ?? 0,
      changePercent: num('10. change percent') ?? 0,
      high: num('03. high'),
      low: num('04. low'),
      open: num('02. open'),
      previousClose: num('08. previous close'),
      // The quote only names its trading day, so the time we read it stands in.
      timestamp: (this.options.now?.() ?? new Date()).toISOString(),
      provider: this.name,
    };
  }
}

/**
 * The failure an Alpha Vantage 200 body carries instead of data, if any. The notices'
 * text is not copied: it can contain the caller's key.
 */
export function alphaVantageNotice(
  body: Record<string, unknown>,
): ProviderCallError | undefined {
  if (typeof body['Note'] === 'string') {
    return new ProviderCallError(
      `${NAME} rate limit note in a 200 response`,
      'rate_limited',
    );
  }
  const info = body['Information'];
  if (typeof info === 'string') {
    // The daily-cap notice mentions both the key and the rate limit: the limit wins.
    const isKeyProblem =
      API_KEY_WORDING.test(info) && !RATE_LIMIT_WORDING.test(info);
    return isKeyProblem
      ? new ProviderCallError(
          `${NAME} rejected the API key (information notice in a 200 response)`,
          'auth',
        )
      : new ProviderCallError(
          `${NAME} rate limit notice in a 200 response`,
          'rate_limited',
        );
  }
  const error = body['Error Message'];
  if (typeof error === 'string') {
    // "the parameter apikey is invalid or missing" vs "Invalid API call" for a bad symbol.
    return /apikey|api key/i.test(error)
      ? new ProviderCallError(
          `${NAME} rejected the API key (error message in a 200 response)`,
          'auth',
        )
      : new ProviderCallError(
          `${NAME} refused the request (error message in a 200 response); the symbol is probably unknown`,
          'no_data',
        );
  }
  return undefined;
}
