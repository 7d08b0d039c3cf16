import { NestExpressApplication } from '@nestjs/platform-express';
import { spawnSync } from 'node:child_process';
import request from 'supertest';
import { createApp } from './support/create-app';

const promtool = spawnSync('promtool', ['--version']).status === 0;

describe('GET /metrics (e2e)', () => {
  let app: NestExpressApplication;
  let text: string;

  beforeAll(async () => {
    app = await createApp({ MONITORING_INSTANCE: 'e2e-1' });
    const http = request(app.getHttpServer());
    await http
      .post('/api/monitoring/calls')
      .send([
        { provider: 'finnhub', latencyMs: 42, success: true },
        { provider: 'x/y "quoted"', latencyMs: 1500, success: false, timedOut: true },
      ])
      .expect(201);
    // A real quote through the simulator records provider calls and cache lookups too.
    await http.get('/api/quotes/AAPL').expect(200);
    const res = await http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    text = res.text;
  });
  afterAll(() => app.close());

  it('serves provider, cache and process metrics with the instance label', () => {
    expect(text).toMatch(/^monitoring_provider_calls_total\{provider="x\/y \\"quoted\\"",instance="e2e-1"\} 1$/m);
    expect(text).toMatch(/^monitoring_provider_timeouts_total\{provider="x\/y \\"quoted\\"",instance="e2e-1"\} 1$/m);
    expect(text).toMatch(/^monitoring_provider_latency_seconds_count\{provider="finnhub",instance="e2e-1"\} [1-9]/m);
    expect(text).toMatch(/^monitoring_cache_misses_total\{level="L1",instance="e2e-1"\} [1-9]/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total\{instance="e2e-1"\}/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds\{instance="e2e-1"\}/m);
  });

  (promtool ? it : it.skip)('passes promtool check metrics', () => {
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, output: '' });
  });
});

describe('GET /metrics with an API key (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await createApp({ MONITORING_API_KEY: 'scrape-key' });
  });
  afterAll(() => app.close());

  it('needs the key, as a bearer token the way Prometheus sends it', async () => {
    const http = request(app.getHttpServer());
    await http.get('/metrics').expect(401);
    await http.get('/metrics').set('Authorization', 'Bearer scrape-key').expect(200);
  });
});
