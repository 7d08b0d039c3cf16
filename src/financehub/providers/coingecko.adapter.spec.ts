import { ProviderSimulator } from '../simulator/provider-simulator';
import { seededRandom } from '../simulator/random';
import { INSTANT_PROFILE } from '../simulator/simulator-profile';
import { CoinGeckoAdapter } from './coingecko.adapter';
import { servesCryptoPrices, servesStockQuotes } from './market-data-provider';

const KEY = 'CG-demo-secret';
const signal = () => new AbortController().signal;

describe('CoinGeckoAdapter (against the simulator)', () => {
  let sim: ProviderSimulator;
  let adapter: CoinGeckoAdapter;
  const now = new Date('2025-01-15T14:30:00Z');

  beforeEach(async () => {
    sim = new ProviderSimulator({
      profiles: { coingecko: INSTANT_PROFILE },
      random: seededRandom(3),
      apiKeys: { coingecko: KEY },
    });
    adapter = new CoinGeckoAdapter({ baseUrl: await sim.start(), apiKey: KEY, now: () => now });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await sim.close();
  });

  it('declares that it serves crypto prices only', () => {
    expect(servesCryptoPrices(adapter)).toBe(true);
    expect(servesStockQuotes(adapter)).toBe(false);
  });

  it('returns the price, sending the key as the demo header', async () => {
    const p = await adapter.fetchCryptoPrice('bitcoin', 'eur', signal());
    expect(p).toMatchObject({
      id: 'bitcoin',
      currency: 'eur',
      provider: 'coingecko',
      timestamp: now.toISOString(),
    });
    expect(p.price).toBeGreaterThan(50_000);
    expect(p.price).toBeLessThan(70_000);
  });

  it('classifies an id missing from the answer as no_data', async () => {
    await expect(adapter.fetchCryptoPrice('notacoin', 'usd', signal())).rejects.toMatchObject({
      type: 'no_data',
    });
  });

  it.each([
    ['constructor', 'usd'],
    ['bitcoin', 'valueof'],
  ])('classifies id %s in %s, named after an Object.prototype member, as no_data', async (id, currency) => {
    await expect(adapter.fetchCryptoPrice(id, currency, signal())).rejects.toMatchObject({ type: 'no_data' });
  });

  it('classifies an unsupported currency as no_data', async () => {
    await expect(adapter.fetchCryptoPrice('bitcoin', 'xyz', signal())).rejects.toMatchObject({
      type: 'no_data',
    });
  });

  it('classifies 429 as rate_limited', async () => {
    sim.setProfile('coingecko', { rateLimitRate: 1 });
    await expect(adapter.fetchCryptoPrice('bitcoin', 'usd', signal())).rejects.toMatchObject({
      type: 'rate_limited',
      status: 429,
    });
  });

  it('classifies a 503 page as http_error', async () => {
    sim.setProfile('coingecko', { errorRate: 1 });
    await expect(adapter.fetchCryptoPrice('bitcoin', 'usd', signal())).rejects.toMatchObject({
      type: 'http_error',
      status: 503,
    });
  });

  it('classifies a wrong key as auth without showing it', async () => {
    const wrong = new CoinGeckoAdapter({ baseUrl: sim.url, apiKey: 'CG-wrong-key' });
    const err = await wrong.fetchCryptoPrice('bitcoin', 'usd', signal()).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'auth', status: 401 });
    expect((err as Error).message).not.toContain('CG-wrong-key');
  });

  it.each([
    ['an entry that is not an object', '{"bitcoin":67000}'],
    ['a price that is not a number', '{"bitcoin":{"usd":"67000"}}'],
  ])('classifies %s as bad_response', async (_label, body) => {
    jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(new Response(body, { status: 200 }));
    await expect(adapter.fetchCryptoPrice('bitcoin', 'usd', signal())).rejects.toMatchObject({
      type: 'bad_response',
    });
  });

  it('classifies an abort as timeout', async () => {
    sim.setProfile('coingecko', { timeoutRate: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(adapter.fetchCryptoPrice('bitcoin', 'usd', controller.signal)).rejects.toMatchObject({
      type: 'timeout',
    });
  });
});
