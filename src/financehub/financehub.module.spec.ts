import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { MonitoringModule, PerformanceMonitor } from '../monitoring';
import type { CallTracker } from './call-tracker';
import { DataOrchestrator } from './data-orchestrator.service';
import type { FinanceHubEnv } from './financehub.config';
import { FinanceHubModule } from './financehub.module';
import { ProviderSimulator } from './simulator/provider-simulator';
import { INSTANT_PROFILE, SIMULATED_PROVIDERS } from './simulator/simulator-profile';

const INSTANT_PROFILES = JSON.stringify(
  Object.fromEntries(SIMULATED_PROVIDERS.map((p) => [p, INSTANT_PROFILE])),
);

/** The app as AppModule wires it: global config, schedule, events and monitoring. */
async function boot(env: FinanceHubEnv): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        skipProcessEnv: true,
        load: [() => env],
      }),
      ScheduleModule.forRoot(),
      EventEmitterModule.forRoot(),
      MonitoringModule.forRoot({ isGlobal: true }),
      FinanceHubModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('FinanceHubModule', () => {
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => jest.restoreAllMocks());

  describe('with the simulator', () => {
    let app: INestApplication;
    let simulator: ProviderSimulator;
    let monitor: PerformanceMonitor;

    beforeAll(async () => {
      app = await boot({
        SIMULATOR_PROFILES: INSTANT_PROFILES,
        TRAFFIC_GENERATOR: 'false',
        FINNHUB_API_KEY: 'fh-key-in-module-test',
      });
      simulator = app.get(ProviderSimulator);
      monitor = app.get(PerformanceMonitor);
    });
    afterAll(() => app.close());

    it('uses the monitoring library as its call tracker', () => {
      // Also a compile-time check that PerformanceMonitor offers what FinanceHub calls.
      const tracker: CallTracker = monitor;
      expect(tracker).toBeInstanceOf(PerformanceMonitor);
      expect(app.get(DataOrchestrator).chains).toEqual({
        stock_quote: ['finnhub', 'alphavantage'],
        crypto_price: ['coingecko'],
      });
    });

    it('GET /api/quotes/:symbol answers from a provider, then from L1', async () => {
      const first = await request(app.getHttpServer()).get('/api/quotes/aapl').expect(200);
      expect(first.body).toEqual({
        data: {
          symbol: 'AAPL',
          price: expect.any(Number),
          change: expect.any(Number),
          changePercent: expect.any(Number),
          high: expect.any(Number),
          low: expect.any(Number),
          open: expect.any(Number),
          previousClose: 189.5,
          timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          provider: 'finnhub',
        },
        source: 'provider',
        degraded: false,
        provider: 'finnhub',
        attempts: [{ provider: 'finnhub', ok: true }],
      });
      const second = await request(app.getHttpServer()).get('/api/quotes/AAPL').expect(200);
      expect(second.body).toEqual({ ...first.body, source: 'cache', attempts: [] });

      expect(monitor.getProviderMetrics('finnhub')?.totals).toMatchObject({
        calls: 1,
        successes: 1,
      });
      expect(monitor.getCacheStats().byLevel.L1).toMatchObject({ hits: 1, misses: 1 });
    });

    it('GET /api/quotes/:symbol answers 400 for a bad symbol', async () => {
      const res = await request(app.getHttpServer()).get('/api/quotes/AA$PL').expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Invalid symbol: 1-15 characters: letters, digits, "." or "-"',
      });
    });

    it('GET /api/quotes/:symbol answers 502 listing each failed provider, keys hidden', async () => {
      simulator.setProfile('finnhub', { errorRate: 1 });
      simulator.setProfile('alphavantage', { rateLimitRate: 1 });
      try {
        const res = await request(app.getHttpServer()).get('/api/quotes/MSFT').expect(502);
        expect(res.body).toEqual({
          statusCode: 502,
          error: 'Bad Gateway',
          message:
            'No provider could serve the stock quote for MSFT (finnhub: http_error, alphavantage: rate_limited)',
          attempts: [
            { provider: 'finnhub', ok: false, errorType: 'http_error' },
            { provider: 'alphavantage', ok: false, errorType: 'rate_limited' },
          ],
        });
        expect(res.text).not.toContain('fh-key-in-module-test');
        const totals = monitor.getProviderMetrics('finnhub')?.totals;
        expect(totals).toMatchObject({ lastErrorType: 'http_error' });
        expect(totals?.lastErrorMessage).not.toContain('fh-key-in-module-test');
      } finally {
        simulator.setProfile('finnhub', { errorRate: 0 });
        simulator.setProfile('alphavantage', { rateLimitRate: 0 });
      }
    });

    it('GET /api/crypto/:id answers in usd by default and in the asked currency', async () => {
      const usd = await request(app.getHttpServer()).get('/api/crypto/bitcoin').expect(200);
      expect(usd.body).toMatchObject({
        data: { id: 'bitcoin', currency: 'usd', provider: 'coingecko' },
        source: 'provider',
        provider: 'coingecko',
        attempts: [{ provider: 'coingecko', ok: true }],
      });
      const eur = await request(app.getHttpServer())
        .get('/api/crypto/ethereum?currency=eur')
        .expect(200);
      expect(eur.body.data).toMatchObject({ id: 'ethereum', currency: 'eur' });
    });

    it('GET /api/crypto/:id answers 400 naming the bad parameter and 404 for unknown ids', async () => {
      const badCurrency = await request(app.getHttpServer())
        .get('/api/crypto/bitcoin?currency=US1')
        .expect(400);
      expect(badCurrency.body.message).toMatch(/^Invalid currency: /);
      const twice = await request(app.getHttpServer())
        .get('/api/crypto/bitcoin?currency=usd&currency=eur')
        .expect(400);
      expect(twice.body.message).toMatch(/^Invalid currency: /);
      const unknown = await request(app.getHttpServer()).get('/api/crypto/notacoin').expect(404);
      expect(unknown.body.attempts).toEqual([
        { provider: 'coingecko', ok: false, errorType: 'no_data' },
      ]);
    });

    it('documents both routes with their DTOs and 400/404/502 answers', () => {
      const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
      const quote = doc.paths['/api/quotes/{symbol}']?.get;
      const crypto = doc.paths['/api/crypto/{id}']?.get;
      expect(quote?.tags).toEqual(['market-data']);
      expect(Object.keys(quote?.responses ?? {}).sort()).toEqual(['200', '400', '404', '502']);
      expect(JSON.stringify(quote?.responses['200'])).toContain('QuoteResponseDto');
      expect(JSON.stringify(crypto?.responses['502'])).toContain('ProvidersFailedResponseDto');
      expect(crypto?.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'currency', in: 'query', required: false })]),
      );
      const schemas = doc.components?.schemas ?? {};
      expect(schemas).toHaveProperty('QuoteDto');
      expect(schemas).toHaveProperty('ProviderAttemptDto');
    });
  });

  it('starts the simulator before the traffic generator runs and stops both on close', async () => {
    const app = await boot({
      SIMULATOR_PROFILES: INSTANT_PROFILES,
      TRAFFIC_INTERVAL_MS: '10',
    });
    const simulator = app.get(ProviderSimulator);
    expect(simulator.listening).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(simulator.requestCount('finnhub')).toBeGreaterThan(0);
    expect(simulator.requestCount('coingecko')).toBeGreaterThan(0);
    await app.close();
    expect(simulator.listening).toBe(false);
  });

  it('runs without the simulator when SIMULATOR_ENABLED=false', async () => {
    const app = await boot({ SIMULATOR_ENABLED: 'false', TRAFFIC_GENERATOR: 'false' });
    try {
      expect(app.get(ProviderSimulator, { strict: false })).toBeNull();
      // Validation still answers without any network access.
      await request(app.getHttpServer()).get('/api/quotes/%20').expect(400);
    } finally {
      await app.close();
    }
  });

  it('fails to start with a clear message on bad configuration', async () => {
    await expect(boot({ CACHE_MAX_ENTRIES: 'lots' })).rejects.toThrow(
      /CACHE_MAX_ENTRIES must be an integer from 1 to 10000000 \(got "lots"\)/,
    );
  });
});
