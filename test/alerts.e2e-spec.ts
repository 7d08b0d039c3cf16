import { NestExpressApplication } from '@nestjs/platform-express';
import { once } from 'node:events';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import request from 'supertest';
import { AlertService } from '../src/monitoring';
import { createApp } from './support/create-app';

const API = '/api/monitoring';
const calls = (provider: string, n: number, success: boolean, latencyMs = 20) => Array.from({ length: n }, () => ({ provider, latencyMs, success }));

/** A webhook receiver on loopback whose behaviour the test switches: up, slow, or down. */
class Receiver {
  mode: 'up' | 'slow' | 'down' = 'up';
  readonly received: { event: string; alert: { rule: string; subject: string; state: string } }[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}/hook`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const mode = this.mode; // how this receiver behaves for the whole of this request
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (mode === 'down') {
      req.socket.destroy(); // as a crashed receiver: the connection drops, no answer
      return;
    }
    if (mode === 'slow') {
      // Answers only after the sender's timeout, then fails: the sender must retry, not count it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      res.destroy();
      return;
    }
    this.received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    res.writeHead(204).end();
  }
}

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('Alerts with a webhook on loopback (e2e)', () => {
  let app: NestExpressApplication;
  let receiver: Receiver;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    receiver = new Receiver();
    const url = await receiver.start();
    app = await createApp({
      ALERT_WEBHOOKS: JSON.stringify([{ name: 'ops', url, format: 'json', timeoutMs: 100, retries: 5, backoffMs: 20 }]),
      ALERT_RULES: JSON.stringify([{ id: 'down', kind: 'provider_status', status: 'UNHEALTHY', severity: 'critical' }]),
      ALERT_BREACHES_TO_FIRE: '2',
      ALERT_CLEARS_TO_RESOLVE: '2',
    });
    http = request(app.getHttpServer());
  });
  afterAll(async () => {
    await app.close();
    await receiver.stop();
  });

  it('fires once after two breaching evaluations and resolves once after two clear ones, through a slow, then dead, then healthy receiver', async () => {
    receiver.mode = 'slow';
    await http.post(`${API}/calls`).send(calls('flaky', 20, false)).expect(201);
    const first = await http.post(`${API}/alerts/evaluate`).expect(200);
    expect(first.body.active).toEqual([]);
    const second = await http.post(`${API}/alerts/evaluate`).expect(200);
    expect(second.body.active).toEqual([expect.objectContaining({ rule: 'down', provider: 'flaky', state: 'firing', severity: 'critical' })]);
    await http.post(`${API}/alerts/evaluate`).expect(200); // still firing: nothing new is sent

    await new Promise((resolve) => setTimeout(resolve, 150));
    receiver.mode = 'down';
    await new Promise((resolve) => setTimeout(resolve, 150));
    receiver.mode = 'up';
    await until(() => receiver.received.length === 1);

    await app.get(AlertService).drain(); // make sure no late duplicate is on its way
    await http.delete(`${API}/metrics`).expect(204);
    await http.post(`${API}/calls`).send(calls('flaky', 20, true)).expect(201);
    await http.post(`${API}/alerts/evaluate`).expect(200);
    const resolved = await http.post(`${API}/alerts/evaluate`).expect(200);
    expect(resolved.body.active).toEqual([]);
    expect(resolved.body.history).toEqual([expect.objectContaining({ rule: 'down', provider: 'flaky', state: 'resolved' })]);
    await until(() => receiver.received.length === 2);
    await app.get(AlertService).drain();

    expect(receiver.received.map((r) => [r.event, r.alert.subject, r.alert.state])).toEqual([
      ['alert.fired', 'flaky', 'firing'],
      ['alert.resolved', 'flaky', 'resolved'],
    ]);
    const listing = await http.get(`${API}/alerts`).expect(200);
    expect(listing.body.delivery).toMatchObject({ delivered: 2, failed: 0, dropped: 0 });
    expect(listing.body.delivery.targets[0].retried).toBeGreaterThan(0);
  });

  it('counts a delivery as failed, visibly, when the receiver stays down past every retry', async () => {
    receiver.mode = 'down';
    const before = (await http.get(`${API}/alerts`).expect(200)).body.delivery.failed;
    await http.post(`${API}/calls`).send(calls('dead', 20, false)).expect(201);
    await http.post(`${API}/alerts/evaluate`).expect(200);
    await http.post(`${API}/alerts/evaluate`).expect(200);
    await app.get(AlertService).drain();
    const listing = await http.get(`${API}/alerts?state=firing`).expect(200);
    expect(listing.body.delivery.failed).toBe(before + 1);
    expect(listing.body.delivery.targets[0].lastError).toEqual(expect.any(String));
    expect(listing.body.history).toEqual([]);
    receiver.mode = 'up';
  });

  it('validates the alert query', async () => {
    const res = await http.get(`${API}/alerts?state=open&limit=0`).expect(400);
    expect(res.body.message).toEqual(expect.arrayContaining(['state must be one of the following values: firing, resolved']));
  });
});

describe('Thresholds changed at runtime (e2e)', () => {
  let app: NestExpressApplication;
  let http: ReturnType<typeof request>;
  beforeAll(async () => {
    app = await createApp();
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it('refuses a contradictory or out-of-range change with 400 naming the field, and changes nothing', async () => {
    const before = await http.get(`${API}/config/thresholds`).expect(200);
    const contradictory = await http.put(`${API}/config/thresholds`).send({ thresholds: { healthy: { errorRate: 0.5 } } }).expect(400);
    expect(contradictory.body.message).toEqual(['thresholds.healthy.errorRate (0.5) must not be above thresholds.unhealthy.errorRate (0.25)']);
    const range = await http.put(`${API}/config/thresholds`).send({ thresholds: { unhealthy: { timeoutRate: 2 } } }).expect(400);
    expect(range.body.message).toEqual(['thresholds.unhealthy.timeoutRate must be a number from 0 to 1 (got 2)']);
    const badRule = await http.put(`${API}/config/thresholds`).send({ rules: [{ id: 'x', kind: 'error_rate', severity: 'warning', limit: 7 }] }).expect(400);
    expect(badRule.body.message).toEqual(['rules[0].limit must be a number from 0 to 1 for error_rate']);
    const wrongType = await http.put(`${API}/config/thresholds`).send({ thresholds: { minCalls: 'ten' } }).expect(400);
    expect(wrongType.body.message.join(' ')).toMatch(/minCalls must be an integer/);
    await http.get(`${API}/config/thresholds`).expect(200, before.body);
  });

  it('applies a change on the next evaluation, keeping the metrics', async () => {
    await http.post(`${API}/calls`).send(calls('p', 20, true, 300)).expect(201);
    await http.get(`${API}/health/p`).expect(200).expect((r) => expect(r.body.status).toBe('HEALTHY'));
    await http.get(`${API}/health`).expect(200).expect((r) => expect(r.body.status).toBe('HEALTHY'));
    const changed = await http.put(`${API}/config/thresholds`).send({ thresholds: { healthy: { p95LatencyMs: 200 } } }).expect(200);
    expect(changed.body.thresholds.healthy).toEqual({ errorRate: 0.05, p95LatencyMs: 200, timeoutRate: 0.05 });
    const health = await http.get(`${API}/health/p`).expect(200);
    expect(health.body).toMatchObject({ status: 'DEGRADED', calls: 20 });
    const system = await http.get(`${API}/health`).expect(200);
    expect(system.body.degradedProviders).toEqual(['p']);
    expect(health.body.issues[0]).toMatchObject({ type: 'high_latency', limit: 200 });
  });
});
