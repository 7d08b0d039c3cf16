import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SIMULATED_COINS, SIMULATED_FX, SIMULATED_STOCKS, lookup } from './market-universe';
import { PriceWalk, roundPrice } from './price-walk';
import type { RandomSource } from './random';
import {
  DEFAULT_SIMULATOR_PROFILES,
  SIMULATED_PROVIDERS,
  mergeProfile,
  validateProfilePatch,
  type ProviderProfile,
  type ProviderProfilePatch,
  type SimulatedProvider,
  type SimulatorProfileOverrides,
} from './simulator-profile';

export interface ProviderSimulatorOptions {
  /** Defaults to loopback only. */
  host?: string;
  /** 0 (default) picks a free ephemeral port. */
  port?: number;
  /** Merged over DEFAULT_SIMULATOR_PROFILES. */
  profiles?: SimulatorProfileOverrides;
  random?: RandomSource;
  now?: () => Date;
  /** When set for a provider, requests without this key get that provider's auth failure. */
  apiKeys?: Partial<Record<SimulatedProvider, string>>;
}

type Outcome = 'ok' | 'rate_limited' | 'error' | 'no_data' | 'timeout';

interface JsonAnswer {
  status: number;
  body: unknown;
}
interface TextAnswer {
  status: number;
  text: string;
  contentType: string;
}
type Answer = JsonAnswer | TextAnswer;

const ROUTES: Readonly<Record<string, SimulatedProvider>> = {
  '/api/v1/quote': 'finnhub',
  '/query': 'alphavantage',
  '/api/v3/simple/price': 'coingecko',
};

const FINNHUB_EMPTY = { c: 0, d: null, dp: null, h: 0, l: 0, o: 0, pc: 0, t: 0 };
const AV_NOTE =
  'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.';
const AV_DEMO_KEY_INFO =
  'The **demo** API key is for demo purposes only. Please claim your free API key at (https://www.alphavantage.co/support/#api-key) to explore our full API offerings. It takes fewer than 20 seconds.';
const UNAVAILABLE_HTML =
  '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>';

/**
 * A local stand-in for Finnhub, Alpha Vantage and CoinGecko: one HTTP server answering the
 * three providers' real paths in their real formats, including the ways they fail, with
 * latency and failure rates set per provider.
 */
export class ProviderSimulator {
  private server?: Server;
  private baseUrl?: string;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly profiles: Record<SimulatedProvider, ProviderProfile>;
  private readonly counts: Record<SimulatedProvider, number>;
  private readonly random: RandomSource;
  private readonly now: () => Date;
  private readonly walk: PriceWalk;

  constructor(private readonly options: ProviderSimulatorOptions = {}) {
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(
        `ProviderSimulator port must be an integer 0-65535, got ${port}`,
      );
    }
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => new Date());
    this.walk = new PriceWalk(this.random);
    this.profiles = {} as Record<SimulatedProvider, ProviderProfile>;
    this.counts = {} as Record<SimulatedProvider, number>;
    for (const name of SIMULATED_PROVIDERS) {
      const patch = options.profiles?.[name];
      this.profiles[name] = mergeProfile(
        DEFAULT_SIMULATOR_PROFILES[name],
        patch && validateProfilePatch(patch, `profiles.${name}`),
      );
      this.counts[name] = 0;
    }
  }

  /** Base URL for all three providers, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('ProviderSimulator has not been started');
    return this.baseUrl;
  }

  get listening(): boolean {
    return this.server?.listening ?? false;
  }

  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    const host = this.options.host ?? '127.0.0.1';
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.options.port ?? 0, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      this.server = undefined;
      throw err;
    }
    // The app's own server keeps the process alive. The simulator alone must not: when a later
    // provider fails during start-up, nothing would close it and the process would hang.
    server.unref();
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return this.baseUrl;
  }

  /** Stops listening, cancels pending answers and cuts hung or idle connections. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  setProfile(
    provider: SimulatedProvider,
    patch: ProviderProfilePatch,
  ): ProviderProfile {
    const checked = validateProfilePatch(patch, `setProfile(${provider})`);
    this.profiles[provider] = mergeProfile(this.profiles[provider], checked);
    return this.getProfile(provider);
  }

  getProfile(provider: SimulatedProvider): ProviderProfile {
    return mergeProfile(this.profiles[provider]);
  }

  /** Requests received per provider (including ones that failed or hung). */
  requestCount(provider: SimulatedProvider): number {
    return this.counts[provider];
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://simulator.local');
    } catch {
      // A throw here would escape the request handler and take the process down.
      return this.send(res, { status: 400, body: { error: 'Bad request' } });
    }
    const provider = ROUTES[url.pathname];
    if (!provider) {
      return this.send(res, { status: 404, body: { error: 'Not found' } });
    }
    if (req.method !== 'GET') {
      return this.send(res, { status: 405, body: { error: 'Method not allowed' } });
    }
    this.counts[provider] += 1;
    const profile = this.profiles[provider];
    const outcome = this.roll(profile);
    // A hung request: keep the socket open and never answer.
    if (outcome === 'timeout') return;

    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.send(res, this.answer(provider, outcome, url, req));
    }, this.latency(profile));
    this.timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  private roll(p: ProviderProfile): Outcome {
    if (this.random() < p.timeoutRate) return 'timeout';
    if (this.random() < p.rateLimitRate) return 'rate_limited';
    if (this.random() < p.errorRate) return 'error';
    if (this.random() < p.noDataRate) return 'no_data';
    return 'ok';
  }

  private latency(p: ProviderProfile): number {
    const { median, jitter } = p.latencyMs;
    return Math.max(0, Math.round(median + (this.random() * 2 - 1) * jitter));
  }

  private answer(
    provider: SimulatedProvider,
    outcome: Exclude<Outcome, 'timeout'>,
    url: URL,
    req: IncomingMessage,
  ): Answer {
    switch (provider) {
      case 'finnhub':
        return this.finnhub(outcome, url);
      case 'alphavantage':
        return this.alphaVantage(outcome, url);
      case 'coingecko':
        return this.coinGecko(outcome, url, req);
      default: {
        const never: never = provider;
        throw new Error(`No simulator route for ${String(never)}`);
      }
    }
  }

  private finnhub(outcome: Exclude<Outcome, 'timeout'>, url: URL): Answer {
    const expected = this.options.apiKeys?.finnhub;
    if (expected !== undefined && url.searchParams.get('token') !== expected) {
      return { status: 401, body: { error: 'Invalid API key' } };
    }
    if (outcome === 'rate_limited') {
      return {
        status: 429,
        body: { error: 'API limit reached. Please try again later. Remaining Limit: 0' },
      };
    }
    if (outcome === 'error') {
      return { status: 500, body: { error: 'Internal server error' } };
    }
    const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
    if (!symbol) return { status: 422, body: { error: 'Symbol is required' } };
    const base = lookup(SIMULATED_STOCKS, symbol);
    if (base === undefined || outcome === 'no_data') {
      return { status: 200, body: FINNHUB_EMPTY };
    }
    const s = this.walk.next(`stock:${symbol}`, base);
    const change = s.price - s.previousClose;
    return {
      status: 200,
      body: {
        c: roundPrice(s.price),
        d: Math.round(change * 100) / 100,
        dp: Math.round((change / s.previousClose) * 1e6) / 1e4,
        h: roundPrice(s.high),
        l: roundPrice(s.low),
        o: roundPrice(s.open),
        pc: roundPrice(s.previousClose),
        t: Math.floor(this.now().getTime() / 1000),
      },
    };
  }

  private alphaVantage(outcome: Exclude<Outcome, 'timeout'>, url: URL): Answer {
    const expected = this.options.apiKeys?.alphavantage;
    if (expected !== undefined && url.searchParams.get('apikey') !== expected) {
      return {
        status: 200,
        body: {
          'Error Message':
            'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.',
        },
      };
    }
    // Alpha Vantage signals its rate limit with a 200 and a "Note".
    if (outcome === 'rate_limited') return { status: 200, body: { Note: AV_NOTE } };
    if (outcome === 'error') {
      return { status: 503, text: UNAVAILABLE_HTML, contentType: 'text/html' };
    }
    const fn = url.searchParams.get('function') ?? '';
    if (fn !== 'GLOBAL_QUOTE') {
      return {
        status: 200,
        body: { 'Error Message': `This API function (${fn}) does not exist.` },
      };
    }
    const symbol = (url.searchParams.get('symbol') ?? '').toUpperCase();
    if (!symbol) {
      return {
        status: 200,
        body: {
          'Error Message':
            'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for GLOBAL_QUOTE.',
        },
      };
    }
    // The public demo key only works for IBM, and says so in an "Information" field.
    if (url.searchParams.get('apikey') === 'demo' && symbol !== 'IBM') {
      return { status: 200, body: { Information: AV_DEMO_KEY_INFO } };
    }
    const base = lookup(SIMULATED_STOCKS, symbol);
    if (base === undefined || outcome === 'no_data') {
      return { status: 200, body: { 'Global Quote': {} } };
    }
    const s = this.walk.next(`stock:${symbol}`, base);
    const change = s.price - s.previousClose;
    const fixed = (n: number): string => n.toFixed(4);
    return {
      status: 200,
      body: {
        'Global Quote': {
          '01. symbol': symbol,
          '02. open': fixed(s.open),
          '03. high': fixed(s.high),
          '04. low': fixed(s.low),
          '05. price': fixed(s.price),
          '06. volume': String(Math.floor(1e6 + this.random() * 5e7)),
          '07. latest trading day': this.now().toISOString().slice(0, 10),
          '08. previous close': fixed(s.previousClose),
          '09. change': fixed(change),
          '10. change percent': `${((change / s.previousClose) * 100).toFixed(4)}%`,
        },
      },
    };
  }

  private coinGecko(
    outcome: Exclude<Outcome, 'timeout'>,
    url: URL,
    req: IncomingMessage,
  ): Answer {
    const expected = this.options.apiKeys?.coingecko;
    if (expected !== undefined && req.headers['x-cg-demo-api-key'] !== expected) {
      return {
        status: 401,
        body: { status: { error_code: 10002, error_message: 'API Key Missing' } },
      };
    }
    if (outcome === 'rate_limited') {
      return {
        status: 429,
        body: {
          status: {
            error_code: 429,
            error_message:
              "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for higher rate limits.",
          },
        },
      };
    }
    if (outcome === 'error') {
      return { status: 503, text: UNAVAILABLE_HTML, contentType: 'text/html' };
    }
    const list = (name: string): string[] =>
      (url.searchParams.get(name) ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
    const currencies = list('vs_currencies');
    if (currencies.length === 0) {
      return { status: 400, body: { error: 'Missing parameter vs_currencies' } };
    }
    const body: Record<string, Record<string, number>> = {};
    if (outcome === 'no_data') return { status: 200, body };
    for (const id of list('ids')) {
      const base = lookup(SIMULATED_COINS, id);
      // Unknown ids are left out of the object, as CoinGecko does.
      if (base === undefined) continue;
      const usd = this.walk.next(`coin:${id}`, base).price;
      const prices: Record<string, number> = {};
      for (const cur of currencies) {
        const rate = lookup(SIMULATED_FX, cur);
        if (rate !== undefined) prices[cur] = roundPrice(usd * rate);
      }
      body[id] = prices;
    }
    return { status: 200, body };
  }

  private send(res: ServerResponse, answer: Answer): void {
    if (res.writableEnded || res.destroyed) return;
    const isText = 'text' in answer;
    const payload = isText ? answer.text : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': isText
        ? `${answer.contentType}; charset=utf-8`
        : 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }
}
