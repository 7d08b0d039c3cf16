import { ProviderCost } from '../cost/cost-calculator';
import { HealthStatus, ProviderHealth, SystemHealth } from '../health-evaluator';
import { WindowSnapshot } from '../sliding-windows';
import { AlertEngine, AlertEngineOptions, AlertInputs } from './alert-engine';
import { AlertRule, DEFAULT_ALERT_RULES, ruleProblems } from './alert-rules';

const T0 = Date.UTC(2026, 0, 1);
const OPTIONS: AlertEngineOptions = { breachesToFire: 2, clearsToResolve: 2, resendIntervalMs: null, historyLimit: 10 };
const UNHEALTHY_RULE: AlertRule = { id: 'down', kind: 'provider_status', status: 'UNHEALTHY', severity: 'critical' };

function health(statuses: Record<string, HealthStatus>, system: HealthStatus = 'HEALTHY'): SystemHealth {
  const providers = Object.entries(statuses).map(
    ([provider, status]) => ({ provider, status, score: 50, issues: [{ type: 'high_error_rate', recommendation: `${provider} errors are high.` }] }) as unknown as ProviderHealth,
  );
  return {
    status: system,
    providers,
    unhealthyProviders: providers.filter((p) => p.status === 'UNHEALTHY').map((p) => p.provider),
    degradedProviders: [],
  } as unknown as SystemHealth;
}

function window(calls: number, errorRate: number): WindowSnapshot {
  return { calls, errorRate, timeoutRate: 0, p95LatencyMs: 100, windowMs: 300_000 } as WindowSnapshot;
}

function inputs(nowMs: number, h: SystemHealth, windows: Record<string, WindowSnapshot> = {}, cacheLevels: AlertInputs['cacheLevels'] = {}): AlertInputs {
  return { nowMs, health: h, window: (_provider, name) => windows[name], cacheLevels };
}

describe('AlertEngine hysteresis', () => {
  it('never fires while breach and clear alternate', () => {
    const engine = new AlertEngine(OPTIONS);
    for (let i = 0; i < 20; i++) {
      const status = i % 2 === 0 ? 'UNHEALTHY' : 'HEALTHY';
      expect(engine.evaluate([UNHEALTHY_RULE], inputs(T0 + i * 1_000, health({ p: status })))).toEqual([]);
    }
    expect(engine.active()).toEqual([]);
  });

  it('fires once after N breaches, stays quiet while firing, resolves once after M clears', () => {
    const engine = new AlertEngine(OPTIONS);
    const run = (i: number, status: HealthStatus) => engine.evaluate([UNHEALTHY_RULE], inputs(T0 + i * 1_000, health({ p: status })));
    expect(run(0, 'UNHEALTHY')).toEqual([]);
    const fired = run(1, 'UNHEALTHY');
    expect(fired).toEqual([
      {
        event: 'fired',
        alert: expect.objectContaining({ rule: 'down', provider: 'p', subject: 'p', severity: 'critical', state: 'firing', startedAt: new Date(T0 + 1_000).toISOString(), resolvedAt: null }),
      },
    ]);
    expect(fired[0].alert.message).toContain('p is UNHEALTHY. p errors are high.');
    for (let i = 2; i < 10; i++) expect(run(i, 'UNHEALTHY')).toEqual([]);
    expect(engine.active()).toHaveLength(1);
    expect(run(10, 'HEALTHY')).toEqual([]);
    expect(run(11, 'UNHEALTHY')).toEqual([]); // a breach resets the clear count
    expect(run(12, 'HEALTHY')).toEqual([]);
    const resolved = run(13, 'HEALTHY');
    expect(resolved).toEqual([{ event: 'resolved', alert: expect.objectContaining({ id: fired[0].alert.id, state: 'resolved', resolvedAt: new Date(T0 + 13_000).toISOString() }) }]);
    expect(resolved[0].alert.message).toBe('Resolved: p is HEALTHY (score 50).');
    expect(run(14, 'HEALTHY')).toEqual([]);
    expect(engine.active()).toEqual([]);
    expect(engine.history()).toEqual([expect.objectContaining({ id: fired[0].alert.id, state: 'resolved' })]);
  });

  it('repeats a long-lived alert at the resend interval', () => {
    const engine = new AlertEngine({ ...OPTIONS, breachesToFire: 1, resendIntervalMs: 60_000 });
    const events = Array.from({ length: 7 }, (_, i) => engine.evaluate([UNHEALTHY_RULE], inputs(T0 + i * 30_000, health({ p: 'UNHEALTHY' }))));
    expect(events.map((e) => e.map((n) => n.event))).toEqual([['fired'], [], ['repeat'], [], ['repeat'], [], ['repeat']]);
  });

  it('holds its state while a provider has too few calls to judge', () => {
    const engine = new AlertEngine(OPTIONS);
    const run = (i: number, status: HealthStatus) => engine.evaluate([UNHEALTHY_RULE], inputs(T0 + i, health({ p: status })));
    run(0, 'UNHEALTHY');
    expect(run(1, 'UNHEALTHY')).toHaveLength(1);
    for (let i = 2; i < 6; i++) expect(run(i, 'UNKNOWN')).toEqual([]);
    expect(engine.active()).toHaveLength(1);
    run(6, 'HEALTHY');
    const [resolved] = run(7, 'HEALTHY');
    expect(resolved.alert.message).toBe('Resolved: p is HEALTHY (score 50).');
  });

  it('resolves the alert of a provider that disappeared', () => {
    const engine = new AlertEngine({ ...OPTIONS, breachesToFire: 1 });
    engine.evaluate([UNHEALTHY_RULE], inputs(T0, health({ p: 'UNHEALTHY' })));
    expect(engine.evaluate([UNHEALTHY_RULE], inputs(T0 + 1, health({})))).toEqual([]);
    expect(engine.evaluate([UNHEALTHY_RULE], inputs(T0 + 2, health({})))).toEqual([{ event: 'resolved', alert: expect.objectContaining({ provider: 'p' }) }]);
  });

  it('keeps history bounded', () => {
    const engine = new AlertEngine({ ...OPTIONS, breachesToFire: 1, clearsToResolve: 1, historyLimit: 3 });
    for (let i = 0; i < 10; i++) {
      engine.evaluate([UNHEALTHY_RULE], inputs(T0 + i * 2, health({ p: 'UNHEALTHY' })));
      engine.evaluate([UNHEALTHY_RULE], inputs(T0 + i * 2 + 1, health({ p: 'HEALTHY' })));
    }
    expect(engine.history()).toHaveLength(3);
    expect(engine.history()[0].startedAt).toBe(new Date(T0 + 18).toISOString());
  });
});

describe('AlertEngine rules', () => {
  it('fires a window error-rate rule above its limit, quoting the numbers', () => {
    const engine = new AlertEngine({ ...OPTIONS, breachesToFire: 1 });
    const rule: AlertRule = { id: 'errors', kind: 'error_rate', limit: 0.1, window: '1m', severity: 'warning', minCalls: 5 };
    expect(engine.evaluate([rule], inputs(T0, health({ p: 'HEALTHY' }), { '1m': window(20, 0.1) }))).toEqual([]);
    const [n] = engine.evaluate([rule], inputs(T0 + 1, health({ p: 'HEALTHY' }), { '1m': window(20, 0.15) }));
    expect(n.alert).toMatchObject({ value: 0.15, limit: 0.1, severity: 'warning' });
    expect(n.alert.message).toContain('error rate 15.0 %');
  });

  it('fires a cache hit-rate rule on the lookups since the last evaluation', () => {
    const engine = new AlertEngine({ ...OPTIONS, breachesToFire: 1 });
    const rule: AlertRule = { id: 'cache', kind: 'cache_hit_rate', level: 'L1', limit: 0.5, severity: 'info', minCalls: 10 };
    const h = health({});
    expect(engine.evaluate([rule], inputs(T0, h, {}, { L1: { hits: 900, misses: 100 } }))).toHaveLength(0); // 90 %
    // The next 100 lookups hit only 20 %: the all-time rate (83 %) would hide it.
    const [n] = engine.evaluate([rule], inputs(T0 + 1, h, {}, { L1: { hits: 920, misses: 180 } }));
    expect(n.alert).toMatchObject({ subject: 'cache:L1', provider: null, value: 0.2 });
  });

  it('fires a system status rule naming the unhealthy providers', () => {
    const engine = new AlertEngine({ ...OPTIONS, breachesToFire: 1 });
    const rule: AlertRule = { id: 'sys', kind: 'system_status', status: 'UNHEALTHY', severity: 'critical' };
    const [n] = engine.evaluate([rule], inputs(T0, health({ a: 'UNHEALTHY', b: 'UNHEALTHY' }, 'UNHEALTHY')));
    expect(n.alert).toMatchObject({ subject: 'system', severity: 'critical' });
    expect(n.alert.message).toContain('unhealthy: a, b');
  });
});

describe('SLO burn rate', () => {
  // Worked example: a 99.9 % SLO has a 0.1 % budget. An error rate of 1.5 % burns it 15x too
  // fast, over the 14.4x page threshold; 1.44 % is exactly 14.4x and does not page.
  const rule: AlertRule = { id: 'slo', kind: 'slo_burn_rate', target: 0.999, severity: 'critical', minCalls: 10 };
  const engine = () => new AlertEngine({ ...OPTIONS, breachesToFire: 1 });
  const quiet = window(1_000, 0);

  it('pages when both the 1 h and the 5 m burn rate exceed 14.4', () => {
    const [n] = engine().evaluate([rule], inputs(T0, health({ p: 'DEGRADED' }), { '1h': window(1_000, 0.015), '5m': window(100, 0.02), '6h': quiet, '30m': quiet, '1d': quiet, '2h': quiet }));
    expect(n.alert).toMatchObject({ rule: 'slo:page', severity: 'critical', limit: 14.4 });
    expect(n.alert.value).toBeCloseTo(15, 6);
    expect(n.alert.message).toMatch(/burning 15\.0x too fast over 1h \(20\.0x over 5m; alert above 14\.4x\)\. At this rate a 30-day budget lasts 2\.0 days/);
  });

  it('does not page at exactly 14.4, nor when only the long window burns', () => {
    expect(engine().evaluate([rule], inputs(T0, health({ p: 'DEGRADED' }), { '1h': window(1_000, 0.0144), '5m': window(100, 0.0144), '6h': quiet, '30m': quiet, '1d': quiet, '2h': quiet }))).toEqual([]);
    expect(engine().evaluate([rule], inputs(T0, health({ p: 'DEGRADED' }), { '1h': window(1_000, 0.05), '5m': window(100, 0), '6h': quiet, '30m': quiet, '1d': quiet, '2h': quiet }))).toEqual([]);
  });

  it('pages on 6 h and 30 m above 6; opens a ticket on 1 d and 2 h above 3 only while it does not page', () => {
    const slowBurn = { '1h': quiet, '5m': quiet, '6h': window(5_000, 0.007), '30m': window(500, 0.008), '1d': window(20_000, 0.004), '2h': window(2_000, 0.005) };
    const events = engine().evaluate([rule], inputs(T0, health({ p: 'DEGRADED' }), slowBurn));
    expect(events.map((e) => [e.alert.rule, e.alert.severity, e.alert.limit])).toEqual([['slo:page', 'critical', 6]]);
    const ticketOnly = { ...slowBurn, '6h': window(5_000, 0.004), '30m': window(500, 0.004) };
    const tickets = engine().evaluate([rule], inputs(T0, health({ p: 'DEGRADED' }), ticketOnly));
    expect(tickets.map((e) => [e.alert.rule, e.alert.severity, e.alert.limit])).toEqual([['slo:ticket', 'warning', 3]]);
  });

  it('does not judge a short window with fewer than minCalls calls', () => {
    expect(engine().evaluate([rule], inputs(T0, health({ p: 'DEGRADED' }), { '1h': window(5, 1), '5m': window(5, 1) }))).toEqual([]);
  });
});

describe('ruleProblems', () => {
  it('accepts the default rules', () => {
    expect(ruleProblems(DEFAULT_ALERT_RULES)).toEqual([]);
  });

  it('names each broken field and its rule', () => {
    const rules = [
      { id: 'a', kind: 'error_rate', limit: 1.5, severity: 'warning' },
      { id: 'a', kind: 'provider_status', severity: 'loud' },
      { id: 'c', kind: 'cache_hit_rate', limit: 0.5, severity: 'info' },
      { id: 'd', kind: 'slo_burn_rate', target: 1, severity: 'critical', window: '2m' },
    ] as unknown as AlertRule[];
    expect(ruleProblems(rules)).toEqual([
      'rules[0].limit must be a number from 0 to 1 for error_rate',
      'rules[1].id "a" is used twice',
      'rules[1].severity must be one of info, warning, critical',
      'rules[1].status must be DEGRADED or UNHEALTHY',
      'rules[2].level must name a cache level, e.g. L1',
      'rules[3].window must be one of 1m, 5m, 15m, 1h',
      'rules[3].window does not apply to slo_burn_rate rules',
      'rules[3].target must be a number from 0.5 to 0.99999 for slo_burn_rate',
    ]);
  });

  it('refuses fields a kind does not read, empty or repeated provider lists, and too many rules', () => {
    const rules = [
      { id: 'a', kind: 'error_rate', limit: 0.1, severity: 'warning', status: 'DEGRADED' },
      { id: 'b', kind: 'system_status', status: 'UNHEALTHY', severity: 'critical', providers: ['x'] },
      { id: 'c', kind: 'provider_status', status: 'UNHEALTHY', severity: 'critical', providers: [] },
      { id: 'd', kind: 'provider_status', status: 'UNHEALTHY', severity: 'critical', providers: ['x', 'x'] },
    ] as unknown as AlertRule[];
    expect(ruleProblems(rules)).toEqual([
      'rules[0].status does not apply to error_rate rules',
      'rules[1].providers does not apply to system_status rules',
      'rules[2].providers must be a non-empty list of distinct provider names (leave it out for every provider)',
      'rules[3].providers must be a non-empty list of distinct provider names (leave it out for every provider)',
    ]);
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `r${i}`, kind: 'system_status', status: 'UNHEALTHY', severity: 'info' })) as AlertRule[];
    expect(ruleProblems(many)).toEqual(['rules must hold at most 100 rules (got 101)']);
  });
});

describe('AlertEngine routing and cost rules', () => {
  const engine = () => new AlertEngine({ ...OPTIONS, breachesToFire: 1, clearsToResolve: 1 });
  const quota = (provider: string, freeUsed: number, perMinuteUsed: number) =>
    ({
      provider,
      priced: true,
      currency: 'USD',
      quota: { freeCalls: { per: 'day', limit: 100, used: freeUsed, remaining: Math.max(0, 100 - freeUsed) }, perMinute: { limit: 60, used: perMinuteUsed, remaining: 60 - perMinuteUsed }, perDay: null },
      costMicros: 0,
      projectedCostMicros: 0,
    }) as unknown as ProviderCost;

  it('fires circuit_open while a circuit is open or half-open, and resolves once it closes', () => {
    const e = engine();
    const rule: AlertRule = { id: 'cb', kind: 'circuit_open', severity: 'warning' };
    const at = (state: 'OPEN' | 'HALF_OPEN' | 'CLOSED') => ({ ...inputs(T0, health({})), circuits: [{ provider: 'a', state, reason: '5 calls in a row failed (last: timeout)', halfOpenAt: T0 + 30_000 }] });
    const fired = e.evaluate([rule], at('OPEN'));
    expect(fired.map((n) => [n.event, n.alert.subject])).toEqual([['fired', 'a']]);
    expect(fired[0].alert.message).toBe(
      'a: circuit OPEN (5 calls in a row failed (last: timeout)); its requests go to the next provider. Probe calls go through from 2026-01-01T00:00:30.000Z. ' +
        'Check its last error and status page; the circuit closes by itself when the probes succeed.',
    );
    expect(e.evaluate([rule], at('HALF_OPEN'))).toEqual([]);
    expect(e.evaluate([rule], at('CLOSED')).map((n) => n.event)).toEqual(['resolved']);
  });

  it('fires failovers above the limit over the rule’s window', () => {
    const asked: number[] = [];
    const rule: AlertRule = { id: 'fo', kind: 'failovers', limit: 10, window: '15m', severity: 'info' };
    const run = (moves: number) =>
      engine().evaluate([rule], {
        ...inputs(T0, health({})),
        circuits: [{ provider: 'a', state: 'CLOSED', reason: null, halfOpenAt: null }],
        failoversFrom: (_p, windowMs) => (asked.push(windowMs), moves),
      });
    expect(run(10)).toEqual([]);
    expect(run(11).map((n) => [n.alert.value, n.alert.limit])).toEqual([[11, 10]]);
    expect(asked).toEqual([900_000, 900_000]);
  });

  it('fires quota_usage at or above the limit on the most used quota, naming it', () => {
    const rule: AlertRule = { id: 'q80', kind: 'quota_usage', limit: 0.8, severity: 'warning' };
    const run = (costs: ProviderCost[]) => engine().evaluate([rule], { ...inputs(T0, health({})), costs: () => costs });
    expect(run([quota('a', 79, 10)])).toEqual([]);
    const fired = run([quota('a', 20, 48), quota('b', 100, 0)]);
    expect(fired.map((n) => [n.alert.subject, n.alert.value])).toEqual([
      ['a', 0.8],
      ['b', 1],
    ]);
    expect(fired[0].alert.message).toMatch(/^a: 48 of 60 rate limit per minute used \(80\.0 %\)/);
    expect(fired[1].alert.message).toMatch(/^b: 100 of 100 free calls used \(100\.0 %\)/);
  });

  it('fires cost_budget when the projected cost in its currency passes the budget', () => {
    const rule: AlertRule = { id: 'budget', kind: 'cost_budget', budget: '50', currency: 'USD', period: 'month', severity: 'critical' };
    const periods: string[] = [];
    const cost = (currency: string, spent: number, projected: number) => ({ currency, costMicros: spent, projectedCostMicros: projected }) as ProviderCost;
    const run = (costs: ProviderCost[]) => engine().evaluate([rule], { ...inputs(T0, health({})), costs: (period) => (periods.push(period), costs) });
    expect(run([cost('USD', 10_000_000, 30_000_000), cost('EUR', 0, 900_000_000), cost('USD', 0, 20_000_000)])).toEqual([]);
    const fired = run([cost('USD', 12_500_000, 30_000_000), cost('USD', 0, 20_000_001)]);
    expect(fired.map((n) => [n.alert.subject, n.alert.provider, n.alert.value, n.alert.limit])).toEqual([['budget:USD:month', null, 50.000001, 50]]);
    expect(fired[0].alert.message).toBe(
      'Provider costs this month are projected at 50.000001 USD, above the 50.00 USD budget (12.50 USD spent so far). ' +
        'See GET /api/monitoring/costs: raise cache TTLs for the costly providers, or route with the cheapest strategy.',
    );
    expect(periods).toEqual(['month', 'month']);
  });

  it('checks the new rules’ fields', () => {
    const rules = [
      { id: 'a', kind: 'failovers', limit: 2.5, severity: 'info' },
      { id: 'b', kind: 'quota_usage', limit: 0, severity: 'info' },
      { id: 'c', kind: 'cost_budget', budget: '-5', currency: 'usd', period: 'week', severity: 'info' },
      { id: 'd', kind: 'circuit_open', severity: 'info', limit: 3 },
    ] as unknown as AlertRule[];
    expect(ruleProblems(rules)).toEqual([
      'rules[0].limit must be an integer from 0 to 1000000 for failovers (moves in the window)',
      'rules[1].limit must be a number from 0.01 to 1 for quota_usage',
      'rules[2].budget must be an amount above 0 with at most 6 decimals, e.g. "50" or "12.5"',
      'rules[2].currency must be a 3-letter ISO 4217 code in capitals, e.g. USD',
      'rules[2].period must be one of day, month',
      'rules[3].limit does not apply to circuit_open rules',
    ]);
  });
});
