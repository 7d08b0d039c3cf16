import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { HealthIssue, SystemHealth } from '../core/health-evaluator';
import { CapabilitySettings, MonitoringOptions, capabilityProblems } from '../core/monitoring-options';
import { CallKind, CircuitBreaker, CircuitTransition, CircuitView } from '../core/routing/circuit-breaker';
import { FailoverCount, FailoverKind, FailoverLog } from '../core/routing/failover-log';
import { Candidate, RoutePlan, RoutingStrategy, SkipReason, planRoute } from '../core/routing/route-planner';
import { CostService } from '../cost/cost.service';
import { HealthScorer } from '../health-scorer.service';
import { MONITORING_OPTIONS, MonitoringEvents } from '../monitoring.constants';
import { PerformanceMonitor } from '../performance-monitor.service';

/** How the router runs one provider call: PerformanceMonitor.track, or anything with its shape. */
export interface RouteTracker {
  track<T>(provider: string, fn: (signal: AbortSignal) => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
}

export interface RouteOptions {
  /** Passed to track: the call is aborted and counted as a timeout past it. */
  timeoutMs?: number;
  /** Defaults to the PerformanceMonitor, so every call is recorded. */
  tracker?: RouteTracker;
}

export interface RouteAttempt {
  provider: string;
  ok: boolean;
  /** How the circuit let it through: normally, as a half-open probe, or forced because every candidate was bad. */
  kind: CallKind;
  errorType?: string;
}

export interface RoutedResult<T> {
  value: T;
  provider: string;
  attempts: RouteAttempt[];
  /** True when no candidate could be called normally and the least bad one answered. */
  degraded: boolean;
  plan: RoutePlan;
}

/** Every provider tried failed (or none could be tried). `errors` holds what each threw, in order. */
export class RoutingFailedError extends Error {
  override name = 'RoutingFailedError';

  constructor(
    readonly capability: string,
    readonly attempts: RouteAttempt[],
    readonly errors: unknown[],
    readonly degraded: boolean,
  ) {
    super(`No provider for ${capability} answered (${attempts.map((a) => `${a.provider}: ${a.errorType ?? 'failed'}`).join(', ') || 'none could be tried'})`);
  }
}

/** Emitted as `monitoring.routing.failover` for each move from one provider to the next. */
export interface FailoverEvent {
  capability: string;
  from: string;
  to: string;
  kind: FailoverKind;
  /** The error type of the failed attempt, or why `from` was skipped. */
  reason: string;
  at: string;
}

/** Emitted as `monitoring.routing.circuit-changed`. */
export interface CircuitChangedEvent {
  provider: string;
  previous: CircuitView['state'];
  current: CircuitView['state'];
  reason: string;
  at: string;
}

export interface CapabilityView {
  capability: string;
  strategy: RoutingStrategy;
  /** As configured: the priority order. */
  providers: string[];
  /** The plan a request would get now. */
  plan: RoutePlan;
  /** Since start or reset: answered (degraded ones included), answered on a degraded path, failed, and answered "no such data" by every provider. */
  requests: { served: number; degraded: number; failed: number; noData: number };
}

/** A circuit as the API shows it: times as ISO strings. */
export interface CircuitReport extends Omit<CircuitView, 'since' | 'halfOpenAt'> {
  provider: string;
  since: string | null;
  halfOpenAt: string | null;
}

export interface FailoverView {
  windowMs: number | null;
  capabilities: CapabilityView[];
  circuits: CircuitReport[];
  failovers: FailoverCount[];
}

interface Signals {
  at: number;
  score: number | null;
  p95LatencyMs: number | null;
}

interface Capability extends Required<CapabilitySettings> {
  served: number;
  degraded: number;
  failed: number;
  noData: number;
}

/** Types of error that say nothing against the provider: it answered, it just had no such data. */
const NOT_A_FAILURE = new Set(['no_data']);

function errorTypeOf(error: unknown): string {
  const details = error as { type?: unknown; name?: unknown } | null;
  if (typeof details?.type === 'string') return details.type;
  return typeof details?.name === 'string' ? details.name : 'Error';
}

/**
 * Picks, per request, the order in which interchangeable providers of a capability are tried:
 * by a strategy (priority, fastest, cheapest, healthiest), leaving out providers whose circuit
 * is open or whose quota is spent, and trying the least bad one when none is left. Each
 * provider has a circuit (closed, open, half-open) fed by the calls it routes and by health
 * verdicts. Failovers are counted per provider pair and emitted as events.
 */
@Injectable()
export class ProviderRouter {
  private readonly logger = new Logger('Routing');
  private readonly capabilities = new Map<string, Capability>();
  private readonly circuits = new Map<string, CircuitBreaker>();
  private readonly signals = new Map<string, Signals>();
  private readonly failovers = new FailoverLog();

  constructor(
    private readonly monitor: PerformanceMonitor,
    private readonly scorer: HealthScorer,
    private readonly costs: CostService,
    private readonly events: EventEmitter2,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
  ) {
    for (const [name, settings] of Object.entries(options.routing.capabilities)) this.register(name, settings.providers, settings.strategy);
  }

  /** Declares (or redeclares) a capability's candidates, in priority order. Throws RangeError naming the problem. */
  register(capability: string, providers: readonly string[], strategy?: RoutingStrategy): void {
    const problems = capabilityProblems(capability, { providers: [...providers], strategy });
    if (problems.length > 0) throw new RangeError(`Invalid routing capability: ${problems.join('; ')}`);
    const previous = this.capabilities.get(capability);
    this.capabilities.set(capability, {
      providers: [...providers],
      strategy: strategy ?? this.options.routing.strategy,
      served: previous?.served ?? 0,
      degraded: previous?.degraded ?? 0,
      failed: previous?.failed ?? 0,
      noData: previous?.noData ?? 0,
    });
  }

  /** The order a request for `capability` would be tried in now. */
  plan(capability: string): RoutePlan {
    const c = this.capability(capability);
    const now = this.options.clock.now();
    const candidates = c.providers.map((provider, priority): Candidate => {
      const signals = this.signalsOf(provider, now);
      const circuit = this.circuit(provider);
      const view = circuit.view(now);
      return {
        provider,
        priority,
        score: signals.score,
        p95LatencyMs: signals.p95LatencyMs,
        nextCallMicros: c.strategy === 'cheapest' ? this.costs.nextCallMicros(provider) : null,
        circuit: view.state,
        consecutiveFailures: view.consecutiveFailures,
        circuitAdmits: circuit.admits(now),
        quotaBlock: this.costs.blockOf(provider),
      };
    });
    return planRoute(candidates, c.strategy);
  }

  /**
   * Runs `call` against the planned providers in turn until one answers. Each call goes through
   * the tracker (recorded by the monitor) and feeds the provider's circuit; an error of type
   * `no_data` moves on to the next provider without counting against the circuit.
   */
  async execute<T>(capability: string, call: (provider: string, signal: AbortSignal) => Promise<T>, options: RouteOptions = {}): Promise<RoutedResult<T>> {
    const c = this.capability(capability);
    const plan = this.plan(capability);
    const tracker = options.tracker ?? this.monitor;
    const clock = this.options.clock;
    const attempts: RouteAttempt[] = [];
    const errors: unknown[] = [];
    for (const provider of plan.attempts) {
      const circuit = this.circuit(provider);
      // Another request may have opened it while this one waited on an earlier provider.
      if (!plan.degraded && !circuit.admits(clock.now())) continue;
      const kind = circuit.begin(clock.now(), plan.degraded);
      try {
        const value = await tracker.track(provider, (signal) => call(provider, signal), { timeoutMs: options.timeoutMs });
        circuit.succeed(kind, clock.now());
        attempts.push({ provider, ok: true, kind });
        this.recordMoves(capability, plan, attempts, provider);
        c.served++;
        if (plan.degraded) c.degraded++;
        return { value, provider, attempts, degraded: plan.degraded, plan };
      } catch (error) {
        const errorType = errorTypeOf(error);
        if (NOT_A_FAILURE.has(errorType)) circuit.succeed(kind, clock.now());
        else circuit.fail(kind, clock.now(), errorType);
        attempts.push({ provider, ok: false, kind, errorType });
        errors.push(error);
      }
    }
    this.recordMoves(capability, plan, attempts, null);
    if (attempts.length > 0 && attempts.every((a) => NOT_A_FAILURE.has(a.errorType ?? ''))) c.noData++;
    else c.failed++;
    throw new RoutingFailedError(capability, attempts, errors, plan.degraded);
  }

  /** Capabilities with their current plans, every circuit, and failovers in the last `windowMs` (null: all time). */
  view(windowMs: number | null): FailoverView {
    const now = this.options.clock.now();
    const capabilities = [...this.capabilities].map(([capability, c]) => ({
      capability,
      strategy: c.strategy,
      providers: [...c.providers],
      plan: this.plan(capability),
      requests: { served: c.served, degraded: c.degraded, failed: c.failed, noData: c.noData },
    }));
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const circuits = [...this.circuitProviders()].map((provider): CircuitReport => {
      const view = this.circuit(provider).view(now);
      return { provider, ...view, since: iso(view.since), halfOpenAt: iso(view.halfOpenAt) };
    });
    return { windowMs, capabilities, circuits, failovers: this.failoverCounts(windowMs) };
  }

  /** Circuit of every provider some capability names: what alert rules read. */
  circuitStates(): { provider: string; view: CircuitView }[] {
    const now = this.options.clock.now();
    return [...this.circuitProviders()].map((provider) => ({ provider, view: this.circuit(provider).view(now) }));
  }

  /** Failovers per capability and provider pair in the last `windowMs` (null: all time), most first. */
  failoverCounts(windowMs: number | null): FailoverCount[] {
    return this.failovers.counts(this.options.clock.now(), windowMs);
  }

  /** Moves away from `provider` (after a failure or a skip) in the last `windowMs`. */
  failoversFrom(provider: string, windowMs: number): number {
    return this.failovers.awayFrom(provider, this.options.clock.now(), windowMs);
  }

  /** A health check's verdicts open the circuit of each UNHEALTHY provider (see CircuitBreaker.healthVerdict). */
  @OnEvent(MonitoringEvents.healthEvaluated)
  onHealthEvaluated(health: SystemHealth): void {
    const now = this.options.clock.now();
    for (const p of health.providers) {
      if (this.isCandidate(p.provider)) {
        this.circuit(p.provider).healthVerdict(p.status === 'UNHEALTHY', now, unhealthyReason(p.issues));
      }
    }
  }

  /** Forgets circuits, failover counts and request counts (with DELETE /metrics). */
  reset(): void {
    this.circuits.clear();
    this.signals.clear();
    this.failovers.reset();
    for (const c of this.capabilities.values()) c.served = c.degraded = c.failed = c.noData = 0;
  }

  private capability(name: string): Capability {
    const c = this.capabilities.get(name);
    if (!c) throw new RangeError(`Unknown routing capability "${name}" (known: ${[...this.capabilities.keys()].join(', ') || 'none'})`);
    return c;
  }

  private isCandidate(provider: string): boolean {
    for (const c of this.capabilities.values()) if (c.providers.includes(provider)) return true;
    return false;
  }

  private *circuitProviders(): Generator<string> {
    const seen = new Set<string>();
    for (const c of this.capabilities.values()) for (const p of c.providers) if (!seen.has(p)) yield (seen.add(p), p);
  }

  private circuit(provider: string): CircuitBreaker {
    let circuit = this.circuits.get(provider);
    if (!circuit) {
      const settings = { ...this.options.routing.circuit, healthGraceMs: this.options.windowMs };
      circuit = new CircuitBreaker(provider, settings, (t) => this.onTransition(t));
      this.circuits.set(provider, circuit);
    }
    return circuit;
  }

  /** Score and p95 reused for signalRefreshMs; judging health also lets an UNHEALTHY verdict open the circuit between ticks. */
  private signalsOf(provider: string, now: number): Signals {
    const cached = this.signals.get(provider);
    if (cached && now - cached.at < this.options.routing.signalRefreshMs) return cached;
    const health = this.scorer.getProviderHealth(provider);
    // Too few calls to judge (UNKNOWN): one lucky call must not outrank a provider with a record.
    const judged = health !== undefined && health.status !== 'UNKNOWN';
    const signals: Signals = { at: now, score: judged ? health.score : null, p95LatencyMs: judged ? health.p95LatencyMs : null };
    this.signals.set(provider, signals);
    if (health) this.circuit(provider).healthVerdict(health.status === 'UNHEALTHY', now, unhealthyReason(health.issues));
    return signals;
  }

  /**
   * One move per provider passed over on the way to the one that answered (or the last tried): a
   * provider that failed hands over "after failure", one left out of the plan "after skip".
   */
  private recordMoves(capability: string, plan: RoutePlan, attempts: readonly RouteAttempt[], servedBy: string | null): void {
    const now = this.options.clock.now();
    const skipped = new Map<string, SkipReason>(plan.skipped.map((s) => [s.provider, s.reason]));
    const tried = new Map(attempts.map((a) => [a.provider, a]));
    // A degraded plan tries every provider, least bad first: moves follow that order, not the strategy's.
    const order = plan.degraded ? plan.attempts : plan.ranked;
    // Up to the provider that answered, or the last one tried when none did.
    const last = servedBy ?? attempts.at(-1)?.provider;
    const end = last === undefined ? -1 : order.indexOf(last);
    for (let i = 0; i < end; i++) {
      const from = order[i];
      const attempt = tried.get(from);
      if (attempt && (attempt.ok || NOT_A_FAILURE.has(attempt.errorType ?? ''))) continue;
      const kind: FailoverKind = attempt ? 'failure' : 'skip';
      // Not in the plan's skipped list: its circuit closed to this request after the plan was made.
      const reason = attempt ? (attempt.errorType ?? 'Error') : (skipped.get(from) ?? 'circuit_open');
      const to = order[i + 1];
      this.failovers.record(capability, from, to, kind, now);
      const event: FailoverEvent = { capability, from, to, kind, reason, at: new Date(now).toISOString() };
      this.events.emit(MonitoringEvents.failover, event);
    }
  }

  private onTransition(t: CircuitTransition): void {
    const line = `Circuit of ${t.provider}: ${t.previous} -> ${t.current} (${t.reason})`;
    if (t.current === 'OPEN') this.logger.warn(line);
    else this.logger.log(line);
    const event: CircuitChangedEvent = { provider: t.provider, previous: t.previous, current: t.current, reason: t.reason, at: new Date(t.at).toISOString() };
    this.events.emit(MonitoringEvents.circuitChanged, event);
  }
}

/** The critical issues' types, once each: what made the verdict UNHEALTHY. */
function unhealthyReason(issues: readonly HealthIssue[]): string {
  const why = [...new Set(issues.filter((i) => i.severity === 'critical').map((i) => i.type))];
  return `health check: UNHEALTHY (${why.join(', ') || 'no single metric'})`;
}
