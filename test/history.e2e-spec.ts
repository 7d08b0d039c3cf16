import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { HealthCheckTask, HistoryService } from '../src/monitoring';
import { createApp } from './support/create-app';

const API = '/api/monitoring';
const LATENCIES = [10, 20, 30, 40, 1000];

describe('Monitoring history (e2e)', () => {
  let dir: string;
  let dbPath: string;
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'history-e2e-'));
    dbPath = join(dir, 'nested', 'monitoring.db');
    app = await createApp({ HISTORY_DB_PATH: dbPath, ALERT_BREACHES_TO_FIRE: '1' });
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: object) => http.post(`${API}/calls`).send(body).expect(201);
  const flush = () => app.get(HistoryService).flush();
  const busiest = (points: Array<{ calls: number } & Record<string, number>>) => points.filter((p) => p.calls > 0);

  it('stores posted calls at the next flush and answers them with counts and percentiles', async () => {
    await post(LATENCIES.map((latencyMs, i) => ({ provider: 'histo', latencyMs, success: i !== 4, timedOut: i === 4 ? true : undefined })));
    await flush();
    const res = await http.get(`${API}/history`).query({ provider: 'histo' }).expect(200);
    expect(res.body).toMatchObject({ provider: 'histo', resolution: 'minute' });
    expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(3_600_000);
    expect(res.body.points.length).toBeGreaterThanOrEqual(60);
    const [point] = busiest(res.body.points);
    expect(point).toMatchObject({ calls: 5, failures: 1, timeouts: 1, rateLimited: 0, errorRate: 0.2, avgLatencyMs: 220 });
    // Nearest rank over [10, 20, 30, 40, 1000]: p50 is 30, p95 and p99 the largest; within the histogram's 1 %.
    expect(Math.abs(point.p50LatencyMs - 30) / 30).toBeLessThan(0.01);
    expect(Math.abs(point.p95LatencyMs - 1000) / 1000).toBeLessThan(0.01);
    expect(Math.abs(point.minLatencyMs - 10) / 10).toBeLessThan(0.01);
    expect(point.maxLatencyMs).toBe(point.p99LatencyMs);
    const empty = res.body.points.find((p: { calls: number }) => p.calls === 0);
    expect(empty).toMatchObject({ errorRate: null, avgLatencyMs: null, p95LatencyMs: null, minLatencyMs: null });
    expect(JSON.stringify(res.body)).not.toMatch(/NaN|Infinity/);
  });

  it('answers the same calls at hour and day resolution, with from and to as epoch ms or ISO', async () => {
    const now = Date.now();
    for (const resolution of ['hour', 'day']) {
      const res = await http
        .get(`${API}/history`)
        .query({ provider: 'histo', resolution, from: String(now - 86_400_000), to: new Date(now + 1_000).toISOString() })
        .expect(200);
      expect(busiest(res.body.points)).toEqual([expect.objectContaining({ calls: 5, failures: 1 })]);
    }
  });

  it('keeps cache hits and misses per level per minute', async () => {
    await post([
      { provider: 'histo-cache', latencyMs: 5, success: true, cacheHit: true },
      { provider: 'histo-cache', latencyMs: 5, success: true, cacheHit: true },
      { provider: 'histo-cache', latencyMs: 5, success: true, cacheHit: false },
    ]);
    await flush();
    const one = await http.get(`${API}/history/cache`).query({ level: 'L1' }).expect(200);
    expect(one.body.level).toBe('L1');
    expect(busiest(one.body.points.map((p: { hits: number; misses: number }) => ({ ...p, calls: p.hits + p.misses })))).toEqual([
      expect.objectContaining({ hits: 2, misses: 1, hitRate: 2 / 3 }),
    ]);
    const all = await http.get(`${API}/history/cache`).expect(200);
    expect(all.body.level).toBeNull();
    expect(all.body.points[0]).toMatchObject({ hits: 0, misses: 0, hitRate: null });
  });

  it.each([
    ['an unparsable from', { from: 'yesterday' }, 'from must be an ISO 8601 time'],
    ['a date that does not exist', { to: '2026-02-30T10:00:00Z' }, 'to must be an ISO 8601 time'],
    ['from after to', { from: '2026-12-03T20:00:00Z', to: '2026-12-03T19:00:00Z' }, 'from (2026-12-03T20:00:00.000Z) must not be after to'],
    ['49 h at minute resolution', { from: '2026-12-01T00:00:00Z', to: '2026-12-03T01:00:00Z' }, 'more than the 48 h resolution=minute allows'],
    ['32 days at hour resolution', { from: '2026-11-01', to: '2026-12-03', resolution: 'hour' }, 'more than the 31 days resolution=hour allows'],
    ['367 days at day resolution', { from: '2025-01-01', to: '2026-01-03', resolution: 'day' }, 'more than the 366 days resolution=day allows'],
    ['an unknown resolution', { resolution: 'week' }, 'resolution must be one of minute, hour, day (got "week")'],
    ['a repeated parameter', { from: ['1', '2'] }, 'from must be an ISO 8601 time'],
    ['an unknown parameter', { window: '5m' }, 'property window should not exist'],
    ['a repeated provider', { provider: ['a', 'b'] }, 'provider must be a single name, given once'],
    ['a blank provider', { provider: ' ' }, 'provider must not be blank'],
    ['a provider with a newline', { provider: 'a\nb' }, 'provider must not contain control characters'],
  ])('answers 400 naming the field for %s', async (_name, query, message) => {
    const res = await http
      .get(`${API}/history`)
      .query({ provider: 'histo', ...query })
      .expect(400);
    expect(res.body.message).toEqual(expect.arrayContaining([expect.stringContaining(message)]));
  });

  it('answers 400 without a provider and 404 for one never seen', async () => {
    const missing = await http.get(`${API}/history`).expect(400);
    expect(missing.body.message).toEqual(['provider is required']);
    const unknown = await http.get(`${API}/history`).query({ provider: 'never-seen' }).expect(404);
    expect(unknown.body.message).toBe('provider "never-seen" not found: no call has been recorded for it, live or in history');
  });

  it('keeps the status timeline and the alerts of a health check', async () => {
    await post(Array.from({ length: 12 }, () => ({ provider: 'histo-down', latencyMs: 50, success: false })));
    await app.get(HealthCheckTask).runCheck();
    await flush();
    const health = await http.get(`${API}/history/health`).expect(200);
    expect(health.body.changes).toEqual(
      expect.arrayContaining([
        { at: expect.any(String), subject: 'histo-down', previous: 'UNKNOWN', current: 'UNHEALTHY' },
        { at: expect.any(String), subject: 'system', previous: 'UNKNOWN', current: expect.any(String) },
      ]),
    );
    const alerts = await http.get(`${API}/history/alerts`).expect(200);
    expect(alerts.body.alerts).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'provider-unhealthy', subject: 'histo-down', state: 'firing' })]));
    const reversed = await http.get(`${API}/history/alerts`).query({ from: '2026-12-03', to: '2026-12-01' }).expect(400);
    expect(reversed.body.message[0]).toContain('must not be after to');
    // Events have no resolution to pick: the message does not offer one.
    const long = await http.get(`${API}/history/health`).query({ from: '2024-01-01', to: '2026-01-01' }).expect(400);
    expect(long.body.message).toEqual([expect.stringMatching(/more than the 366 days allowed: use a shorter range$/)]);
  });

  it('reports its status: path, last flush, no write errors, rows per table', async () => {
    await http.get(`${API}/history/status`).query({ foo: 'bar' }).expect(400);
    const res = await http.get(`${API}/history/status`).expect(200);
    expect(res.body).toMatchObject({ enabled: true, state: 'ok', store: 'sqlite', path: dbPath, writeErrors: 0, lastWriteError: null, pendingMinutes: 0 });
    expect(res.body.lastFlushAt).toEqual(expect.any(String));
    expect(res.body.rows).toMatchObject({ providerMinutes: expect.any(Number), providerTotals: 3, cacheTotals: 1, statusChanges: expect.any(Number) });
    expect(res.body.rows.providerMinutes).toBeGreaterThanOrEqual(3);
  });

  it('documents every history endpoint in Swagger, with its errors', async () => {
    const doc = (await http.get('/api/docs-json').expect(200)).body as { paths: Record<string, { get: { responses: Record<string, unknown> } }> };
    for (const path of ['history', 'history/cache', 'history/health', 'history/alerts', 'history/status']) {
      const responses = doc.paths[`${API}/${path}`].get.responses;
      expect({ path, codes: Object.keys(responses) }).toEqual({ path, codes: expect.arrayContaining(['200', '401']) });
    }
    expect(Object.keys(doc.paths[`${API}/history`].get.responses)).toEqual(expect.arrayContaining(['400', '404', '503']));
  });

  it('restores all-time totals in a new app on the same file, and keeps the history', async () => {
    await post([{ provider: 'histo', latencyMs: 15, success: true }]); // written by the shutdown flush, not by flush()
    await app.close();
    app = await createApp({ HISTORY_DB_PATH: dbPath });
    http = request(app.getHttpServer());
    const provider = await http.get(`${API}/providers/histo`).expect(200);
    expect(provider.body.totals).toMatchObject({ calls: 6, successes: 5, failures: 1, timeouts: 1 });
    expect(provider.body.window.calls).toBe(0);
    const cache = await http.get(`${API}/cache`).expect(200);
    expect(cache.body.byLevel.L1).toMatchObject({ hits: 2, misses: 1 });
    // Restored totals are a baseline, not new calls: a flush adds nothing to the minute rows.
    await flush();
    const history = await http.get(`${API}/history`).query({ provider: 'histo', resolution: 'hour' }).expect(200);
    expect(busiest(history.body.points).reduce((sum: number, p: { calls: number }) => sum + p.calls, 0)).toBe(6);
  });
});

describe('Monitoring history when it cannot or may not touch the disk (e2e)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'history-e2e-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs without history when the database path is a directory, and says so', async () => {
    const app = await createApp({ HISTORY_DB_PATH: dir });
    try {
      const http = request(app.getHttpServer());
      await http
        .post(`${API}/calls`)
        .send({ provider: 'still-works', latencyMs: 5, success: true })
        .expect(201);
      await app.get(HistoryService).flush();
      await http.get(`${API}/providers/still-works`).expect(200);
      const status = await http.get(`${API}/history/status`).expect(200);
      expect(status.body).toMatchObject({ enabled: true, state: 'unavailable', store: null, rows: null, pendingMinutes: 1 });
      expect(status.body.openError).toEqual(expect.any(String));
      const res = await http.get(`${API}/history`).query({ provider: 'still-works' }).expect(503);
      expect(res.body.message).toContain('History is unavailable');
    } finally {
      await app.close();
    }
  });

  it('opens nothing with HISTORY_ENABLED=false', async () => {
    const path = join(dir, 'off', 'monitoring.db');
    const app = await createApp({ HISTORY_ENABLED: 'false', HISTORY_DB_PATH: path });
    try {
      const http = request(app.getHttpServer());
      const status = await http.get(`${API}/history/status`).expect(200);
      expect(status.body).toMatchObject({ enabled: false, state: 'disabled', rows: null });
      await http.get(`${API}/history/cache`).expect(503);
      expect(existsSync(join(dir, 'off'))).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('refuses a bad setting at start-up with the variable named', async () => {
    // No simulator: a start-up that fails half-way has nobody to close the server it opened.
    await expect(createApp({ HISTORY_FLUSH_SECONDS: '0', SIMULATOR_ENABLED: 'false' })).rejects.toThrow('HISTORY_FLUSH_SECONDS must be an integer from 1 to 3600 (got 0)');
  });
});
