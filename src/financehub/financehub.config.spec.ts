import {
  FINANCEHUB_DEFAULTS,
  FinanceHubConfigError,
  parseFinanceHubConfig,
  resolveProviderBaseUrl,
} from './financehub.config';

describe('parseFinanceHubConfig', () => {
  it('gives the defaults for an empty environment', () => {
    const config = parseFinanceHubConfig({});
    expect(config).toEqual(FINANCEHUB_DEFAULTS);
    expect(config).toMatchObject({
      simulator: { enabled: true, port: 0 },
      providerTimeoutMs: 2000,
      stockProviderOrder: ['finnhub', 'alphavantage'],
      cache: { ttlMs: { stock_quote: 5000, crypto_price: 10000 }, maxEntries: 1000 },
      traffic: { enabled: true, intervalMs: 1000 },
    });
  });

  it('treats empty strings as unset', () => {
    expect(
      parseFinanceHubConfig({ PROVIDER_TIMEOUT_MS: '', FINNHUB_API_KEY: ' ' }),
    ).toEqual(FINANCEHUB_DEFAULTS);
  });

  it('reads every variable', () => {
    const config = parseFinanceHubConfig({
      SIMULATOR_ENABLED: 'false',
      SIMULATOR_PORT: '4010',
      SIMULATOR_PROFILES: '{"finnhub":{"errorRate":1}}',
      FINNHUB_BASE_URL: 'http://localhost:9000/',
      FINNHUB_API_KEY: 'fh',
      ALPHAVANTAGE_BASE_URL: 'https://proxy.example/av',
      ALPHAVANTAGE_API_KEY: 'av',
      COINGECKO_API_KEY: 'cg',
      PROVIDER_TIMEOUT_MS: '750',
      STOCK_PROVIDER_ORDER: ' AlphaVantage , finnhub ',
      CACHE_TTL_QUOTE_MS: '0',
      CACHE_TTL_CRYPTO_MS: '30000',
      CACHE_STALE_QUOTE_MS: '0',
      CACHE_STALE_CRYPTO_MS: '120000',
      CACHE_MAX_ENTRIES: '50',
      TRAFFIC_GENERATOR: 'off',
      TRAFFIC_INTERVAL_MS: '250',
      FINANCEHUB_MONITORING: 'false',
    });
    expect(config).toEqual({
      simulator: { enabled: false, port: 4010, profiles: { finnhub: { errorRate: 1 } } },
      providers: {
        finnhub: { baseUrl: 'http://localhost:9000', apiKey: 'fh' },
        alphavantage: { baseUrl: 'https://proxy.example/av', apiKey: 'av' },
        coingecko: { baseUrl: undefined, apiKey: 'cg' },
      },
      providerTimeoutMs: 750,
      stockProviderOrder: ['alphavantage', 'finnhub'],
      cache: { ttlMs: { stock_quote: 0, crypto_price: 30000 }, staleMs: { stock_quote: 0, crypto_price: 120000 }, maxEntries: 50 },
      traffic: { enabled: false, intervalMs: 250 },
      monitoring: false,
    });
  });

  it('accepts numbers and booleans from a typed config source', () => {
    const config = parseFinanceHubConfig({ SIMULATOR_PORT: 0, TRAFFIC_GENERATOR: false });
    expect(config.traffic.enabled).toBe(false);
    expect(config.simulator.port).toBe(0);
  });

  it.each([
    [{ FINNHUB_BASE_URL: 'http://u:p@127.0.0.1:9' }, 'FINNHUB_BASE_URL must not hold a user name or password (use the _API_KEY variable)'],
    [{ SIMULATOR_ENABLED: 'maybe' }, 'SIMULATOR_ENABLED must be true or false (got "maybe")'],
    [{ SIMULATOR_PORT: '70000' }, 'SIMULATOR_PORT must be an integer from 0 to 65535 (got "70000")'],
    [{ PROVIDER_TIMEOUT_MS: '2s' }, 'PROVIDER_TIMEOUT_MS must be an integer from 1 to 120000 (got "2s")'],
    [{ PROVIDER_TIMEOUT_MS: '0' }, 'PROVIDER_TIMEOUT_MS must be an integer'],
    [{ CACHE_TTL_QUOTE_MS: '-5' }, 'CACHE_TTL_QUOTE_MS must be an integer'],
    [{ CACHE_MAX_ENTRIES: '1.5' }, 'CACHE_MAX_ENTRIES must be an integer'],
    [{ CACHE_STALE_CRYPTO_MS: 'soon' }, 'CACHE_STALE_CRYPTO_MS must be an integer from 0 to 86400000 (got "soon")'],
    [{ TRAFFIC_INTERVAL_MS: '1' }, 'TRAFFIC_INTERVAL_MS must be an integer from 10'],
    [{ STOCK_PROVIDER_ORDER: 'finnhub,yahoo' }, 'STOCK_PROVIDER_ORDER names unknown provider(s) yahoo'],
    [{ STOCK_PROVIDER_ORDER: 'finnhub,finnhub' }, 'STOCK_PROVIDER_ORDER lists finnhub more than once'],
    [{ STOCK_PROVIDER_ORDER: ',' }, 'STOCK_PROVIDER_ORDER must name at least one provider'],
    [{ FINNHUB_BASE_URL: 'finnhub.io' }, 'FINNHUB_BASE_URL must be an absolute http(s) URL'],
    [{ COINGECKO_BASE_URL: 'ftp://x' }, 'COINGECKO_BASE_URL must use http or https'],
    [{ SIMULATOR_PROFILES: '{"finnhub":{"errorRate":3}}' }, 'SIMULATOR_PROFILES.finnhub.errorRate must be a number between 0 and 1'],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => parseFinanceHubConfig(env)).toThrow(message);
  });

  it('reports every problem at once', () => {
    const attempt = () =>
      parseFinanceHubConfig({ SIMULATOR_PORT: 'x', CACHE_MAX_ENTRIES: '0' });
    expect(attempt).toThrow(FinanceHubConfigError);
    expect(attempt).toThrow(/- SIMULATOR_PORT .*\n- CACHE_MAX_ENTRIES /);
  });

  it('never echoes a secret from a malformed base URL', () => {
    expect(() =>
      parseFinanceHubConfig({ FINNHUB_BASE_URL: 'nohost?token=topsecret' }),
    ).toThrow(/token=\*\*\*/);
  });
});

describe('resolveProviderBaseUrl', () => {
  it('prefers an explicit URL, then the simulator, then the public host', () => {
    const withSim = parseFinanceHubConfig({ FINNHUB_BASE_URL: 'http://mine' });
    expect(resolveProviderBaseUrl(withSim, 'finnhub', 'http://sim')).toBe('http://mine');
    expect(resolveProviderBaseUrl(withSim, 'coingecko', 'http://sim')).toBe('http://sim');

    const noSim = parseFinanceHubConfig({ SIMULATOR_ENABLED: 'false' });
    expect(resolveProviderBaseUrl(noSim, 'finnhub')).toBe('https://finnhub.io');
    expect(resolveProviderBaseUrl(noSim, 'alphavantage')).toBe('https://www.alphavantage.co');
    expect(resolveProviderBaseUrl(noSim, 'coingecko')).toBe('https://api.coingecko.com');
  });
});
