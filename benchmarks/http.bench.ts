import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Verdict, fmt, median, table } from './bench-utils';

const MAIN = join(__dirname, '..', 'src', 'main.js');
/** A simulator that answers at once and never fails, so the app's own cost is what is measured. */
const INSTANT = JSON.stringify({
  finnhub: { latencyMs: { median: 0, jitter: 0 }, errorRate: 0, rateLimitRate: 0, timeoutRate: 0, noDataRate: 0 },
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

interface App {
  url: string;
  process: ChildProcess;
}

async function startApp(env: Record<string, string>): Promise<App> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    // No history: the bench measures the live engine, and must not write into (or restore from) ./data.
    env: { ...process.env, PORT: String(port), TRAFFIC_GENERATOR: 'false', HEALTH_CHECK_INTERVAL_SECONDS: '3600', LOG_LEVEL: 'warn', SIMULATOR_PROFILES: INSTANT, HISTORY_ENABLED: 'false', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/api/ping`)).ok) return { url, process: child };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error('the app did not start within 10 s');
}

async function stopApp(app: App): Promise<void> {
  app.process.kill('SIGTERM');
  await once(app.process, 'exit');
}

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  /** Mean response size, to tell payload cost from handler cost. */
  bytesPerResponse: number;
}

async function load(url: string, seconds: number, headers: Record<string, string> = {}): Promise<Load> {
  const result = await autocannon({ url, connections: 50, duration: seconds, headers });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    bytesPerResponse: result.requests.total === 0 ? 0 : result.throughput.total / result.requests.total,
  };
}

/** The ETag a poller would keep and send back as If-None-Match. */
async function etagOf(url: string): Promise<Record<string, string>> {
  const etag = (await fetch(url)).headers.get('etag');
  if (!etag) throw new Error(`${url} sent no ETag`);
  return { 'if-none-match': etag };
}

/** Loads 1,000 providers with 10 calls each through the public API. */
async function loadProviders(url: string): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const batch = Array.from({ length: 1_000 }, (_, p) => ({ provider: `provider-${p}`, latencyMs: 20 + ((p * 7 + round * 13) % 400), success: (p + round) % 20 !== 0 }));
    const res = await fetch(`${url}/api/monitoring/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    if (res.status !== 201) throw new Error(`loading providers failed: HTTP ${res.status}`);
  }
}

export async function runHttpBenchmarks(seconds: number): Promise<{ markdown: string; verdicts: Verdict[] }> {
  const verdicts: Verdict[] = [];
  const app = await startApp({});
  let trivial: Load;
  let health: Load;
  let providers: Load;
  let healthPolled: Load;
  let providersPolled: Load;
  try {
    await loadProviders(app.url);
    await load(`${app.url}/api/ping`, 2); // warm-up
    trivial = await load(`${app.url}/api/ping`, seconds);
    health = await load(`${app.url}/api/monitoring/health`, seconds);
    providers = await load(`${app.url}/api/monitoring/providers`, seconds);
    healthPolled = await load(`${app.url}/api/monitoring/health`, seconds, await etagOf(`${app.url}/api/monitoring/health`));
    providersPolled = await load(`${app.url}/api/monitoring/providers`, seconds, await etagOf(`${app.url}/api/monitoring/providers`));
  } finally {
    await stopApp(app);
  }
  for (const [name, full, polled] of [
    ['health', health, healthPolled],
    ['providers', providers, providersPolled],
  ] as const) {
    const ratio = full.requestsPerSecond / trivial.requestsPerSecond;
    const polledRatio = polled.requestsPerSecond / trivial.requestsPerSecond;
    verdicts.push({
      target: `GET /api/monitoring/${name} with 1,000 providers at least half the trivial route's requests/s`,
      measured: `${fmt(ratio * 100)} % with the ${fmt(full.bytesPerResponse / 1_024, 0)} KiB body; ${fmt(polledRatio * 100)} % polled with If-None-Match`,
      met: ratio >= 0.5,
    });
  }

  // Quotes with monitoring on and off, alternated so drift in the machine hits both alike.
  const on: Load[] = [];
  const off: Load[] = [];
  for (let round = 0; round < 2; round++) {
    for (const [monitoring, results] of [
      ['true', on],
      ['false', off],
    ] as const) {
      const quotes = await startApp({ FINANCEHUB_MONITORING: monitoring });
      try {
        await load(`${quotes.url}/api/quotes/AAPL`, 2);
        results.push(await load(`${quotes.url}/api/quotes/AAPL`, seconds));
      } finally {
        await stopApp(quotes);
      }
    }
  }
  const onRps = median(on.map((r) => r.requestsPerSecond));
  const offRps = median(off.map((r) => r.requestsPerSecond));
  const cost = 1 - onRps / offRps;
  verdicts.push({ target: 'monitoring on costs at most 3 % of the quotes route requests/s', measured: `${fmt(cost * 100)} %`, met: cost <= 0.03 });

  const row = (name: string, r: Load) => [name, fmt(r.requestsPerSecond, 0), fmt(r.p99Ms, 0), fmt(r.bytesPerResponse / 1_024, 1), r.non2xx];
  const markdown = [
    `### HTTP (autocannon, loopback, 50 connections, ${seconds} s each; the app in its own process)`,
    '',
    table(
      ['route', 'requests/s', 'p99 ms', 'KiB/response', 'non-2xx'],
      [
        row('GET /api/ping (trivial route, same app)', trivial),
        row('GET /api/monitoring/health (1,000 providers)', health),
        row('GET /api/monitoring/providers (1,000 providers)', providers),
        row('GET /api/monitoring/health, If-None-Match (304)', healthPolled),
        row('GET /api/monitoring/providers, If-None-Match (304)', providersPolled),
        ...on.map((r, i) => row(`GET /api/quotes/AAPL, monitoring on (run ${i + 1})`, r)),
        ...off.map((r, i) => row(`GET /api/quotes/AAPL, monitoring off (run ${i + 1})`, r)),
      ],
    ),
  ].join('\n');
  return { markdown, verdicts };
}
