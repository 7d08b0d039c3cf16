import request from 'supertest';
import { PerformanceMonitor } from '../src/monitoring';
import { createApp } from './support/create-app';

const INSTANT = JSON.stringify({ finnhub: { latencyMs: { median: 0, jitter: 0 }, errorRate: 0, rateLimitRate: 0, timeoutRate: 0, noDataRate: 0 } });

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
});
