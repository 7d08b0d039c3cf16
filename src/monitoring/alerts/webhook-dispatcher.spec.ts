import { IncomingHttpHeaders, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { AlertNotification, AlertRecord } from '../core/alerts/alert.types';
import { DispatcherOptions, WebhookDispatcher, WebhookTarget, webhookHostLabel } from './webhook-dispatcher';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Behaviour = (request: Received, response: ServerResponse) => void;

/** A real HTTP receiver on loopback whose answer each test chooses. */
class Receiver {
  readonly received: Received[] = [];
  behaviour: Behaviour = (_request, response) => response.writeHead(200).end('ok');
  private server: Server | null = null;
  private readonly waiters: { done: () => boolean; resolve: () => void }[] = [];
  port = 0;

  async start(port = 0): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(request);
        this.behaviour(request, res);
        for (const waiter of [...this.waiters]) {
          if (waiter.done()) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Like a crashed receiver: open connections are cut, new ones refused. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Resolves once `count` requests for `path` have arrived. */
  waitFor(path: string, count: number): Promise<void> {
    const done = (): boolean => this.on(path).length >= count;
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done, resolve }));
  }
}

function record(overrides: Partial<AlertRecord> = {}): AlertRecord {
  return {
    id: 'provider-unhealthy:coingecko:2026-03-01T10:00:00.000Z',
    rule: 'provider-unhealthy',
    provider: 'coingecko',
    subject: 'coingecko',
    severity: 'critical',
    state: 'firing',
    value: 0.42,
    limit: 0.9,
    startedAt: '2026-03-01T10:00:00.000Z',
    resolvedAt: null,
    message: 'Success ratio 42% is below 90%; check the provider status page.',
    ...overrides,
  };
}

function fired(id: string, overrides: Partial<AlertRecord> = {}): AlertNotification {
  return { event: 'fired', alert: record({ id, ...overrides }) };
}

function target(overrides: Partial<WebhookTarget> & Pick<WebhookTarget, 'url'>): WebhookTarget {
  return { name: 'ops-json', format: 'json', timeoutMs: 1000, retries: 0, backoffMs: 1, ...overrides };
}

interface Logs {
  warn: string[];
  error: string[];
}

function capture(): { logs: Logs; log: NonNullable<DispatcherOptions['log']> } {
  const logs: Logs = { warn: [], error: [] };
  return { logs, log: { warn: (m) => logs.warn.push(m), error: (m) => logs.error.push(m) } };
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const noSleep = (): Promise<void> => Promise.resolve();

function ids(requests: Received[]): string[] {
  return requests.map((r) => (JSON.parse(r.body) as { alert: AlertRecord }).alert.id);
}

describe('WebhookDispatcher.payload', () => {
  it.each([
    ['fired', 'alert.fired'],
    ['resolved', 'alert.resolved'],
    ['repeat', 'alert.repeat'],
  ] as const)('names the JSON event %s %s, with the alert record unchanged', (event, name) => {
    const alert = record();
    expect(WebhookDispatcher.payload('json', { event, alert })).toEqual({ event: name, alert });
  });

  it('writes one Slack line per event, with severity icon, value and limit', () => {
    const alert = record();
    expect(WebhookDispatcher.payload('slack', { event: 'fired', alert })).toEqual({
      text:
        ':red_circle: FIRING [critical] provider-unhealthy — coingecko: ' +
        'Success ratio 42% is below 90%; check the provider status page. (value 0.42, limit 0.9)',
    });
    const resolved = record({ state: 'resolved', resolvedAt: '2026-03-01T10:05:00.000Z' });
    expect(WebhookDispatcher.payload('slack', { event: 'resolved', alert: resolved }).text).toMatch(
      /^:large_green_circle: RESOLVED \[critical\] provider-unhealthy — coingecko: Success/,
    );
    expect(WebhookDispatcher.payload('slack', { event: 'repeat', alert }).text).toMatch(
      /^:repeat: STILL FIRING \[critical\] provider-unhealthy — coingecko: /,
    );
  });

  it.each([
    ['warning', ':large_orange_circle: FIRING [warning]'],
    ['info', ':large_blue_circle: FIRING [info]'],
  ] as const)('marks %s alerts with their own icon', (severity, start) => {
    expect(WebhookDispatcher.payload('slack', { event: 'fired', alert: record({ severity }) }).text.startsWith(start)).toBe(
      true,
    );
  });

  it('keeps the Slack text one short line, escapes <>&, and leaves out missing numbers', () => {
    const alert = record({
      rule: 'cache-hit-ratio',
      subject: 'cache:L1',
      provider: null,
      value: null,
      limit: null,
      severity: 'warning',
      message: `Hit ratio <50% & falling\nsee ${'x'.repeat(400)}`,
    });
    const { text } = WebhookDispatcher.payload('slack', { event: 'fired', alert });
    expect(text).not.toContain('\n');
    expect(text).toContain('cache-hit-ratio — cache:L1: Hit ratio &lt;50% &amp; falling see xxx');
    expect(text).not.toContain('value');
    expect(text.endsWith('…')).toBe(true);
    expect(text.length).toBeLessThan(400);
  });

  it('shows only scheme and host of a webhook URL', () => {
    expect(webhookHostLabel('https://hooks.slack.com/services/T000/B000/XXXX')).toBe('https://hooks.slack.com/…');
    expect(webhookHostLabel('not a url')).toBe('<invalid url>');
  });
});

describe('WebhookDispatcher', () => {
  let receiver: Receiver;
  let dispatcher: WebhookDispatcher | null;

  beforeEach(async () => {
    receiver = new Receiver();
    dispatcher = null;
    await receiver.start();
  });

  afterEach(async () => {
    await dispatcher?.close();
    await receiver.stop();
  });

  it('delivers the exact JSON and Slack bodies, in order, as application/json', async () => {
    const { logs, log } = capture();
    dispatcher = new WebhookDispatcher(
      [
        target({ name: 'ops-json', url: receiver.url('/json'), headers: { 'x-team': 'sre', 'Content-Type': 'text/plain' } }),
        target({ name: 'ops-slack', format: 'slack', url: receiver.url('/slack') }),
      ],
      { queueLimit: 10, log },
    );
    const first = fired('a1');
    const repeat: AlertNotification = { event: 'repeat', alert: record({ id: 'a1' }) };
    const resolved: AlertNotification = {
      event: 'resolved',
      alert: record({ id: 'a1', state: 'resolved', resolvedAt: '2026-03-01T10:05:00.000Z' }),
    };
    for (const n of [first, repeat, resolved]) dispatcher.enqueue(n);
    await dispatcher.drain();

    const json = receiver.on('/json');
    expect(json.map((r) => JSON.parse(r.body) as unknown)).toEqual([
      { event: 'alert.fired', alert: first.alert },
      { event: 'alert.repeat', alert: repeat.alert },
      { event: 'alert.resolved', alert: resolved.alert },
    ]);
    expect(json[0].headers['content-type']).toBe('application/json');
    expect(json[0].headers['x-team']).toBe('sre');

    const slack = receiver.on('/slack');
    expect(slack.map((r) => JSON.parse(r.body) as unknown)).toEqual(
      [first, repeat, resolved].map((n) => WebhookDispatcher.payload('slack', n)),
    );
    expect((JSON.parse(slack[0].body) as { text: string }).text).toBe(
      ':red_circle: FIRING [critical] provider-unhealthy — coingecko: ' +
        'Success ratio 42% is below 90%; check the provider status page. (value 0.42, limit 0.9)',
    );

    const stats = dispatcher.stats();
    expect(stats).toMatchObject({ delivered: 6, failed: 0, dropped: 0, queued: 0 });
    expect(stats.targets[0]).toMatchObject({ name: 'ops-json', delivered: 3, retried: 0, lastError: null });
    expect(stats.targets[0].lastDeliveredAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(logs).toEqual({ warn: [], error: [] });
  });

  it('retries a receiver slower than timeoutMs, then counts it failed, without delaying another target', async () => {
    const { logs, log } = capture();
    receiver.behaviour = (request, response) => {
      // The slow receiver never answers; the client's timeout must cut it.
      if (request.path !== '/slow') response.writeHead(200).end();
    };
    dispatcher = new WebhookDispatcher(
      [
        target({ name: 'slow', url: receiver.url('/slow'), timeoutMs: 80, retries: 1, backoffMs: 10 }),
        target({ name: 'fast', url: receiver.url('/fast') }),
      ],
      { queueLimit: 10, log },
    );
    dispatcher.enqueue(fired('a1'));
    dispatcher.enqueue(fired('a2'));

    await receiver.waitFor('/fast', 2);
    // The slow target is still on its first attempt: the fast one did not wait for it.
    expect(dispatcher.stats().targets[0]).toMatchObject({ delivered: 0, failed: 0, retried: 0 });

    await dispatcher.drain();
    expect(ids(receiver.on('/fast'))).toEqual(['a1', 'a2']);
    expect(ids(receiver.on('/slow'))).toEqual(['a1', 'a1', 'a2', 'a2']);
    const [slow, fast] = dispatcher.stats().targets;
    expect(slow).toMatchObject({ delivered: 0, failed: 2, retried: 2, lastError: 'timeout after 80 ms' });
    expect(fast).toMatchObject({ delivered: 2, failed: 0 });
    expect(logs.error).toHaveLength(2);
    expect(logs.error[0]).toContain('failed to deliver alert.fired for alert a1 after 2 attempt(s): timeout after 80 ms');
  });

  it('delivers every alert exactly once when the receiver comes back within the retries', async () => {
    const port = receiver.port;
    await receiver.stop();
    const delays: number[] = [];
    dispatcher = new WebhookDispatcher([target({ url: receiver.url('/hook'), retries: 4, backoffMs: 20 })], {
      queueLimit: 10,
      random: () => 0.5,
      log: capture().log,
      sleep: async (ms) => {
        delays.push(ms);
        // Two attempts have been refused; the receiver is back before the third.
        if (delays.length === 2) await receiver.start(port);
        await realSleep(ms);
      },
    });
    for (const id of ['a1', 'a2', 'a3']) dispatcher.enqueue(fired(id));
    await dispatcher.drain();

    expect(delays).toEqual([20, 40]);
    expect(ids(receiver.on('/hook'))).toEqual(['a1', 'a2', 'a3']);
    const stats = dispatcher.stats().targets[0];
    expect(stats).toMatchObject({ delivered: 3, failed: 0, dropped: 0, retried: 2 });
    expect(stats.lastError).toContain('ECONNREFUSED');
  });

  it('backs off exponentially with ±20% jitter from the injected random', async () => {
    const delays: number[] = [];
    const randoms = [0, 0.75, 0.5];
    dispatcher = new WebhookDispatcher([target({ url: receiver.url('/hook'), retries: 3, backoffMs: 100 })], {
      queueLimit: 10,
      log: capture().log,
      random: () => randoms.shift() ?? 0.5,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    receiver.behaviour = (_request, response) => response.writeHead(503).end();
    dispatcher.enqueue(fired('a1'));
    await dispatcher.drain();
    expect(delays).toEqual([80, 220, 400]);
    expect(receiver.on('/hook')).toHaveLength(4);
  });

  it('does not retry a 400: counted failed after one attempt', async () => {
    const { logs, log } = capture();
    receiver.behaviour = (_request, response) => response.writeHead(400).end('bad payload');
    dispatcher = new WebhookDispatcher([target({ url: receiver.url('/hook'), retries: 3 })], {
      queueLimit: 10,
      sleep: noSleep,
      log,
    });
    dispatcher.enqueue(fired('a1'));
    dispatcher.enqueue(fired('a2'));
    await dispatcher.drain();
    expect(ids(receiver.on('/hook'))).toEqual(['a1', 'a2']);
    expect(dispatcher.stats().targets[0]).toMatchObject({ failed: 2, retried: 0, delivered: 0, lastError: 'HTTP 400' });
    expect(logs.error[0]).toContain('alert a1 after 1 attempt(s): HTTP 400');
  });

  it.each([503, 500, 429, 408])('retries a %i until the receiver accepts', async (status) => {
    let answers = 0;
    receiver.behaviour = (_request, response) => response.writeHead(++answers <= 2 ? status : 200).end();
    dispatcher = new WebhookDispatcher([target({ url: receiver.url('/hook'), retries: 3 })], {
      queueLimit: 10,
      sleep: noSleep,
      log: capture().log,
    });
    dispatcher.enqueue(fired('a1'));
    await dispatcher.drain();
    expect(ids(receiver.on('/hook'))).toEqual(['a1', 'a1', 'a1']);
    expect(dispatcher.stats().targets[0]).toMatchObject({ delivered: 1, failed: 0, retried: 2, lastError: `HTTP ${status}` });
  });

  it('counts a 503 that outlasts the retries as failed and moves on', async () => {
    const { logs, log } = capture();
    receiver.behaviour = (request, response) => response.writeHead(request.body.includes('"a1"') ? 503 : 200).end();
    dispatcher = new WebhookDispatcher([target({ url: receiver.url('/hook'), retries: 2 })], {
      queueLimit: 10,
      sleep: noSleep,
      log,
    });
    dispatcher.enqueue(fired('a1'));
    dispatcher.enqueue(fired('a2'));
    await dispatcher.drain();
    expect(ids(receiver.on('/hook'))).toEqual(['a1', 'a1', 'a1', 'a2']);
    expect(dispatcher.stats().targets[0]).toMatchObject({ delivered: 1, failed: 1, retried: 2 });
    expect(logs.error).toEqual([expect.stringContaining('alert a1 after 3 attempt(s): HTTP 503')]);
  });

  it('drops the oldest pending notification when a queue is full, keeping memory bounded', async () => {
    const { logs, log } = capture();
    const held: ServerResponse[] = [];
    receiver.behaviour = (_request, response) => held.push(response);
    dispatcher = new WebhookDispatcher(
      [target({ name: 'a', url: receiver.url('/a') }), target({ name: 'b', url: receiver.url('/b') })],
      { queueLimit: 2, log },
    );
    dispatcher.enqueue(fired('n1'));
    await Promise.all([receiver.waitFor('/a', 1), receiver.waitFor('/b', 1)]);

    // n1 is in flight on both targets; of the next 1000 only the newest two can wait.
    for (let i = 2; i <= 1001; i++) {
      dispatcher.enqueue(fired(`n${i}`));
      const stats = dispatcher.stats();
      expect(stats.queued).toBeLessThanOrEqual(2 * 2);
    }
    const full = dispatcher.stats();
    expect(full).toMatchObject({ queued: 4, dropped: 998 * 2 });
    expect(full.targets.map((t) => t.queued)).toEqual([2, 2]);
    expect(logs.warn).toHaveLength(998 * 2);
    expect(logs.warn[0]).toBe(
      `webhook a (http://127.0.0.1:${receiver.port}/…): queue full (2), ` +
        'dropped the oldest pending alert.fired for alert n2 to make room for alert.fired for alert n4',
    );

    receiver.behaviour = (_request, response) => response.writeHead(200).end();
    for (const response of held) response.writeHead(200).end();
    await dispatcher.drain();
    expect(ids(receiver.on('/a'))).toEqual(['n1', 'n1000', 'n1001']);
    expect(ids(receiver.on('/b'))).toEqual(['n1', 'n1000', 'n1001']);
    expect(dispatcher.stats()).toMatchObject({ delivered: 6, dropped: 1996, failed: 0, queued: 0 });
  });

  it('never throws from enqueue, even when fetch throws synchronously or the logger throws', async () => {
    const throwingFetch: typeof fetch = () => {
      throw new Error('boom');
    };
    const throwingLog = {
      warn: (): void => {
        throw new Error('log down');
      },
      error: (): void => {
        throw new Error('log down');
      },
    };
    dispatcher = new WebhookDispatcher([target({ url: receiver.url('/hook'), retries: 1 })], {
      queueLimit: 1,
      fetch: throwingFetch,
      sleep: noSleep,
      log: throwingLog,
    });
    const circular: AlertRecord & { self?: object } = record({ id: 'circular' });
    circular.self = circular;

    expect(() => {
      dispatcher?.enqueue(fired('a1'));
      dispatcher?.enqueue(fired('a2')); // overflows: a1 dropped, the throwing logger is called
      dispatcher?.enqueue({ event: 'fired', alert: circular }); // cannot be serialised
    }).not.toThrow();
    await dispatcher.drain();
    expect(dispatcher.stats().targets[0]).toMatchObject({ dropped: 2, failed: 1, delivered: 0 });
    expect(dispatcher.stats().targets[0].lastError).toMatch(/^cannot serialise the payload: /);

    dispatcher.enqueue(fired('a3'));
    await dispatcher.drain();
    expect(dispatcher.stats().targets[0]).toMatchObject({ failed: 2, retried: 1, lastError: 'boom' });
    expect(receiver.received).toHaveLength(0);

    await dispatcher.close();
    expect(() => dispatcher?.enqueue(fired('late'))).not.toThrow();
    expect(dispatcher.stats().targets[0].dropped).toBe(3);
  });

  it('keeps the secret path, query and headers of a target out of stats and logs', async () => {
    const { logs, log } = capture();
    const secretPath = '/services/T0SECRET1/B0SECRET2/XXXXSECRET3?token=SECRET4';
    const url = receiver.url(secretPath);
    receiver.behaviour = (_request, response) => response.writeHead(503).end();
    const quotingFetch: typeof fetch = async (input) => {
      // Some clients quote the URL in their errors.
      throw new Error(`request to ${String(input)} failed`, { cause: new Error(`connect to ${String(input)}`) });
    };
    const secretHeaders = { authorization: 'Bearer SECRET5token' };
    dispatcher = new WebhookDispatcher(
      [target({ name: 'slack', format: 'slack', url, retries: 1, headers: secretHeaders })],
      { queueLimit: 1, sleep: noSleep, log },
    );
    const quoting = new WebhookDispatcher([target({ name: 'quoting', url, retries: 0, headers: secretHeaders })], {
      queueLimit: 1,
      fetch: quotingFetch,
      log,
    });
    for (const d of [dispatcher, quoting]) {
      d.enqueue(fired('a1'));
      d.enqueue(fired('a2'));
      d.enqueue(fired('a3'));
    }
    await Promise.all([dispatcher.drain(), quoting.drain()]);
    const closing = new WebhookDispatcher([target({ name: 'closing', url })], { queueLimit: 5, log });
    closing.enqueue(fired('a4'));
    closing.enqueue(fired('a5'));
    await closing.close();

    expect(receiver.on(secretPath).length).toBeGreaterThan(0);
    expect(logs.error.length).toBeGreaterThan(0);
    expect(logs.warn.length).toBeGreaterThan(0);
    const reported = JSON.stringify([dispatcher.stats(), quoting.stats(), closing.stats(), logs]);
    expect(reported).toContain(`http://127.0.0.1:${receiver.port}/…`);
    expect(reported).toContain('request to http://127.0.0.1:');
    for (const secret of ['SECRET', 'services', 'token=']) expect(reported).not.toContain(secret);
    expect(() => new WebhookDispatcher([target({ url: 'hooks/services/XXXXSECRET' })], { queueLimit: 1 })).toThrow(
      /^webhook target "ops-json": url is not a valid URL$/,
    );
  });

  it('close() aborts the attempt in flight and counts pending and in-flight notifications as dropped', async () => {
    const { logs, log } = capture();
    receiver.behaviour = () => undefined; // never answers
    dispatcher = new WebhookDispatcher([target({ url: receiver.url('/hook'), timeoutMs: 10_000 })], {
      queueLimit: 10,
      log,
    });
    for (const id of ['a1', 'a2', 'a3']) dispatcher.enqueue(fired(id));
    await receiver.waitFor('/hook', 1);
    const started = Date.now();
    await dispatcher.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await dispatcher.drain();
    expect(dispatcher.stats()).toMatchObject({ delivered: 0, failed: 0, dropped: 3, queued: 0 });
    expect(logs.warn).toEqual([expect.stringContaining('closed with 2 pending notification(s), dropped')]);
    expect(receiver.on('/hook')).toHaveLength(1);
  });

  it('close() does not wait out a backoff', async () => {
    receiver.behaviour = (_request, response) => response.writeHead(503).end();
    let backingOff: () => void = () => undefined;
    const sleeping = new Promise<void>((resolve) => (backingOff = resolve));
    dispatcher = new WebhookDispatcher([target({ url: receiver.url('/hook'), retries: 5, backoffMs: 60_000 })], {
      queueLimit: 10,
      log: capture().log,
      sleep: () => {
        backingOff();
        return new Promise(() => undefined); // a wait close() must not sit out
      },
    });
    dispatcher.enqueue(fired('a1'));
    await sleeping;
    await dispatcher.close();
    expect(dispatcher.stats().targets[0]).toMatchObject({ retried: 1, dropped: 1, failed: 0 });
  });

  it('drain() resolves at once when idle and waits for late enqueues', async () => {
    dispatcher = new WebhookDispatcher([target({ url: receiver.url('/hook') })], { queueLimit: 10 });
    await dispatcher.drain();
    dispatcher.enqueue(fired('a1'));
    const drained = dispatcher.drain();
    dispatcher.enqueue(fired('a2'));
    await drained;
    expect(ids(receiver.on('/hook'))).toEqual(['a1', 'a2']);
  });

  it.each<[string, Partial<WebhookTarget>, number, RegExp]>([
    ['queueLimit 0', {}, 0, /queueLimit must be an integer >= 1/],
    ['negative retries', { retries: -1 }, 1, /retries must be an integer >= 0/],
    ['zero timeout', { timeoutMs: 0 }, 1, /timeoutMs must be > 0/],
    ['ftp url', { url: 'ftp://example.com/x' }, 1, /url must be http or https/],
    ['url with credentials', { url: 'https://user:pw@example.com/x' }, 1, /must not contain credentials/],
  ])('rejects a bad configuration: %s', (_case, overrides, queueLimit, error) => {
    expect(() => new WebhookDispatcher([target({ url: receiver.url('/hook'), ...overrides })], { queueLimit })).toThrow(
      error,
    );
  });

  it('rejects two targets with the same name', () => {
    const t = target({ url: receiver.url('/hook') });
    expect(() => new WebhookDispatcher([t, t], { queueLimit: 1 })).toThrow(/configured twice/);
  });
});
