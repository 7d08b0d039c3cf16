export const CIRCUIT_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export interface CircuitOptions {
  /** Failures in a row (of calls made through the router) that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before it lets probes through. */
  cooldownMs: number;
  /** Probe calls let through when half-open; this many successes close the circuit, any failure reopens it. */
  halfOpenProbes: number;
  /**
   * After probes close a circuit, a health verdict of UNHEALTHY is ignored for this long: the
   * window it was judged on still holds the failures from before the recovery. The failure
   * count still guards the circuit meanwhile.
   */
  healthGraceMs: number;
}

/** How a call got through: `normal` (closed), `probe` (half-open), `forced` (open, but every candidate was bad). */
export type CallKind = 'normal' | 'probe' | 'forced';

export interface CircuitTransition {
  provider: string;
  previous: CircuitState;
  current: CircuitState;
  reason: string;
  at: number;
}

export interface CircuitView {
  state: CircuitState;
  /** When it entered this state (epoch ms), or null while it has never left CLOSED. */
  since: number | null;
  /** While OPEN: when probes will be let through. */
  halfOpenAt: number | null;
  /** Failures in a row of calls routed to it, in any state; a success resets it. */
  consecutiveFailures: number;
  probesInFlight: number;
  probeSuccesses: number;
  /** Why it last opened. */
  lastOpenReason: string | null;
  opened: number;
}

/**
 * One provider's circuit: CLOSED lets every call through; OPEN refuses them for a cool-down;
 * then HALF_OPEN lets `halfOpenProbes` calls through and closes when they all succeed, or
 * opens again at the first failure. Pure and clock-driven: the caller passes the time.
 */
export class CircuitBreaker {
  private state: CircuitState = 'CLOSED';
  private since: number | null = null;
  private halfOpenAt = 0;
  private closedAt = -Infinity;
  private failures = 0;
  private probesInFlight = 0;
  private probeSuccesses = 0;
  private lastOpenReason: string | null = null;
  private opened = 0;

  constructor(
    readonly provider: string,
    private readonly options: CircuitOptions,
    private readonly onTransition: (t: CircuitTransition) => void = () => undefined,
  ) {}

  /** The state now: an OPEN circuit whose cool-down is over reads as HALF_OPEN. */
  stateAt(nowMs: number): CircuitState {
    if (this.state === 'OPEN' && nowMs >= this.halfOpenAt) this.move('HALF_OPEN', nowMs, 'cool-down over: probing');
    return this.state;
  }

  /** Whether a call may go through now without being forced. */
  admits(nowMs: number): boolean {
    switch (this.stateAt(nowMs)) {
      case 'CLOSED':
        return true;
      case 'HALF_OPEN':
        return this.probesInFlight + this.probeSuccesses < this.options.halfOpenProbes;
      case 'OPEN':
        return false;
    }
  }

  /** Registers a call about to start; `force` lets it through a circuit that would refuse it. */
  begin(nowMs: number, force = false): CallKind {
    const state = this.stateAt(nowMs);
    if (state === 'CLOSED') return 'normal';
    if (state === 'HALF_OPEN' && this.admits(nowMs)) {
      this.probesInFlight++;
      return 'probe';
    }
    if (!force) throw new RangeError(`the circuit of ${this.provider} is ${state}: check admits() first`);
    return 'forced';
  }

  succeed(kind: CallKind, nowMs: number): void {
    if (kind === 'probe') this.probesInFlight = Math.max(0, this.probesInFlight - 1);
    this.failures = 0;
    if (this.state === 'CLOSED') return;
    // A forced call that works is as good a sign as a probe: the provider may be back.
    if (this.state === 'OPEN' && kind === 'forced') this.move('HALF_OPEN', nowMs, 'a forced call succeeded: probing');
    if (this.state !== 'HALF_OPEN' || kind === 'normal') return;
    this.probeSuccesses++;
    if (this.probeSuccesses >= this.options.halfOpenProbes) {
      this.closedAt = nowMs;
      this.move('CLOSED', nowMs, `${this.probeSuccesses} probe calls succeeded`);
    }
  }

  fail(kind: CallKind, nowMs: number, errorType: string): void {
    if (kind === 'probe') this.probesInFlight = Math.max(0, this.probesInFlight - 1);
    // The streak counts in every state: it tells how bad an open provider still is.
    this.failures++;
    if (this.state === 'CLOSED') {
      if (kind === 'normal' && this.failures >= this.options.failureThreshold) this.open(nowMs, `${this.failures} calls in a row failed (last: ${errorType})`);
      return;
    }
    // A late failure of a call let through while closed says nothing about the probes.
    if (kind === 'normal') return;
    if (this.state === 'OPEN') {
      // A forced call failed: still down. Wait a full cool-down again before probing, without calling it a new opening.
      this.halfOpenAt = nowMs + this.options.cooldownMs;
      return;
    }
    this.open(nowMs, `a probe call failed (${errorType})`);
  }

  /** A health check found the provider UNHEALTHY: open, unless probes closed it within the grace period. */
  healthVerdict(unhealthy: boolean, nowMs: number, reason: string): void {
    if (!unhealthy || this.state !== 'CLOSED') return;
    if (nowMs - this.closedAt < this.options.healthGraceMs) return;
    this.open(nowMs, reason);
  }

  view(nowMs: number): CircuitView {
    const state = this.stateAt(nowMs);
    return {
      state,
      since: this.since,
      halfOpenAt: state === 'OPEN' ? this.halfOpenAt : null,
      consecutiveFailures: this.failures,
      probesInFlight: this.probesInFlight,
      probeSuccesses: this.probeSuccesses,
      lastOpenReason: this.lastOpenReason,
      opened: this.opened,
    };
  }

  private open(nowMs: number, reason: string): void {
    this.halfOpenAt = nowMs + this.options.cooldownMs;
    this.lastOpenReason = reason;
    this.opened++;
    this.move('OPEN', nowMs, reason);
  }

  private move(next: CircuitState, nowMs: number, reason: string): void {
    const previous = this.state;
    this.state = next;
    this.since = nowMs;
    this.probeSuccesses = 0;
    // Probes still running when it reopens are forgotten; their answers are ignored while it is open.
    if (next !== 'HALF_OPEN') this.probesInFlight = 0;
    if (previous !== next) this.onTransition({ provider: this.provider, previous, current: next, reason, at: nowMs });
  }
}
