import type {
  CryptoPrice,
  CryptoPriceProvider,
  MarketDataType,
  ProviderAdapterOptions,
} from './market-data-provider';
import { badResponse, isRecord, noData, providerUrl } from './parse';
import { getProviderJson } from './provider-http';

/** CoinGecko `GET /api/v3/simple/price?ids=bitcoin&vs_currencies=usd` (demo key in a header). */
export class CoinGeckoAdapter implements CryptoPriceProvider {
  readonly name = 'coingecko';
  readonly dataTypes: readonly MarketDataType[] = ['crypto_price'];

  constructor(private readonly options: ProviderAdapterOptions) {}

  async fetchCryptoPrice(
    id: string,
    currency: string,
    signal: AbortSignal,
  ): Promise<CryptoPrice> {
    const url = providerUrl(this.options.baseUrl, '/api/v3/simple/price');
    url.searchParams.set('ids', id);
    url.searchParams.set('vs_currencies', currency);

    const body = await getProviderJson({
      provider: this.name,
      url,
      signal,
      headers: this.options.apiKey
        ? { 'x-cg-demo-api-key': this.options.apiKey }
        : undefined,
      secrets: [this.options.apiKey],
    });
    if (!isRecord(body)) throw badResponse(this.name, 'body is not an object');
    // Unknown ids are simply absent ({}), unknown currencies leave an empty entry. Own keys only:
    // an id such as "constructor" must not find Object.prototype's.
    const entry = Object.hasOwn(body, id) ? body[id] : undefined;
    if (entry === undefined) throw noData(this.name, `coin ${id}`);
    if (!isRecord(entry)) throw badResponse(this.name, `"${id}" is not an object`);
    const price = Object.hasOwn(entry, currency) ? entry[currency] : undefined;
    if (price === undefined) throw noData(this.name, `coin ${id} in ${currency}`);
    if (typeof price !== 'number' || !Number.isFinite(price)) {
      throw badResponse(this.name, `"${id}.${currency}" is not a number`);
    }
    return {
      id,
      currency,
      price,
      provider: this.name,
      timestamp: (this.options.now?.() ?? new Date()).toISOString(),
    };
  }
}
