import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { PerformanceMonitor } from '../src/monitoring';
import { createApp } from './support/create-app';

const API = '/api/monitoring';

/** No body the API sends may hold NaN or Infinity (JSON would turn them into null silently or fail). */
function expectCleanNumbers(body: unknown): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') expect({ path, finite: Number.isFinite(value) }).toEqual({ path, finite: true });
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
  };
  walk(body, '$');
}

describe('Monitoring API (e2e)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await createApp();
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());
  beforeEach(() => app.get(PerformanceMonitor).reset());

  const post = (body: unknown) => http.post(`${API}/calls`).send(body as object);
  const feed = async (provider: string, n: number, latencyMs: number, success = true) =>
    post(Array.from({ length: n }, () => ({ provider, latencyMs, success }))).expect(201);

  describe('on a fresh start (C06)', () => {
    it.each(['providers', 'cache', 'stats', 'health'])('GET %s answers 200 with no NaN and null rates', async (path) => {
      const res = await http.get(`${API}/${path}`).expect(200);
      expectCleanNumbers(res.body);
      expect(JSON.stringify(res.body)).not.toMatch(/NaN|Infinity/);
    });

    it('reports an empty system as UNKNOWN, not UNHEALTHY', async () => {
      const res = await http.get(`${API}/health`).expect(200);
      expect(res.body).toMatchObject({ status: 'UNKNOWN', providers: [], counts: { HEALTHY: 0, UNHEALTHY: 0 } });
      const cache = await http.get(`${API}/cache`).expect(200);
      expect(cache.body).toEqual({ hits: 0, misses: 0, hitRate: null, byLevel: {}, byProvider: {} });
      const stats = await http.get(`${API}/stats`).expect(200);
      expect(stats.body).toMatchObject({ window: { calls: 0, errorRate: null, p95LatencyMs: null }, invalidSamples: 0 });
    });
  });

  describe('POST calls', () => {
    it('records one call and returns it in the provider listing', async () => {
      await post({ provider: 'finnhub', latencyMs: 42, success: true }).expect(201, { recorded: 1 });
      const res = await http.get(`${API}/providers/finnhub`).expect(200);
      expect(res.body).toMatchObject({ provider: 'finnhub', totals: { calls: 1, successes: 1 }, window: { calls: 1, p50LatencyMs: 42 } });
    });

    it('records a batch and accepts 0 ms (C01)', async () => {
      await post([
        { provider: 'p', latencyMs: 0, success: true },
        { provider: 'p', latencyMs: 0, success: true, cacheHit: true },
      ]).expect(201, { recorded: 2 });
      const res = await http.get(`${API}/providers/p`).expect(200);
      expect(res.body.window).toMatchObject({ minLatencyMs: 0, avgLatencyMs: 0, p50LatencyMs: 0 });
      expect(res.body.cache).toEqual({ hits: 1, misses: 0, hitRate: 1 });
    });

    it.each([
      ['negative latency', { latencyMs: -5 }, 'latencyMs must not be less than 0'],
      ['latency as a string', { latencyMs: '120' }, 'latencyMs must be a finite JSON number'],
      ['null latency', { latencyMs: null }, 'latencyMs should not be null or undefined'],
      ['"Infinity" latency', { latencyMs: 'Infinity' }, 'latencyMs must be a finite JSON number'],
      ['latency over an hour', { latencyMs: 3_600_001 }, 'latencyMs must not be greater than 3600000'],
      ['success as a string', { success: 'yes' }, 'success must be a boolean value'],
      ['a 129-character provider', { provider: 'x'.repeat(129) }, 'provider must be shorter than or equal to 128 characters'],
      ['an empty provider', { provider: '' }, 'provider must be longer than or equal to 1'],
      ['an unknown field', { extra: 1 }, 'property extra should not exist'],
    ])('refuses %s with 400 naming the field, and stores nothing (C02)', async (_name, change, message) => {
      const res = await post({ provider: 'p', latencyMs: 10, success: true, ...change }).expect(400);
      expect(res.body.message).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
      await http.get(`${API}/providers`).expect(200, []);
    });

    it.each([
      ['timedOut', null, 'timedOut must be a boolean'],
      ['rateLimited', null, 'rateLimited must be a boolean'],
      ['errorMessage', null, 'errorMessage must be a string'],
      ['provider', ' ', 'provider must not be blank'],
      ['provider', 'a\u0000b', 'provider must not contain control characters'],
      ['provider', '\ud800', 'provider must be well-formed Unicode (no lone surrogates)'],
      ['provider', '😀'.repeat(65), 'provider must be 1 to 128 characters long'],
    ])('refuses %s = %j in a batch whole, naming it', async (field, value, message) => {
      const res = await post([
        { provider: 'fine', latencyMs: 5, success: true },
        { provider: 'odd', latencyMs: 7, success: false, [field]: value },
      ]).expect(400);
      expect(res.body.message).toEqual([`[1].${message}`]);
      await http.get(`${API}/providers`).expect(200, []);
    });

    it('refuses a missing latency', async () => {
      const res = await post({ provider: 'p', success: true }).expect(400);
      expect(res.body.message).toEqual(expect.arrayContaining(['latencyMs should not be null or undefined']));
    });

    it('refuses malformed JSON (such as NaN) with 400, not 500', async () => {
      const res = await http.post(`${API}/calls`).set('Content-Type', 'application/json').send('{"provider":"p","latencyMs":NaN,"success":true}');
      expect(res.status).toBe(400);
      await http.get(`${API}/stats`).expect(200).expect((r) => expect(r.body.totals.calls).toBe(0));
    });

    it('refuses a deeply nested body with 400, not a stack overflow', async () => {
      let nested: unknown = 'x';
      for (let i = 0; i < 3_000; i++) nested = { a: nested };
      const res = await post({ provider: 'p', latencyMs: 1, success: true, errorMessage: nested }).expect(400);
      expect(res.body.message).toEqual(['body must not be nested more than 32 levels deep']);
      await http.put(`${API}/config/thresholds`).send({ thresholds: { healthy: { errorRate: nested } } }).expect(400);
    });

    it('refuses a call that claims both success and a timeout, naming both', async () => {
      const res = await post({ provider: 'p', latencyMs: 2_000, success: true, timedOut: true }).expect(400);
      expect(res.body.message).toEqual(['timedOut and success cannot both be true: a timed-out call is a failure (send success: false)']);
      await http.get(`${API}/providers`).expect(200, []);
    });

    it.each(['null', '42', '"text"', 'true'])('refuses a body of %s with the rule, not a parse error', async (body) => {
      const calls = await http.post(`${API}/calls`).set('Content-Type', 'application/json').send(body).expect(400);
      expect(calls.body.message).toEqual(['body must be a JSON object (send application/json)']);
      const settings = await http.put(`${API}/config/thresholds`).set('Content-Type', 'application/json').send(body).expect(400);
      expect(settings.body.message).toEqual(['body must be a JSON object']);
    });

    it('refuses keys every object has (constructor, __proto__) as unknown fields, at any depth', async () => {
      const top = await http.post(`${API}/calls`).set('Content-Type', 'application/json').send('{"provider":"p","latencyMs":1,"success":true,"constructor":{"x":1}}').expect(400);
      expect(top.body.message).toEqual(['property constructor should not exist']);
      const nested = await http.put(`${API}/config/thresholds`).set('Content-Type', 'application/json').send('{"thresholds":{"__proto__":{"minCalls":1}}}').expect(400);
      expect(nested.body.message).toEqual(['property thresholds.__proto__ should not exist']);
      await http.get(`${API}/providers`).expect(200, []);
    });

    it('names nested fields by their full path', async () => {
      const res = await http
        .put(`${API}/config/thresholds`)
        .send({ thresholds: { bogus: 1, healthy: { errorRate: '0.1' } }, rules: [{ id: 'r', kind: 'error_rate', severity: 'warning', limit: 0.1, window: '2h' }] })
        .expect(400);
      expect(res.body.message).toEqual([
        'property thresholds.bogus should not exist',
        'thresholds.healthy.errorRate must be a JSON number (not a string, NaN or Infinity)',
        'rules[0].window must be one of the following values: 1m, 5m, 15m, 1h',
      ]);
    });

    it('refuses a whole batch when one item is bad, naming the item', async () => {
      const res = await post([
        { provider: 'a', latencyMs: 10, success: true },
        { provider: 'b', latencyMs: -1, success: true },
      ]).expect(400);
      expect(res.body.message).toEqual(['[1].latencyMs must not be less than 0']);
      await http.get(`${API}/providers`).expect(200, []);
    });

    it('refuses an empty batch, a batch over 1,000 and a non-object item', async () => {
      await post([]).expect(400);
      const big = Array.from({ length: 1_001 }, () => ({ provider: 'p', latencyMs: 1, success: true }));
      const res = await post(big).expect(400);
      expect(res.body.message).toEqual(['body must contain no more than 1000 calls (got 1001)']);
      await post([1]).expect(400);
      await http.get(`${API}/providers`).expect(200, []);
    });

    it('accepts a full batch of 1,000', async () => {
      await feed('bulk', 1_000, 5);
      const res = await http.get(`${API}/providers/bulk`).expect(200);
      expect(res.body.totals.calls).toBe(1_000);
    });
  });

  describe('queries', () => {
    beforeEach(async () => {
      await feed('fast', 20, 30);
      await feed('slow', 20, 900);
      await feed('middle', 20, 200);
    });

    it.each([
      ['limit=2', 200, 2],
      ['', 200, 3],
    ])('GET slowest?%s lists that many, slowest first (C10)', async (query, status, count) => {
      const res = await http.get(`${API}/slowest?${query}`).expect(status);
      expect(res.body).toHaveLength(count);
      expect(res.body[0].provider).toBe('slow');
    });

    it.each(['abc', '0', '-1', '2.5', '1e9', '1e2', '0x10', '101', '', ' '])('GET slowest?limit=%s is a 400 naming limit (C10)', async (limit) => {
      const res = await http.get(`${API}/slowest`).query({ limit }).expect(400);
      expect(res.body.message).toHaveLength(1);
      expect(res.body.message[0]).toMatch(/^limit /);
    });

    it('says a repeated limit must be given once', async () => {
      const res = await http.get(`${API}/slowest?limit=1&limit=2`).expect(400);
      expect(res.body.message).toEqual(['limit must be a whole number written in decimal, given once']);
    });

    it('defaults limit to 5', async () => {
      for (let i = 0; i < 6; i++) await feed(`extra${i}`, 1, 10 + i);
      const res = await http.get(`${API}/slowest`).expect(200);
      expect(res.body).toHaveLength(5);
    });

    it('lists error-prone providers at or above the threshold and validates it', async () => {
      await post(Array.from({ length: 10 }, (_, i) => ({ provider: 'flaky', latencyMs: 10, success: i > 2 }))).expect(201);
      const res = await http.get(`${API}/error-prone?threshold=0.3`).expect(200);
      expect(res.body.map((p: { provider: string }) => p.provider)).toEqual(['flaky']);
      await http.get(`${API}/error-prone`).expect(200).expect((r) => expect(r.body).toHaveLength(1));
      for (const threshold of ['-0.1', '1.5', 'abc', 'NaN', '', ' ']) {
        const bad = await http.get(`${API}/error-prone`).query({ threshold }).expect(400);
        expect(bad.body.message.join(' ')).toMatch(/^threshold /);
      }
    });
  });

  describe('awkward provider names (C11)', () => {
    const names = ['a"b', 'x/y', 'ä', '__proto__', 'constructor'];

    it('round-trip URL-encoded and stay apart', async () => {
      await post(names.map((provider, i) => ({ provider, latencyMs: (i + 1) * 10, success: true }))).expect(201);
      for (const [i, name] of names.entries()) {
        const res = await http.get(`${API}/providers/${encodeURIComponent(name)}`).expect(200);
        expect(res.body).toMatchObject({ provider: name, window: { maxLatencyMs: (i + 1) * 10 } });
        await http.get(`${API}/health/${encodeURIComponent(name)}`).expect(200);
      }
      const all = await http.get(`${API}/providers`).expect(200);
      expect(all.body.map((p: { provider: string }) => p.provider).sort()).toEqual([...names].sort());
    });
  });

  it('answers 400, without echoing it, for a name that can never exist', async () => {
    const res = await http.get(`${API}/providers/${'a'.repeat(5_000)}`).expect(400);
    expect(res.body.message).toEqual(['name must be 1 to 128 characters long']);
    await http.get(`${API}/providers/%20`).expect(400);
    await http.get(`${API}/health/${'a'.repeat(129)}`).expect(400);
  });

  it('answers 404 naming an unknown provider', async () => {
    const res = await http.get(`${API}/providers/nobody`).expect(404);
    expect(res.body.message).toContain('"nobody"');
    await http.get(`${API}/health/nobody`).expect(404);
  });

  describe('health', () => {
    it('names a failing provider and is never HEALTHY while one is UNHEALTHY (C07)', async () => {
      await feed('good', 20, 30);
      await feed('also-good', 20, 30);
      await feed('bad', 20, 30, false);
      const res = await http.get(`${API}/health`).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ status: 'DEGRADED', unhealthyProviders: ['bad'] });
      const bad = res.body.providers.find((p: { provider: string }) => p.provider === 'bad');
      expect(bad.issues[0]).toMatchObject({ type: 'high_error_rate', severity: 'critical', value: 1, limit: 0.25 });
      await http.get(`${API}/health/bad`).expect(503);
      await http.get(`${API}/health/good`).expect(200);
    });

    it('answers 503 with the same body shape when every provider is down (C07)', async () => {
      await feed('good', 20, 30);
      const healthy = await http.get(`${API}/health`).expect(200);
      await app.get(PerformanceMonitor).reset();
      await feed('a', 20, 30, false);
      await feed('b', 20, 30, false);
      const down = await http.get(`${API}/health`).expect(503);
      expect(down.headers['cache-control']).toBe('no-store');
      expect(Object.keys(down.body).sort()).toEqual(Object.keys(healthy.body).sort());
      expect(down.body).toMatchObject({ status: 'UNHEALTHY', unhealthyProviders: ['a', 'b'] });
      expectCleanNumbers(down.body);
    });

    it('keeps a provider with one failed call UNKNOWN and the system out of UNHEALTHY (C03)', async () => {
      await feed('new', 1, 30, false);
      const res = await http.get(`${API}/health`).expect(200);
      expect(res.body).toMatchObject({ status: 'UNKNOWN', providers: [{ provider: 'new', status: 'UNKNOWN' }] });
    });
  });

  it('answers a poller 304 until something changes, and never misses a write', async () => {
    await feed('p', 3, 10);
    for (const path of ['providers', 'health']) {
      const first = await http.get(`${API}/${path}`).expect(200);
      const etag = first.headers['etag'];
      expect(etag).toMatch(/^W\//);
      await http.get(`${API}/${path}`).set('If-None-Match', etag).expect(304);
    }
    const before = await http.get(`${API}/providers`).expect(200);
    await feed('p', 1, 10);
    const after = await http.get(`${API}/providers`).set('If-None-Match', before.headers['etag']).expect(200);
    expect(after.body[0].totals.calls).toBe(4);
  });

  it('DELETE metrics forgets everything', async () => {
    await feed('p', 3, 10);
    // A filter meant for one provider is refused rather than ignored: it would wipe them all.
    const filtered = await http.delete(`${API}/metrics?provider=p`).expect(400);
    expect(filtered.body.message).toEqual(['property provider should not exist']);
    await http.delete(`${API}/metrics`).send({ provider: 'p' }).expect(400);
    expect((await http.get(`${API}/providers`).expect(200)).body).toHaveLength(1);
    await http.delete(`${API}/metrics`).expect(204);
    await http.get(`${API}/providers`).expect(200, []);
  });
});

describe('Monitoring API with an API key (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await createApp({ MONITORING_API_KEY: 'test-key-123' });
  });
  afterAll(() => app.close());

  it.each(['providers', 'health', 'stats', 'cache', 'slowest', 'error-prone', 'failover', 'costs'])('GET %s needs the key', async (path) => {
    const http = request(app.getHttpServer());
    const res = await http.get(`${API}/${path}`).expect(401);
    expect(res.body.message).toMatch(/API key/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="monitoring"');
    await http.get(`${API}/${path}`).set('x-api-key', 'wrong').expect(401);
    await http.get(`${API}/${path}`).set('x-api-key', 'test-key-123').expect(200);
    await http.get(`${API}/${path}`).set('Authorization', 'Bearer test-key-123').expect(200);
  });

  it('guards writes too, and leaves market data and docs open', async () => {
    const http = request(app.getHttpServer());
    await http.post(`${API}/calls`).send({ provider: 'p', latencyMs: 1, success: true }).expect(401);
    await http.delete(`${API}/metrics`).expect(401);
    await http.get('/api/docs-json').expect(200);
  });
});

describe('Monitoring API windows (e2e)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  beforeAll(async () => {
    app = await createApp();
    http = request(app.getHttpServer());
    await http
      .post(`${API}/calls`)
      .send(Array.from({ length: 20 }, (_, i) => ({ provider: 'w', latencyMs: 10 * (i + 1), success: i > 0 })))
      .expect(201);
  });
  afterAll(() => app.close());

  it.each(['1m', '5m', '15m', '1h'])('reports the %s window on every read endpoint', async (window) => {
    const windowMs = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 }[window];
    for (const path of ['providers', 'providers/w', 'slowest', 'error-prone?threshold=0', 'stats']) {
      const res = await http.get(`${API}/${path}`).query({ window }).expect(200);
      const body = Array.isArray(res.body) ? res.body[0] : res.body;
      expect({ path, window: body.window.windowMs, calls: body.window.calls }).toEqual({ path, window: windowMs, calls: 20 });
    }
  });

  it('defaults to the 5m window', async () => {
    const res = await http.get(`${API}/providers/w`).expect(200);
    expect(res.body.window).toMatchObject({ windowMs: 300_000, calls: 20, errorRate: 0.05, p99LatencyMs: 200 });
    expect(Math.abs(res.body.window.p95LatencyMs - 190) / 190).toBeLessThanOrEqual(0.01);
  });

  it.each(['2m', '5M', '', 'health', '__proto__'])('answers 400 naming window for ?window=%s', async (window) => {
    const res = await http.get(`${API}/providers`).query({ window }).expect(400);
    expect(res.body.message).toEqual(['window must be one of the following values: 1m, 5m, 15m, 1h']);
  });
});

describe('Monitoring API at the provider cap (e2e)', () => {
  let app: NestExpressApplication;
  beforeAll(async () => {
    app = await createApp({ MONITORING_MAX_PROVIDERS: '2' });
  });
  afterAll(() => app.close());

  it('refuses a batch naming providers past the cap whole, with 422, and counts it', async () => {
    const http = request(app.getHttpServer());
    await http.post(`${API}/calls`).send({ provider: 'a', latencyMs: 1, success: true }).expect(201);
    const res = await http
      .post(`${API}/calls`)
      .send([
        { provider: 'a', latencyMs: 1, success: true },
        { provider: 'b', latencyMs: 1, success: true },
        { provider: 'c', latencyMs: 1, success: true },
      ])
      .expect(422);
    expect(res.body.message).toMatch(/provider limit of 2 reached/);
    const stats = await http.get(`${API}/stats`).expect(200);
    expect(stats.body).toMatchObject({ providers: 1, rejectedSamples: 3, totals: { calls: 1 } });
  });
});
