import { ProviderSimulator } from '../simulator/provider-simulator';
import { seededRandom } from '../simulator/random';
import { INSTANT_PROFILE } from '../simulator/simulator-profile';
import { FinnhubAdapter } from './finnhub.adapter';
import { servesCryptoPrices, servesStockQuotes } from './market-data-provider';

const KEY = 'fh-secret-key-123';
const signal = () => new AbortController().signal;

describe('FinnhubAdapter (against the simulator)', () => {
  let sim: ProviderSimulator;
  let adapter: FinnhubAdapter;

  beforeEach(async () => {
    sim = new ProviderSimulator({
      profiles: { finnhub: INSTANT_PROFILE },
      random: seededRandom(1),
      apiKeys: { finnhub: KEY },
      now: () => new Date('2025-01-15T14:30:00Z'),
    });
    adapter = new FinnhubAdapter({ baseUrl: await sim.start(), apiKey: KEY });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await sim.close();
  });

  it('declares that it serves stock quotes only', () => {
    expect(servesStockQuotes(adapter)).toBe(true);
    expect(servesCryptoPrices(adapter)).toBe(false);
  });

  it('normalises a quote', async () => {
    const q = await adapter.fetchQuote('AAPL', signal());
    expect(q).toMatchObject({
      symbol: 'AAPL',
      provider: 'finnhub',
      timestamp: '2025-01-15T14:30:00.000Z',
    });
    expect(q.price).toBeGreaterThan(150);
    expect(q.previousClose).toBe(189.5);
    expect(q.change).toBeCloseTo(q.price - 189.5, 1);
    expect(q.high).toBeGreaterThanOrEqual(q.low!);
    expect(typeof q.changePercent).toBe('number');
  });

  it('treats the all-zero answer for an unknown symbol as no_data', async () => {
    await expect(adapter.fetchQuote('NOPE', signal())).rejects.toMatchObject({
      name: 'ProviderCallError',
      type: 'no_data',
    });
  });

  it('classifies 429 as rate_limited', async () => {
    sim.setProfile('finnhub', { rateLimitRate: 1 });
    await expect(adapter.fetchQuote('AAPL', signal())).rejects.toMatchObject({
      type: 'rate_limited',
      status: 429,
    });
  });

  it('classifies 5xx as http_error', async () => {
    sim.setProfile('finnhub', { errorRate: 1 });
    await expect(adapter.fetchQuote('AAPL', signal())).rejects.toMatchObject({
      type: 'http_error',
      status: 500,
    });
  });

  it('classifies a rejected key as auth and never shows the key', async () => {
    const wrong = new FinnhubAdapter({ baseUrl: sim.url, apiKey: 'wrong-key-456' });
    const err = await wrong.fetchQuote('AAPL', signal()).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'auth', status: 401 });
    expect((err as Error).message).toContain('token=***');
    expect((err as Error).message).not.toContain('wrong-key-456');
  });

  it('classifies an abort (track timeout) as timeout', async () => {
    sim.setProfile('finnhub', { timeoutRate: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(adapter.fetchQuote('AAPL', controller.signal)).rejects.toMatchObject({
      type: 'timeout',
    });
  });

  it.each([
    ['a body of the wrong shape', '{"c":"189.5","d":1}'],
    ['a body without a price', '{"error":"unexpected"}'],
    ['a JSON array', '[]'],
  ])('classifies %s as bad_response', async (_label, body) => {
    jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(new Response(body, { status: 200 }));
    await expect(adapter.fetchQuote('AAPL', signal())).rejects.toMatchObject({
      type: 'bad_response',
    });
  });

  it('classifies an unreachable host as network, without the key', async () => {
    const url = sim.url;
    await sim.close();
    const err = await adapter.fetchQuote('AAPL', signal()).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'network' });
    expect((err as Error).message).not.toContain(KEY);
    expect((err as Error).message).toContain(`${url}/api/v1/quote?symbol=AAPL&token=***`);
  });
});
