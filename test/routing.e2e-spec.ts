import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { ManualClock } from '../src/monitoring';
import { createApp } from './support/create-app';

const API = '/api/monitoring';
const steady = { latencyMs: { median: 2, jitter: 0 }, errorRate: 0, rateLimitRate: 0, timeoutRate: 0, noDataRate: 0 };
/** Both stock providers fast and reliable, so every outcome below is the test's doing. */
const STEADY_PROFILES = JSON.stringify({ finnhub: steady, alphavantage: steady, coingecko: steady });

interface Attempt {
  provider: string;
  ok: boolean;
  errorType?: string;
  via?: string;
}

describe('Failover on the demo app (e2e)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  const quote = async (symbol: string) => (await http.get(`/api/quotes/${symbol}`).expect(200)).body as { provider: string; degraded: boolean; attempts: Attempt[] };
  const failover = async () => (await http.get(`${API}/failover?window=5m`).expect(200)).body;
  const circuitOf = async (provider: string) => (await failover()).circuits.find((c: { provider: string }) => c.provider === provider);

  // The monitor's clock moves only when told: the cool-down passes when the test says so.
  const clock = new ManualClock(Date.now());

  beforeAll(async () => {
    app = await createApp(
      { SIMULATOR_PROFILES: STEADY_PROFILES, CACHE_TTL_QUOTE_MS: '0', CIRCUIT_FAILURE_THRESHOLD: '3', CIRCUIT_COOLDOWN_SECONDS: '30', CIRCUIT_HALF_OPEN_PROBES: '2' },
      clock,
    );
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it('keeps serving quotes from the next provider while the primary is down, opens its breaker, and closes it on recovery', async () => {
    await expect(quote('AAPL')).resolves.toMatchObject({ provider: 'finnhub', attempts: [{ provider: 'finnhub', ok: true }] });
    await http.put('/api/simulator/providers/finnhub').send({ errorRate: 1 }).expect(200);

    // The first few requests try finnhub, fail over, and still answer.
    for (const symbol of ['MSFT', 'NVDA', 'TSLA']) {
      await expect(quote(symbol)).resolves.toMatchObject({
        provider: 'alphavantage',
        degraded: false,
        attempts: [{ provider: 'finnhub', ok: false, errorType: 'http_error' }, { provider: 'alphavantage', ok: true }],
      });
    }
    // The breaker is open: finnhub is no longer tried at all.
    await expect(quote('AMZN')).resolves.toMatchObject({ provider: 'alphavantage', attempts: [{ provider: 'alphavantage', ok: true }] });
    const open = await failover();
    expect(open.circuits).toEqual(
      expect.arrayContaining([expect.objectContaining({ provider: 'finnhub', state: 'OPEN', lastOpenReason: '3 calls in a row failed (last: http_error)' })]),
    );
    expect(open.capabilities.find((c: { capability: string }) => c.capability === 'stock-quote')).toMatchObject({
      strategy: 'priority',
      providers: ['finnhub', 'alphavantage'],
      plan: { ranked: ['finnhub', 'alphavantage'], attempts: ['alphavantage'], skipped: [{ provider: 'finnhub', reason: 'circuit_open' }], degraded: false },
      requests: { served: 5, degraded: 0, failed: 0, noData: 0 },
    });
    expect(open.failovers).toEqual([{ capability: 'stock-quote', from: 'finnhub', to: 'alphavantage', afterFailure: 3, afterSkip: 1, total: 4 }]);

    // Recovery: after the cool-down, requests probe finnhub; two good probes close the breaker.
    await http.put('/api/simulator/providers/finnhub').send({ errorRate: 0 }).expect(200);
    clock.advance(30_000);
    await expect(quote('META')).resolves.toMatchObject({ provider: 'finnhub', attempts: [{ provider: 'finnhub', ok: true, via: 'probe' }] });
    await expect(circuitOf('finnhub')).resolves.toMatchObject({ state: 'HALF_OPEN', probeSuccesses: 1 });
    await quote('JPM');
    await expect(circuitOf('finnhub')).resolves.toMatchObject({ state: 'CLOSED', opened: 1 });
    await expect(quote('IBM')).resolves.toMatchObject({ provider: 'finnhub', attempts: [{ provider: 'finnhub', ok: true }] });
  });

  it('answers 400 naming the parameter for a bad window', async () => {
    const res = await http.get(`${API}/failover?window=2h`).expect(400);
    expect(res.body.message).toEqual(['window must be one of the following values: 1m, 5m, 15m, 1h']);
  });
});

describe('When every breaker is open (e2e)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    // The default 30 s cool-down: nothing half-opens while the test runs.
    app = await createApp({ SIMULATOR_PROFILES: STEADY_PROFILES, CACHE_TTL_QUOTE_MS: '0', CIRCUIT_FAILURE_THRESHOLD: '3' });
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it('still tries the least bad provider, says the answer is degraded, and fires the circuit-open alert', async () => {
    await http.put('/api/simulator/providers/alphavantage').send({ errorRate: 1 }).expect(200);
    await http.put('/api/simulator/providers/finnhub').send({ errorRate: 1 }).expect(200);
    for (const symbol of ['GOOGL', 'NFLX', 'V']) await http.get(`/api/quotes/${symbol}`).expect(502);

    await http.put('/api/simulator/providers/finnhub').send({ errorRate: 0 }).expect(200);
    const answer = (await http.get('/api/quotes/AAPL').expect(200)).body;
    expect(answer).toMatchObject({ provider: 'finnhub', degraded: true, attempts: [{ provider: 'finnhub', ok: true, via: 'forced' }] });

    // Alerts fire on the second breaching evaluation (ALERT_BREACHES_TO_FIRE=2).
    await http.post(`${API}/alerts/evaluate`).expect(200);
    const alerts = (await http.post(`${API}/alerts/evaluate`).expect(200)).body as { active: { rule: string; provider: string; message: string }[] };
    const open = alerts.active.find((a) => a.rule === 'circuit-open' && a.provider === 'alphavantage');
    expect(open?.message).toMatch(/^alphavantage: circuit OPEN \(3 calls in a row failed \(last: http_error\)\); its requests go to the next provider\. Probe calls go through from /);
  });
});

describe('Costs on the demo app (e2e)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await createApp({
      SIMULATOR_PROFILES: STEADY_PROFILES,
      CACHE_TTL_QUOTE_MS: '60000',
      PROVIDER_PRICING: JSON.stringify({ finnhub: { pricePerCall: '0.25', freeCallsPerDay: 2, rateLimitPerMinute: 100 }, alphavantage: { pricePerCall: '0.1' } }),
    });
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it('matches a hand count: 5 calls, 2 free, 3 billed at 0.25, and 2 cache hits saved at 0.25 each', async () => {
    for (const symbol of ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA']) await http.get(`/api/quotes/${symbol}`).expect(200);
    for (let i = 0; i < 2; i++) expect((await http.get('/api/quotes/AAPL').expect(200)).body.source).toBe('cache');

    const day = (await http.get(`${API}/costs?period=day`).expect(200)).body;
    expect(day).toMatchObject({ period: 'day', timeZone: 'UTC' });
    const finnhub = day.providers.find((p: { provider: string }) => p.provider === 'finnhub');
    expect(finnhub).toMatchObject({
      priced: true,
      currency: 'USD',
      pricePerCall: '0.25',
      calls: 5,
      billableCalls: 3,
      cost: '0.75',
      costMicros: 750_000,
      callsSaved: 2,
      savedByCache: '0.50',
      quota: { freeCalls: { per: 'day', limit: 2, used: 5, remaining: 0 }, perMinute: { limit: 100, used: 5, remaining: 95 }, perDay: null },
      blockedBy: null,
    });
    expect(Number(finnhub.projectedCost)).toBeGreaterThanOrEqual(0.75);
    expect(day.providers.find((p: { provider: string }) => p.provider === 'alphavantage')).toMatchObject({ calls: 0, cost: '0.00' });
    expect(day.totals).toEqual([expect.objectContaining({ currency: 'USD', calls: 5, billableCalls: 3, cost: '0.75', savedByCache: '0.50' })]);
    // coingecko has no price list here: counted, not costed.
    expect(day.providers.find((p: { provider: string }) => p.provider === 'coingecko')).toBeUndefined();
  });

  it.each(['year', '', 'day,month'])('answers 400 for period=%p', async (period) => {
    const res = await http.get(`${API}/costs`).query({ period }).expect(400);
    expect(res.body.message).toEqual(['period must be one of the following values: day, month']);
  });

  it('refuses a price list for a provider FinanceHub does not call (a typo)', async () => {
    await expect(createApp({ PROVIDER_PRICING: '{"finhub":{"pricePerCall":"0.1"}}' })).rejects.toThrow(
      'Environment variable PROVIDER_PRICING names unknown provider(s) finhub (known: finnhub, alphavantage, coingecko)',
    );
  });

  it.each(['0x2', '2e0'])('refuses CIRCUIT_FAILURE_THRESHOLD=%s: plain decimals only', async (value) => {
    await expect(createApp({ CIRCUIT_FAILURE_THRESHOLD: value })).rejects.toThrow(`Environment variable CIRCUIT_FAILURE_THRESHOLD must be an integer from 1 to 1000 (got "${value}")`);
  });

  it('refuses a bad price list at start-up, naming the variable and the field', async () => {
    await expect(createApp({ PROVIDER_PRICING: '{"finnhub":{"pricePerCall":"-1"}}' })).rejects.toThrow(
      'PROVIDER_PRICING: pricing.finnhub.pricePerCall must be a decimal from 0 to 1000 with at most 6 decimals',
    );
  });
});
