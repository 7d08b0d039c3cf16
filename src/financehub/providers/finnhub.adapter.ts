import type {
  MarketDataType,
  ProviderAdapterOptions,
  Quote,
  StockQuoteProvider,
} from './market-data-provider';
import { badResponse, isRecord, noData, providerUrl } from './parse';
import { getProviderJson } from './provider-http';

const FIELDS = ['c', 'd', 'dp', 'h', 'l', 'o', 'pc', 't'] as const;
type FinnhubQuote = Record<(typeof FIELDS)[number], number | null>;

/** Finnhub `GET /api/v1/quote?symbol=AAPL&token=KEY`. */
export class FinnhubAdapter implements StockQuoteProvider {
  readonly name = 'finnhub';
  readonly dataTypes: readonly MarketDataType[] = ['stock_quote'];

  constructor(private readonly options: ProviderAdapterOptions) {}

  async fetchQuote(symbol: string, signal: AbortSignal): Promise<Quote> {
    const url = providerUrl(this.options.baseUrl, '/api/v1/quote');
    url.searchParams.set('symbol', symbol);
    if (this.options.apiKey) url.searchParams.set('token', this.options.apiKey);

    const body = await getProviderJson({
      provider: this.name,
      url,
      signal,
      secrets: [this.options.apiKey],
    });
    const q = this.parse(body);
    // Finnhub answers an unknown symbol with 200 and every field 0 or null: not a price of 0.
    if (q.c === null || q.c === 0) throw noData(this.name, `symbol ${symbol}`);

    return {
      symbol,
      price: q.c,
      change: q.d ?? 0,
      changePercent: q.dp ?? 0,
      high: q.h ?? undefined,
      low: q.l ?? undefined,
      open: q.o ?? undefined,
      previousClose: q.pc ?? undefined,
      timestamp:
        q.t && q.t > 0
          ? new Date(q.t * 1000).toISOString()
          : (this.options.now?.() ?? new Date()).toISOString(),
      provider: this.name,
    };
  }

  private parse(body: unknown): FinnhubQuote {
    if (!isRecord(body)) throw badResponse(this.name, 'body is not an object');
    // An unknown symbol still carries "c" (as 0); a body without it is something else.
    if (!('c' in body)) throw badResponse(this.name, 'field "c" is missing');
    const out: Partial<FinnhubQuote> = {};
    for (const field of FIELDS) {
      const v = body[field];
      if (v === null || v === undefined) out[field] = null;
      else if (typeof v === 'number' && Number.isFinite(v)) out[field] = v;
      else throw badResponse(this.name, `field "${field}" is not a number`);
    }
    return out as FinnhubQuote;
  }
}
