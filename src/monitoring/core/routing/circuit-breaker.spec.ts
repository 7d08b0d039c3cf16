import { CircuitBreaker, CircuitOptions, CircuitTransition } from './circuit-breaker';

const OPTIONS: CircuitOptions = { failureThreshold: 3, cooldownMs: 30_000, halfOpenProbes: 2, healthGraceMs: 300_000 };

function circuit(options: Partial<CircuitOptions> = {}) {
  const transitions: CircuitTransition[] = [];
  const breaker = new CircuitBreaker('alpha', { ...OPTIONS, ...options }, (t) => transitions.push(t));
  const moves = () => transitions.map((t) => `${t.previous}->${t.current}`);
  return { breaker, transitions, moves };
}

/** A call through the breaker at `now` that succeeds or fails. */
function call(breaker: CircuitBreaker, now: number, ok: boolean, force = false) {
  const kind = breaker.begin(now, force);
  if (ok) breaker.succeed(kind, now);
  else breaker.fail(kind, now, 'http_error');
  return kind;
}

describe('CircuitBreaker', () => {
  it('opens after failureThreshold failures in a row, and a success in between resets the count', () => {
    const { breaker, moves } = circuit();
    call(breaker, 0, false);
    call(breaker, 1, false);
    call(breaker, 2, true);
    call(breaker, 3, false);
    call(breaker, 4, false);
    expect(breaker.stateAt(5)).toBe('CLOSED');
    call(breaker, 5, false);
    expect(breaker.stateAt(5)).toBe('OPEN');
    expect(breaker.admits(5)).toBe(false);
    expect(breaker.view(5)).toMatchObject({ state: 'OPEN', halfOpenAt: 30_005, lastOpenReason: '3 calls in a row failed (last: http_error)', opened: 1 });
    expect(moves()).toEqual(['CLOSED->OPEN']);
  });

  it('refuses a call while open unless it is forced', () => {
    const { breaker } = circuit({ failureThreshold: 1 });
    call(breaker, 0, false);
    expect(() => breaker.begin(10)).toThrow('the circuit of alpha is OPEN');
    expect(breaker.begin(10, true)).toBe('forced');
  });

  it('goes half-open after the cool-down, lets halfOpenProbes calls through, and closes when they succeed', () => {
    const { breaker, moves } = circuit({ failureThreshold: 1 });
    call(breaker, 0, false);
    expect(breaker.stateAt(29_999)).toBe('OPEN');
    expect(breaker.stateAt(30_000)).toBe('HALF_OPEN');
    const first = breaker.begin(30_000);
    const second = breaker.begin(30_000);
    expect([first, second]).toEqual(['probe', 'probe']);
    // Two probes are out: a third request is not let through.
    expect(breaker.admits(30_000)).toBe(false);
    breaker.succeed(first, 30_100);
    expect(breaker.stateAt(30_100)).toBe('HALF_OPEN');
    breaker.succeed(second, 30_200);
    expect(breaker.stateAt(30_200)).toBe('CLOSED');
    expect(moves()).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->CLOSED']);
    expect(breaker.view(30_200)).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, since: 30_200 });
  });

  it('reopens at the first failed probe, with a fresh cool-down', () => {
    const { breaker, moves } = circuit({ failureThreshold: 1 });
    call(breaker, 0, false);
    call(breaker, 30_000, true);
    call(breaker, 31_000, false);
    expect(breaker.view(31_000)).toMatchObject({ state: 'OPEN', halfOpenAt: 61_000, lastOpenReason: 'a probe call failed (http_error)', opened: 2 });
    expect(breaker.stateAt(60_999)).toBe('OPEN');
    expect(breaker.stateAt(61_000)).toBe('HALF_OPEN');
    expect(moves()).toEqual(['CLOSED->OPEN', 'OPEN->HALF_OPEN', 'HALF_OPEN->OPEN', 'OPEN->HALF_OPEN']);
  });

  it('takes a forced call that works as the first good probe', () => {
    const { breaker } = circuit({ failureThreshold: 1 });
    call(breaker, 0, false);
    call(breaker, 1_000, true, true);
    expect(breaker.view(1_000)).toMatchObject({ state: 'HALF_OPEN', probeSuccesses: 1 });
    call(breaker, 1_100, true);
    expect(breaker.stateAt(1_100)).toBe('CLOSED');
  });

  it('waits a full cool-down again when a forced call fails, without counting a new opening', () => {
    const { breaker, moves } = circuit({ failureThreshold: 1 });
    call(breaker, 0, false);
    call(breaker, 20_000, false, true);
    expect(breaker.view(20_000)).toMatchObject({ state: 'OPEN', halfOpenAt: 50_000, opened: 1, consecutiveFailures: 2, lastOpenReason: '1 calls in a row failed (last: http_error)' });
    expect(moves()).toEqual(['CLOSED->OPEN']);
  });

  it('ignores late answers of calls that started while it was closed', () => {
    const { breaker } = circuit({ failureThreshold: 1 });
    const late = breaker.begin(0);
    call(breaker, 1, false);
    breaker.succeed(late, 2);
    breaker.fail(late, 3, 'timeout');
    expect(breaker.view(3)).toMatchObject({ state: 'OPEN', opened: 1, halfOpenAt: 30_001 });
  });

  it('opens on an UNHEALTHY health verdict, except within the grace period after probes closed it', () => {
    const { breaker } = circuit({ failureThreshold: 1 });
    breaker.healthVerdict(false, 0, 'healthy');
    expect(breaker.stateAt(0)).toBe('CLOSED');
    breaker.healthVerdict(true, 0, 'alpha is UNHEALTHY: error rate 40 %');
    expect(breaker.view(0)).toMatchObject({ state: 'OPEN', lastOpenReason: 'alpha is UNHEALTHY: error rate 40 %' });
    call(breaker, 30_000, true);
    call(breaker, 30_000, true);
    expect(breaker.stateAt(30_000)).toBe('CLOSED');
    // The window still holds the old failures: the verdict is ignored for a health window.
    breaker.healthVerdict(true, 329_999, 'still UNHEALTHY');
    expect(breaker.stateAt(329_999)).toBe('CLOSED');
    breaker.healthVerdict(true, 330_000, 'UNHEALTHY again');
    expect(breaker.stateAt(330_000)).toBe('OPEN');
  });
});
