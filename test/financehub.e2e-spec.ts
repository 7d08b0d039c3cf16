import request from 'supertest';
import { PerformanceMonitor } from '../src/monitoring';
import { createApp } from './support/create-app';

const instant = { latencyMs: { median: 0, jitter: 0 }, errorRate: 0, rateLimitRate: 0, timeoutRate: 0, noDataRate: 0 };
/** Every simulated provider answers at once and never fails, unless a test says otherwise. */
const INSTANT = JSON.stringify({ finnhub: instant, alphavantage: instant, coingecko: instant });

describe('FinanceHub with the monitor (e2e)', () => {
  it('records every provider call and cache lookup of a quote', async () => {
    const app = await createApp({ SIMULATOR_PROFILES: INSTANT });
    try {
      const http = request(app.getHttpServer());
      const first = await http.get('/api/quotes/AAPL').expect(200);
      expect(first.body).toMatchObject({ source: 'provider', provider: 'finnhub', data: { symbol: 'AAPL' } });
      await http.get('/api/quotes/AAPL').expect(200).expect((r) => expect(r.body.source).toBe('cache'));
      const finnhub = await http.get('/api/monitoring/providers/finnhub').expect(200);
      expect(finnhub.body).toMatchObject({ totals: { calls: 1, successes: 1 }, cache: { hits: 1, misses: 1, hitRate: 0.5 } });
    } finally {
      await app.close();
    }
  });

  it('answers 404 when every provider has no data for the symbol, and keeps them healthy', async () => {
    const app = await createApp({ SIMULATOR_PROFILES: INSTANT });
    try {
      const http = request(app.getHttpServer());
      const res = await http.get('/api/quotes/ZZZZ1').expect(404);
      expect(res.body.attempts.map((a: { errorType: string }) => a.errorType)).toEqual(['no_data', 'no_data']);
      const finnhub = await http.get('/api/monitoring/providers/finnhub').expect(200);
      expect(finnhub.body.totals).toMatchObject({ calls: 1, failures: 0 });
      // Names of Object.prototype members are coins nobody has, not broken answers.
      await http.get('/api/crypto/constructor').expect(404);
      const coingecko = await http.get('/api/monitoring/providers/coingecko').expect(200);
      expect(coingecko.body.totals).toMatchObject({ calls: 1, failures: 0 });
    } finally {
      await app.close();
    }
  });

  it('serves quotes and records nothing with FINANCEHUB_MONITORING=false', async () => {
    const app = await createApp({ SIMULATOR_PROFILES: INSTANT, FINANCEHUB_MONITORING: 'false' });
    try {
      await request(app.getHttpServer()).get('/api/quotes/MSFT').expect(200);
      expect(app.get(PerformanceMonitor).getAllProviderMetrics()).toEqual([]);
      expect(app.get(PerformanceMonitor).getCacheStats().hits + app.get(PerformanceMonitor).getCacheStats().misses).toBe(0);
    } finally {
      await app.close();
    }
  });

  it('lets an operator make a simulated provider fail at runtime, and quotes fail over', async () => {
    const app = await createApp({ SIMULATOR_PROFILES: INSTANT, CACHE_TTL_QUOTE_MS: '0' });
    try {
      const http = request(app.getHttpServer());
      const changed = await http.put('/api/simulator/providers/finnhub').send({ errorRate: 1 }).expect(200);
      expect(changed.body).toMatchObject({ errorRate: 1 });
      const quote = await http.get('/api/quotes/IBM').expect(200);
      expect(quote.body).toMatchObject({ provider: 'alphavantage', attempts: [{ provider: 'finnhub', ok: false, errorType: 'http_error' }, { provider: 'alphavantage', ok: true }] });
      const bad = await http.put('/api/simulator/providers/finnhub').send({ errorRate: 2 }).expect(400);
      expect(bad.body.message[0]).toMatch(/^body\.errorRate /);
      await http.put('/api/simulator/providers/nobody').send({ errorRate: 0 }).expect(404);
      const all = await http.get('/api/simulator/providers').expect(200);
      expect(Object.keys(all.body)).toEqual(['finnhub', 'alphavantage', 'coingecko']);
    } finally {
      await app.close();
    }
  });
});
