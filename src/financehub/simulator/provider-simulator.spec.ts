import { ProviderSimulator } from './provider-simulator';
import { seededRandom } from './random';
import { INSTANT_PROFILE, SIMULATED_PROVIDERS } from './simulator-profile';

const instant = Object.fromEntries(
  SIMULATED_PROVIDERS.map((p) => [p, INSTANT_PROFILE]),
);
const FIXED_NOW = new Date('2025-01-15T14:30:00.000Z');

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the text: some failure modes are HTML
  }
  return { status: res.status, body };
}

describe('ProviderSimulator', () => {
  let sim: ProviderSimulator;

  beforeEach(async () => {
    sim = new ProviderSimulator({
      profiles: instant,
      random: seededRandom(42),
      now: () => FIXED_NOW,
    });
    await sim.start();
  });
  afterEach(() => sim.close());

  it('listens on an ephemeral loopback port', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.listening).toBe(true);
  });

  describe('finnhub', () => {
    it('answers a known symbol with a plausible quote', async () => {
      const { status, body } = await getJson(`${sim.url}/api/v1/quote?symbol=AAPL&token=x`);
      expect(status).toBe(200);
      const q = body as Record<string, number>;
      expect(Object.keys(q).sort()).toEqual(['c', 'd', 'dp', 'h', 'l', 'o', 'pc', 't']);
      expect(q.c).toBeGreaterThan(150);
      expect(q.c).toBeLessThan(230);
      expect(q.h).toBeGreaterThanOrEqual(q.l);
      expect(q.d).toBeCloseTo(q.c - q.pc, 1);
      expect(q.t).toBe(FIXED_NOW.getTime() / 1000);
    });

    it('answers an unknown symbol with the all-zero body', async () => {
      const { status, body } = await getJson(`${sim.url}/api/v1/quote?symbol=ZZZZ`);
      expect(status).toBe(200);
      expect(body).toEqual({ c: 0, d: null, dp: null, h: 0, l: 0, o: 0, pc: 0, t: 0 });
    });

    it('answers 429 when rate limited', async () => {
      sim.setProfile('finnhub', { rateLimitRate: 1 });
      const { status, body } = await getJson(`${sim.url}/api/v1/quote?symbol=AAPL`);
      expect(status).toBe(429);
      expect(body).toMatchObject({ error: expect.stringContaining('API limit') });
    });

    it('answers 401 to a wrong key when a key is required', async () => {
      const strict = new ProviderSimulator({ profiles: instant, apiKeys: { finnhub: 'right' } });
      const url = await strict.start();
      try {
        expect((await getJson(`${url}/api/v1/quote?symbol=AAPL&token=wrong`)).status).toBe(401);
        expect((await getJson(`${url}/api/v1/quote?symbol=AAPL&token=right`)).status).toBe(200);
      } finally {
        await strict.close();
      }
    });
  });

  describe('alphavantage', () => {
    it('answers GLOBAL_QUOTE with string-valued fields', async () => {
      const { status, body } = await getJson(
        `${sim.url}/query?function=GLOBAL_QUOTE&symbol=IBM&apikey=x`,
      );
      expect(status).toBe(200);
      const gq = (body as { 'Global Quote': Record<string, string> })['Global Quote'];
      expect(gq['01. symbol']).toBe('IBM');
      expect(gq['05. price']).toMatch(/^\d+\.\d{4}$/);
      expect(gq['07. latest trading day']).toBe('2025-01-15');
      expect(gq['10. change percent']).toMatch(/^-?\d+\.\d{4}%$/);
    });

    it('signals a rate limit with HTTP 200 and a Note', async () => {
      sim.setProfile('alphavantage', { rateLimitRate: 1 });
      const { status, body } = await getJson(`${sim.url}/query?function=GLOBAL_QUOTE&symbol=IBM`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ Note: expect.stringContaining('call frequency') });
    });

    it('answers unknown symbols and no-data rolls with an empty Global Quote', async () => {
      expect((await getJson(`${sim.url}/query?function=GLOBAL_QUOTE&symbol=NOPE`)).body).toEqual({
        'Global Quote': {},
      });
      sim.setProfile('alphavantage', { noDataRate: 1 });
      expect((await getJson(`${sim.url}/query?function=GLOBAL_QUOTE&symbol=IBM`)).body).toEqual({
        'Global Quote': {},
      });
    });

    it('answers the demo key with an Information notice except for IBM', async () => {
      const base = `${sim.url}/query?function=GLOBAL_QUOTE&apikey=demo&symbol=`;
      expect((await getJson(`${base}AAPL`)).body).toMatchObject({
        Information: expect.stringContaining('demo'),
      });
      expect((await getJson(`${base}IBM`)).body).toHaveProperty(['Global Quote', '01. symbol'], 'IBM');
    });
  });

  describe('coingecko', () => {
    it('answers known ids and currencies and leaves unknown ones out', async () => {
      const { status, body } = await getJson(
        `${sim.url}/api/v3/simple/price?ids=bitcoin,nocoin,ethereum&vs_currencies=usd,eur,xyz`,
      );
      expect(status).toBe(200);
      const prices = body as Record<string, Record<string, number>>;
      expect(Object.keys(prices).sort()).toEqual(['bitcoin', 'ethereum']);
      expect(Object.keys(prices.bitcoin).sort()).toEqual(['eur', 'usd']);
      expect(prices.bitcoin.usd).toBeGreaterThan(50_000);
      expect(prices.bitcoin.eur).toBeLessThan(prices.bitcoin.usd);
    });

    it('knows no coin, stock or currency named after an Object.prototype member', async () => {
      const coins = await getJson(`${sim.url}/api/v3/simple/price?ids=constructor,tostring,bitcoin&vs_currencies=usd,valueof`);
      expect(Object.keys(coins.body as object)).toEqual(['bitcoin']);
      expect(Object.keys((coins.body as Record<string, object>).bitcoin)).toEqual(['usd']);
    });

    it('answers 429 when rate limited and 503 HTML on errors', async () => {
      sim.setProfile('coingecko', { rateLimitRate: 1 });
      const limited = await getJson(`${sim.url}/api/v3/simple/price?ids=bitcoin&vs_currencies=usd`);
      expect(limited.status).toBe(429);
      sim.setProfile('coingecko', { rateLimitRate: 0, errorRate: 1 });
      const failed = await getJson(`${sim.url}/api/v3/simple/price?ids=bitcoin&vs_currencies=usd`);
      expect(failed.status).toBe(503);
      expect(failed.body).toContain('<html>');
    });
  });

  it('walks prices between requests, reproducibly for a seed', async () => {
    const run = async (seed: number): Promise<number[]> => {
      const s = new ProviderSimulator({ profiles: instant, random: seededRandom(seed) });
      const url = await s.start();
      const prices: number[] = [];
      try {
        for (let i = 0; i < 5; i++) {
          const { body } = await getJson(`${url}/api/v1/quote?symbol=MSFT`);
          prices.push((body as { c: number }).c);
        }
      } finally {
        await s.close();
      }
      return prices;
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(1);
    for (const p of a) expect(Math.abs(p / 421.2 - 1)).toBeLessThan(0.05);
  });

  it('applies latency from the profile', async () => {
    sim.setProfile('finnhub', { latencyMs: { median: 60, jitter: 0 } });
    const started = performance.now();
    await getJson(`${sim.url}/api/v1/quote?symbol=AAPL`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('keeps a timed-out request open until the client gives up', async () => {
    sim.setProfile('finnhub', { timeoutRate: 1 });
    const controller = new AbortController();
    const pending = fetch(`${sim.url}/api/v1/quote?symbol=AAPL`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(sim.requestCount('finnhub')).toBe(1);
  });

  it('closes promptly while a request hangs, and the client sees the connection drop', async () => {
    sim.setProfile('coingecko', { timeoutRate: 1 });
    const pending = fetch(`${sim.url}/api/v3/simple/price?ids=bitcoin&vs_currencies=usd`);
    const settled = pending.then(
      () => 'answered',
      () => 'dropped',
    );
    await waitFor(() => sim.requestCount('coingecko') === 1);
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(100);
    expect(await settled).toBe('dropped');
    expect(sim.listening).toBe(false);
  });

  it('validates setProfile patches and returns the merged profile', () => {
    expect(sim.setProfile('coingecko', { errorRate: 0.5 })).toMatchObject({
      errorRate: 0.5,
      rateLimitRate: 0,
    });
    expect(() => sim.setProfile('coingecko', { errorRate: 1.5 })).toThrow(
      /setProfile\(coingecko\)\.errorRate must be a number between 0 and 1/,
    );
    expect(sim.getProfile('coingecko').errorRate).toBe(0.5);
  });

  it('answers 404 for paths no provider has', async () => {
    expect((await getJson(`${sim.url}/api/v2/other`)).status).toBe(404);
  });

  it('rejects a bad port at construction', () => {
    expect(() => new ProviderSimulator({ port: 70000 })).toThrow(/port must be an integer 0-65535/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 50 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  if (!condition()) throw new Error('condition not met');
}
