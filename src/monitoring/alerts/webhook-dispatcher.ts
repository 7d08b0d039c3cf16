import { AlertNotification, AlertRecord, AlertSeverity } from '../core/alerts/alert.types';
import { WebhookTarget } from '../core/monitoring-options';
import { redactSecrets } from '../core/redact';

export type { WebhookTarget };

export interface DispatcherOptions {
  /** Pending deliveries kept per target (the one in flight is not counted). */
  queueLimit: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), like Math.random; drives the backoff jitter. */
  random?: () => number;
  log?: { warn(msg: string): void; error(msg: string): void };
}

export interface TargetStats {
  name: string;
  /** Scheme and host only: the path of a webhook URL is often the credential. */
  target: string;
  /** Waiting deliveries, not counting the one in flight; never above queueLimit. */
  queued: number;
  delivered: number;
  failed: number;
  dropped: number;
  /** Retry attempts made (not notifications). */
  retried: number;
  lastError: string | null;
  lastDeliveredAt: string | null;
}

export interface DispatcherStats {
  targets: TargetStats[];
  delivered: number;
  failed: number;
  dropped: number;
  queued: number;
}

export type WebhookEventName = 'alert.fired' | 'alert.resolved' | 'alert.repeat';

export interface JsonWebhookPayload {
  event: WebhookEventName;
  alert: AlertRecord;
}

export interface SlackWebhookPayload {
  text: string;
}

const EVENT_NAMES: Record<AlertNotification['event'], WebhookEventName> = {
  fired: 'alert.fired',
  resolved: 'alert.resolved',
  repeat: 'alert.repeat',
};

const SEVERITY_ICONS: Record<AlertSeverity, string> = {
  critical: ':red_circle:',
  warning: ':large_orange_circle:',
  info: ':large_blue_circle:',
};

/** Exponential growth is capped so a target with many retries still comes back within a minute. */
const MAX_BACKOFF_MS = 60_000;
const JITTER = 0.2;
/** Slack shows a one-liner best; the full message is in the JSON format. */
const MAX_SLACK_MESSAGE_LENGTH = 300;
const MAX_REASON_LENGTH = 300;

/** `https://hooks.slack.com/…`: what may be shown of a webhook URL. */
export function webhookHostLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return '<invalid url>';
  }
}

type AttemptResult = { ok: true } | { ok: false; permanent: boolean; reason: string };

interface Worker {
  readonly target: WebhookTarget;
  readonly label: string;
  /** The URL in the forms an error may quote it: shown as the label instead. */
  readonly urlSecrets: readonly string[];
  /** Header values (tokens, usually): blanked in anything logged. */
  readonly headerSecrets: readonly string[];
  readonly headers: Record<string, string>;
  queue: AlertNotification[];
  /** The running loop; null when the worker is idle. */
  loop: Promise<void> | null;
  /** Aborts the attempt in flight, so close() does not wait for a slow target. */
  inFlight: AbortController | null;
  delivered: number;
  failed: number;
  dropped: number;
  retried: number;
  lastError: string | null;
  lastDeliveredAt: string | null;
}

/**
 * Sends alert notifications to webhooks. Each target has its own bounded FIFO queue and a single
 * worker, so a slow or dead target delays nothing but itself, and enqueue() never waits.
 */
export class WebhookDispatcher {
  private readonly workers: Worker[];
  private readonly queueLimit: number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly log: { warn(msg: string): void; error(msg: string): void };
  private readonly drainWaiters: (() => void)[] = [];
  private readonly closedSignal: Promise<void>;
  private signalClosed: () => void = () => undefined;
  private closed = false;
  private closing: Promise<void> | null = null;

  constructor(targets: readonly WebhookTarget[], options: DispatcherOptions) {
    if (!Number.isInteger(options.queueLimit) || options.queueLimit < 1) {
      throw new Error(`webhook queueLimit must be an integer >= 1, got ${options.queueLimit}`);
    }
    this.queueLimit = options.queueLimit;
    // Resolved at call time so a fetch replaced after construction (tests, instrumentation) is used.
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.log = options.log ?? { warn: (msg) => console.warn(msg), error: (msg) => console.error(msg) };
    this.closedSignal = new Promise((resolve) => (this.signalClosed = resolve));

    const names = new Set<string>();
    this.workers = targets.map((target) => {
      validateTarget(target);
      if (names.has(target.name)) throw new Error(`webhook target "${target.name}" is configured twice`);
      names.add(target.name);
      return {
        target,
        label: webhookHostLabel(target.url),
        urlSecrets: urlForms(target.url),
        headerSecrets: Object.values(target.headers ?? {}),
        headers: jsonHeaders(target.headers),
        queue: [],
        loop: null,
        inFlight: null,
        delivered: 0,
        failed: 0,
        dropped: 0,
        retried: 0,
        lastError: null,
        lastDeliveredAt: null,
      };
    });
  }

  /**
   * Never blocks, never throws: queues one delivery per target; when a target's queue is full,
   * the OLDEST pending notification is dropped (counted and logged) so the newest state gets through.
   */
  enqueue(notification: AlertNotification): void {
    for (const worker of this.workers) {
      try {
        if (this.closed) {
          worker.dropped++;
          continue;
        }
        if (worker.queue.length >= this.queueLimit) {
          const oldest = worker.queue.shift();
          worker.dropped++;
          const dropped = `dropped the oldest pending ${describe(oldest)}`;
          this.warn(worker, `queue full (${this.queueLimit}), ${dropped} to make room for ${describe(notification)}`);
        }
        worker.queue.push(notification);
        worker.loop ??= this.run(worker);
      } catch {
        // Nothing above is expected to throw; alerting must still never take its caller down.
      }
    }
  }

  stats(): DispatcherStats {
    const targets = this.workers.map(
      (w): TargetStats => ({
        name: w.target.name,
        target: w.label,
        queued: w.queue.length,
        delivered: w.delivered,
        failed: w.failed,
        dropped: w.dropped,
        retried: w.retried,
        lastError: w.lastError,
        lastDeliveredAt: w.lastDeliveredAt,
      }),
    );
    const sum = (key: 'delivered' | 'failed' | 'dropped' | 'queued'): number =>
      targets.reduce((total, t) => total + t[key], 0);
    return { targets, delivered: sum('delivered'), failed: sum('failed'), dropped: sum('dropped'), queued: sum('queued') };
  }

  /** Resolves when every queue is empty and nothing is in flight (tests, shutdown). */
  drain(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * Stops the workers: pending items and the attempt in flight (aborted) are counted as dropped.
   * Call drain() first to flush instead.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /** The body that would be sent, exported for tests and the README. */
  static payload(format: 'json', n: AlertNotification): JsonWebhookPayload;
  static payload(format: 'slack', n: AlertNotification): SlackWebhookPayload;
  static payload(format: 'json' | 'slack', n: AlertNotification): JsonWebhookPayload | SlackWebhookPayload;
  static payload(format: 'json' | 'slack', n: AlertNotification): JsonWebhookPayload | SlackWebhookPayload {
    return format === 'slack' ? { text: slackText(n) } : { event: EVENT_NAMES[n.event], alert: n.alert };
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.signalClosed();
    for (const worker of this.workers) {
      const pending = worker.queue.length;
      worker.queue = [];
      worker.dropped += pending;
      worker.inFlight?.abort();
      if (pending > 0) this.warn(worker, `closed with ${pending} pending notification(s), dropped`);
    }
    await Promise.all(this.workers.map((w) => w.loop));
  }

  private async run(worker: Worker): Promise<void> {
    // Start on a later tick: enqueue() returns before any work, and a burst is queued as one.
    await Promise.resolve();
    // close() empties the queue, so the loop also ends there.
    for (let next = worker.queue.shift(); next; next = worker.queue.shift()) {
      try {
        await this.deliver(worker, next);
      } catch (err) {
        // Not expected (deliver handles its errors), but a stuck loop would block drain() forever.
        this.fail(worker, next, errorText(err));
      }
    }
    worker.loop = null;
    if (this.idle()) for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private async deliver(worker: Worker, notification: AlertNotification): Promise<void> {
    const { target } = worker;
    let body: string;
    try {
      body = JSON.stringify(WebhookDispatcher.payload(target.format, notification));
    } catch (err) {
      this.fail(worker, notification, `cannot serialise the payload: ${errorText(err)}`);
      return;
    }

    for (let attempt = 0; ; attempt++) {
      const result = await this.attempt(worker, body);
      if (result.ok) {
        worker.delivered++;
        worker.lastDeliveredAt = new Date().toISOString();
        return;
      }
      if (this.closed) {
        worker.dropped++;
        return;
      }
      worker.lastError = this.redact(worker, clip(result.reason));
      if (result.permanent || attempt >= target.retries) {
        this.fail(worker, notification, result.reason, attempt + 1);
        return;
      }
      worker.retried++;
      try {
        await Promise.race([this.sleep(this.backoff(target.backoffMs, attempt)), this.closedSignal]);
      } catch {
        // A failing injected sleep only shortens the wait.
      }
      if (this.closed) {
        worker.dropped++;
        return;
      }
    }
  }

  private async attempt(worker: Worker, body: string): Promise<AttemptResult> {
    const { target } = worker;
    const controller = new AbortController();
    worker.inFlight = controller;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, target.timeoutMs);
    try {
      const response = await this.fetch(target.url, {
        method: 'POST',
        headers: worker.headers,
        body,
        signal: controller.signal,
      });
      // The body is not needed; cancelling it frees the connection for the next delivery.
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return { ok: true };
      const status = response.status;
      const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
      return { ok: false, permanent, reason: `HTTP ${status}` };
    } catch (err) {
      if (timedOut) return { ok: false, permanent: false, reason: `timeout after ${target.timeoutMs} ms` };
      return { ok: false, permanent: false, reason: errorText(err) };
    } finally {
      clearTimeout(timer);
      worker.inFlight = null;
    }
  }

  private backoff(baseMs: number, attempt: number): number {
    const jitter = 1 + (this.random() * 2 - 1) * JITTER;
    return Math.round(Math.min(baseMs * 2 ** attempt, MAX_BACKOFF_MS) * jitter);
  }

  private fail(worker: Worker, notification: AlertNotification, reason: string, attempts?: number): void {
    worker.failed++;
    worker.lastError = this.redact(worker, clip(reason));
    const tries = attempts === undefined ? '' : ` after ${attempts} attempt(s)`;
    this.safeLog('error', worker, `failed to deliver ${describe(notification)}${tries}: ${clip(reason)}`);
  }

  private warn(worker: Worker, message: string): void {
    this.safeLog('warn', worker, message);
  }

  /** A throwing logger must not break enqueue(), a worker loop or close(). */
  private safeLog(level: 'warn' | 'error', worker: Worker, message: string): void {
    try {
      this.log[level](this.redact(worker, `webhook ${worker.target.name} (${worker.label}): ${message}`));
    } catch {
      // Nowhere left to report it.
    }
  }

  /** Error text may quote the URL or a header back: the URL becomes the host label, headers ***. */
  private redact(worker: Worker, text: string): string {
    let out = text;
    for (const form of worker.urlSecrets) out = out.split(form).join(worker.label);
    return redactSecrets(out, worker.headerSecrets);
  }

  private idle(): boolean {
    return this.workers.every((w) => w.loop === null);
  }
}

function validateTarget(target: WebhookTarget): void {
  const name = target.name;
  if (!name) throw new Error('webhook target name must not be empty');
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    // The URL itself is not echoed: it may carry the token.
    throw new Error(`webhook target "${name}": url is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`webhook target "${name}": url must be http or https`);
  }
  if (url.username || url.password) {
    // fetch refuses such URLs on every attempt; credentials belong in headers.
    throw new Error(`webhook target "${name}": url must not contain credentials, use headers`);
  }
  if (target.format !== 'json' && target.format !== 'slack') {
    throw new Error(`webhook target "${name}": format must be 'json' or 'slack'`);
  }
  if (!(Number.isFinite(target.timeoutMs) && target.timeoutMs > 0)) {
    throw new Error(`webhook target "${name}": timeoutMs must be > 0`);
  }
  if (!(Number.isInteger(target.retries) && target.retries >= 0)) {
    throw new Error(`webhook target "${name}": retries must be an integer >= 0`);
  }
  if (!(Number.isFinite(target.backoffMs) && target.backoffMs >= 0)) {
    throw new Error(`webhook target "${name}": backoffMs must be >= 0`);
  }
  try {
    new Headers(target.headers);
  } catch {
    throw new Error(`webhook target "${name}": headers are not valid HTTP headers`);
  }
}

/** A URL whole and everything after its host, in the forms an error may quote it, longest first. */
function urlForms(raw: string): string[] {
  const url = new URL(raw);
  const candidates = [raw, url.href, `${url.pathname}${url.search}${url.hash}`, url.pathname, url.search];
  // '/' or a short query would blank out ordinary text; real tokens are longer.
  const forms = candidates.filter((s) => s.length >= 4);
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

function slackText(n: AlertNotification): string {
  const { alert } = n;
  const head =
    n.event === 'resolved'
      ? ':large_green_circle: RESOLVED'
      : n.event === 'repeat'
        ? ':repeat: STILL FIRING'
        : `${SEVERITY_ICONS[alert.severity] ?? ':white_circle:'} FIRING`;
  // One line: Slack reads newlines as line breaks, and the text is a notification preview.
  const oneLine = alert.message.replace(/\s+/g, ' ').trim();
  const message =
    oneLine.length > MAX_SLACK_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_SLACK_MESSAGE_LENGTH)}…` : oneLine;
  const numbers = [
    alert.value === null ? null : `value ${formatNumber(alert.value)}`,
    alert.limit === null ? null : `limit ${formatNumber(alert.limit)}`,
  ].filter((part) => part !== null);
  const suffix = numbers.length > 0 ? ` (${numbers.join(', ')})` : '';
  return slackEscape(`${head} [${alert.severity}] ${alert.rule} — ${alert.subject}: ${message}${suffix}`);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}

/** Slack treats <...> as links and mentions, so these three must be escaped in plain text. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** For log lines; tolerant of a malformed notification, whose failure it may be reporting. */
function describe(n: AlertNotification | undefined): string {
  return n ? `${EVENT_NAMES[n.event] ?? String(n.event)} for alert ${n.alert?.id ?? '?'}` : 'notification';
}

/** The target's headers, with its own content-type (any case) replaced: the body is always JSON. */
function jsonHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-type') out[name] = value;
  }
  out['content-type'] = 'application/json';
  return out;
}

function errorText(err: unknown): string {
  if (!isErrorLike(err)) return String(err);
  // fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED, ...) in the cause.
  const cause = 'cause' in err ? err.cause : undefined;
  if (!isErrorLike(cause)) return err.message;
  const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
  return `${err.message} (${code})`;
}

/** Not `instanceof Error`: fetch's errors come from another realm under test runners and vm contexts. */
function isErrorLike(value: unknown): value is { message: string } {
  return typeof value === 'object' && value !== null && 'message' in value && typeof value.message === 'string';
}

function clip(text: string): string {
  return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH)}…` : text;
}
