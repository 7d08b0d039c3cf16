import { ProviderSimulator } from '../simulator/provider-simulator';
import { seededRandom } from '../simulator/random';
import { INSTANT_PROFILE } from '../simulator/simulator-profile';
import { AlphaVantageAdapter, alphaVantageNotice } from './alpha-vantage.adapter';

const KEY = 'AV-SECRET-KEY-789';
const signal = () => new AbortController().signal;

describe('AlphaVantageAdapter (against the simulator)', () => {
  let sim: ProviderSimulator;
  let adapter: AlphaVantageAdapter;
  const now = new Date('2025-01-15T14:30:00Z');

  beforeEach(async () => {
    sim = new ProviderSimulator({
      profiles: { alphavantage: INSTANT_PROFILE },
      random: seededRandom(2),
      apiKeys: { alphavantage: KEY },
    });
    adapter = new AlphaVantageAdapter({ baseUrl: await sim.start(), apiKey: KEY, now: () => now });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await sim.close();
  });

  it('parses the string-valued Global Quote into numbers', async () => {
    const q = await adapter.fetchQuote('IBM', signal());
    expect(q).toMatchObject({
      symbol: 'IBM',
      provider: 'alphavantage',
      previousClose: 185.9,
      timestamp: now.toISOString(),
    });
    expect(q.price).toBeGreaterThan(150);
    expect(q.change).toBeCloseTo(q.price - 185.9, 3);
    expect(q.changePercent).toBeCloseTo(((q.price - 185.9) / 185.9) * 100, 3);
  });

  it('classifies a 200 with a rate-limit Note as rate_limited', async () => {
    sim.setProfile('alphavantage', { rateLimitRate: 1 });
    await expect(adapter.fetchQuote('IBM', signal())).rejects.toMatchObject({
      type: 'rate_limited',
    });
  });

  it('classifies {"Global Quote":{}} as no_data', async () => {
    await expect(adapter.fetchQuote('NOPE', signal())).rejects.toMatchObject({
      type: 'no_data',
    });
  });

  it('classifies a bad key (200 + Error Message) as auth, without the key', async () => {
    const wrong = new AlphaVantageAdapter({ baseUrl: sim.url, apiKey: 'not-the-key' });
    const err = await wrong.fetchQuote('IBM', signal()).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'auth' });
    expect((err as Error).message).not.toContain('not-the-key');
  });

  it('classifies the demo-key Information notice as auth', async () => {
    const open = new ProviderSimulator({ profiles: { alphavantage: INSTANT_PROFILE } });
    const demo = new AlphaVantageAdapter({ baseUrl: await open.start(), apiKey: 'demo' });
    try {
      await expect(demo.fetchQuote('AAPL', signal())).rejects.toMatchObject({ type: 'auth' });
      await expect(demo.fetchQuote('IBM', signal())).resolves.toMatchObject({ symbol: 'IBM' });
    } finally {
      await open.close();
    }
  });

  it('classifies a 503 page as http_error, with the key redacted', async () => {
    sim.setProfile('alphavantage', { errorRate: 1 });
    const err = await adapter.fetchQuote('IBM', signal()).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'http_error', status: 503 });
    expect((err as Error).message).toContain('apikey=***');
    expect((err as Error).message).not.toContain(KEY);
  });

  it.each([
    ['a missing Global Quote', '{"Meta Data":{}}'],
    ['a price that is not a number', '{"Global Quote":{"01. symbol":"IBM","05. price":"n/a"}}'],
  ])('classifies %s as bad_response', async (_label, body) => {
    jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValueOnce(new Response(body, { status: 200 }));
    await expect(adapter.fetchQuote('IBM', signal())).rejects.toMatchObject({
      type: 'bad_response',
    });
  });

  it('classifies an abort as timeout', async () => {
    sim.setProfile('alphavantage', { timeoutRate: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(adapter.fetchQuote('IBM', controller.signal)).rejects.toMatchObject({
      type: 'timeout',
    });
  });
});

describe('alphaVantageNotice', () => {
  it('reads the daily-cap Information as a rate limit and does not copy its text', () => {
    const err = alphaVantageNotice({
      Information: `We have detected your API key as ${KEY} and our standard API rate limit is 25 requests per day.`,
    });
    expect(err).toMatchObject({ type: 'rate_limited' });
    expect(err?.message).not.toContain(KEY);
  });

  it('reads other Information without key wording as a rate limit', () => {
    expect(alphaVantageNotice({ Information: 'Please slow down.' })).toMatchObject({
      type: 'rate_limited',
    });
  });

  it('reads an Error Message that is not about the key as no_data', () => {
    expect(
      alphaVantageNotice({ 'Error Message': 'Invalid API call. Please retry.' }),
    ).toMatchObject({ type: 'no_data' });
  });

  it('returns nothing for a data body', () => {
    expect(alphaVantageNotice({ 'Global Quote': {} })).toBeUndefined();
  });
});
