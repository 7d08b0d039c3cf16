import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DashboardSnapshot, DashboardStreamService, HealthCheckTask } from '../src/monitoring';
import { createApp } from './support/create-app';

const API = '/api/monitoring';
const STREAM = `${API}/stream`;
const calls = (provider: string, n: number, success: boolean, latencyMs = 20) => Array.from({ length: n }, () => ({ provider, latencyMs, success }));

interface SseEvent {
  type: string;
  data: string;
}

/** Reads a server-sent event stream with fetch, as the page does, and hands out its events one by one. */
class SseClient {
  private readonly events: SseEvent[] = [];
  private wake: (() => void) | null = null;
  ended = false;

  private constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    const client = new SseClient(response, controller);
    if (response.ok && response.body) void client.pump(response.body.getReader());
    return client;
  }

  async next(timeoutMs = 3_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length === 0) {
      if (this.ended) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.events.shift()!;
  }

  async nextSnapshot(timeoutMs?: number): Promise<DashboardSnapshot> {
    const event = await this.next(timeoutMs);
    expect(event.type).toBe('snapshot');
    return JSON.parse(event.data) as DashboardSnapshot;
  }

  close(): void {
    this.controller.abort();
  }

  private async pump(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
          const data = [...frame.matchAll(/^data: (.*)$/gm)].map((m) => m[1]).join('\n');
          if (data) this.events.push({ type, data });
        }
        this.wake?.();
      }
    } catch {
      // Aborted by close(), or the server went away: either way the stream is over.
    }
    this.ended = true;
    this.wake?.();
  }
}

const until = async (check: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('Dashboard page and assets (e2e)', () => {
  let app: NestExpressApplication;

  beforeAll(async () => {
    app = await createApp();
  });
  afterAll(() => app.close());

  it('serves the page as HTML without a key, with a policy that allows only its own files', async () => {
    const res = await request(app.getHttpServer()).get('/dashboard').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain('<script src="/dashboard/assets/uplot.iife.min.js" defer></script>');
    expect(res.text).toContain('<script src="/dashboard/assets/dashboard.js" defer></script>');
    expect(res.text).toContain('data-key-required="false"');
    // The page calls the history API only when the app has it: a 404 would show in the browser console.
    const history = await request(app.getHttpServer()).get(`${API}/history?provider=nobody`);
    const routeMissing = history.status === 404 && String((history.body as { message?: unknown }).message).startsWith('Cannot GET');
    expect(res.text).toContain(`data-history-api="${!routeMissing}"`);
    expect(res.text).toContain('data-push-seconds="5"');
    expect(res.text).not.toMatch(/https?:\/\//);
  });

  it.each([
    ['uplot.iife.min.js', 'text/javascript; charset=utf-8', 'uplot/dist/uPlot.iife.min.js'],
    ['uplot.min.css', 'text/css; charset=utf-8', 'uplot/dist/uPlot.min.css'],
  ])('serves %s from the uplot package', async (file, type, path) => {
    const res = await request(app.getHttpServer()).get(`/dashboard/assets/${file}`).expect(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.text).toBe(readFileSync(require.resolve(path), 'utf8'));
  });

  it('serves its own script, which parses, and its styles', async () => {
    const js = await request(app.getHttpServer()).get('/dashboard/assets/dashboard.js').expect(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(() => new Script(js.text)).not.toThrow();
    const css = await request(app.getHttpServer()).get('/dashboard/assets/dashboard.css').expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.text).toContain('.table-wrap');
  });

  it('answers 404 for any other asset name', async () => {
    await request(app.getHttpServer()).get('/dashboard/assets/..%2Fpackage.json').expect(404);
    await request(app.getHttpServer()).get('/dashboard/assets/uPlot.cjs.js').expect(404);
  });

  it('keeps the dashboard and the stream out of the Swagger document', async () => {
    const doc = (await request(app.getHttpServer()).get('/api/docs-json').expect(200)).body as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/dashboard') || p === STREAM)).toEqual([]);
  });
});

describe('Dashboard with history turned off (e2e)', () => {
  it('tells the page not to call the history API, which would only answer 503', async () => {
    const app = await createApp({ HISTORY_ENABLED: 'false' });
    try {
      const res = await request(app.getHttpServer()).get('/dashboard').expect(200);
      expect(res.text).toContain('data-history-api="false"');
      await request(app.getHttpServer()).get(`${API}/history?provider=x`).expect(503);
    } finally {
      await app.close();
    }
  });
});

describe('Dashboard stream (e2e)', () => {
  let app: NestExpressApplication;
  let base: string;
  let streams: DashboardStreamService;

  beforeAll(async () => {
    // A long push interval: every snapshot after the first one here is pushed by an event.
    app = await createApp({ DASHBOARD_PUSH_SECONDS: '3600' });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    streams = app.get(DashboardStreamService);
  });
  afterAll(() => app.close());

  it('sends a snapshot at once, with health, providers, alerts and the time', async () => {
    await request(app.getHttpServer()).post(`${API}/calls`).send(calls('alpha', 12, true)).expect(201);
    const client = await SseClient.open(`${base}${STREAM}`);
    try {
      expect(client.response.status).toBe(200);
      expect(client.response.headers.get('content-type')).toBe('text/event-stream');
      expect(client.response.headers.get('cache-control')).toContain('no-store');
      const snapshot = await client.nextSnapshot();
      expect(Object.keys(snapshot).sort()).toEqual(['alerts', 'at', 'cache', 'health', 'providers', 'uptimeSeconds']);
      expect(Number.isNaN(Date.parse(snapshot.at))).toBe(false);
      expect(snapshot.health).toMatchObject({ status: 'HEALTHY', counts: { HEALTHY: 1, DEGRADED: 0, UNHEALTHY: 0, UNKNOWN: 0 } });
      expect(snapshot.providers).toEqual([
        expect.objectContaining({ provider: 'alpha', totals: expect.objectContaining({ calls: 12 }), window: expect.objectContaining({ windowMs: 300_000, calls: 12 }) }),
      ]);
      expect(snapshot.alerts).toEqual([]);
      expect(snapshot.uptimeSeconds).toBeGreaterThanOrEqual(0);
    } finally {
      client.close();
    }
  });

  it('pushes a snapshot after a health check tick, with the status it found', async () => {
    const client = await SseClient.open(`${base}${STREAM}`);
    try {
      await client.nextSnapshot();
      await request(app.getHttpServer()).post(`${API}/calls`).send(calls('alpha', 30, false)).expect(201);
      await app.get(HealthCheckTask).runCheck();
      const pushed = await client.nextSnapshot(2_000);
      expect(pushed.health.status).toBe('UNHEALTHY');
      expect(pushed.health.providers).toEqual([expect.objectContaining({ provider: 'alpha', status: 'UNHEALTHY' })]);
      // A second tick fires the default alerts; the stream pushes them too.
      await app.get(HealthCheckTask).runCheck();
      let latest = await client.nextSnapshot(2_000);
      while (latest.alerts.length === 0) latest = await client.nextSnapshot(2_000);
      expect(latest.alerts.map((a) => a.rule)).toEqual(expect.arrayContaining(['provider-unhealthy']));
      expect(latest.alerts.every((a) => a.state === 'firing')).toBe(true);
    } finally {
      client.close();
    }
  });

  it('releases a stream when its client disconnects', async () => {
    const clients = await Promise.all([SseClient.open(`${base}${STREAM}`), SseClient.open(`${base}${STREAM}`)]);
    await Promise.all(clients.map((c) => c.nextSnapshot()));
    expect(streams.openStreams).toBe(2);
    for (const c of clients) c.close();
    await until(() => streams.openStreams === 0);
  });
});

describe('Dashboard stream, periodic pushes and shutdown (e2e)', () => {
  it('pushes every DASHBOARD_PUSH_SECONDS, and app.close() ends open streams instead of waiting for them', async () => {
    const app = await createApp({ DASHBOARD_PUSH_SECONDS: '1' });
    await app.listen(0, '127.0.0.1');
    const client = await SseClient.open(`${await app.getUrl()}${STREAM}`);
    try {
      const first = await client.nextSnapshot();
      const second = await client.nextSnapshot(2_500);
      expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(500);
      const started = Date.now();
      await app.close();
      expect(Date.now() - started).toBeLessThan(2_000);
      await until(() => client.ended);
      expect(app.get(DashboardStreamService).openStreams).toBe(0);
    } finally {
      client.close();
    }
  });

  it.each(['0', 'abc', '-5', '99999'])('refuses DASHBOARD_PUSH_SECONDS=%s with a message naming it', async (value) => {
    await expect(createApp({ DASHBOARD_PUSH_SECONDS: value })).rejects.toThrow(
      `Environment variable DASHBOARD_PUSH_SECONDS must be a number of seconds from 1 to 3600 (got "${value}")`,
    );
  });
});

describe('Dashboard with an API key (e2e)', () => {
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    app = await createApp({ MONITORING_API_KEY: 'dash-secret' });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  it('serves the page without the key, and tells it to ask for one', async () => {
    const res = await request(app.getHttpServer()).get('/dashboard').expect(200);
    expect(res.text).toContain('data-key-required="true"');
    expect(res.text).not.toContain('dash-secret');
    await request(app.getHttpServer()).get('/dashboard/assets/dashboard.js').expect(200);
  });

  it('answers 401 on the stream without the key or with a wrong one', async () => {
    const res = await request(app.getHttpServer()).get(STREAM).expect(401);
    expect(res.body).toMatchObject({ statusCode: 401 });
    await request(app.getHttpServer()).get(STREAM).set('x-api-key', 'wrong').expect(401);
  });

  it('streams with the key, as x-api-key or as a bearer token', async () => {
    for (const headers of [{ 'x-api-key': 'dash-secret' }, { authorization: 'Bearer dash-secret' }] as Record<string, string>[]) {
      const client = await SseClient.open(`${base}${STREAM}`, headers);
      try {
        expect(client.response.status).toBe(200);
        expect((await client.nextSnapshot()).health.status).toBe('UNKNOWN');
      } finally {
        client.close();
      }
    }
  });
});
