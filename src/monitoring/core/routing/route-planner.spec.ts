import { Candidate, planRoute, rank } from './route-planner';

const candidate = (provider: string, priority: number, c: Partial<Candidate> = {}): Candidate => ({
  provider,
  priority,
  score: 90,
  p95LatencyMs: 100,
  nextCallMicros: 1_000,
  circuit: 'CLOSED',
  consecutiveFailures: 0,
  circuitAdmits: true,
  quotaBlock: null,
  ...c,
});

const names = (cs: Candidate[]) => cs.map((c) => c.provider);

describe('route strategies', () => {
  const a = candidate('a', 0, { score: 70, p95LatencyMs: 300, nextCallMicros: 2_000 });
  const b = candidate('b', 1, { score: 95, p95LatencyMs: 80, nextCallMicros: null });
  const c = candidate('c', 2, { score: null, p95LatencyMs: null, nextCallMicros: 0 });
  const d = candidate('d', 3, { score: 95, p95LatencyMs: 80, nextCallMicros: 2_000 });

  it('priority keeps the configured order', () => {
    expect(names(rank([d, c, b, a], 'priority'))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('fastest goes by window p95, providers without data last, ties by priority', () => {
    expect(names(rank([a, b, c, d], 'fastest'))).toEqual(['b', 'd', 'a', 'c']);
  });

  it('cheapest goes by the next call’s price, free calls first, unpriced providers last', () => {
    expect(names(rank([a, b, c, d], 'cheapest'))).toEqual(['c', 'a', 'd', 'b']);
  });

  it('healthiest goes by score, providers without one last', () => {
    expect(names(rank([a, b, c, d], 'healthiest'))).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('planRoute', () => {
  it('skips open circuits, busy probes and spent quotas, and keeps the rest in order', () => {
    const plan = planRoute(
      [
        candidate('a', 0, { circuit: 'OPEN', circuitAdmits: false }),
        candidate('b', 1, { circuit: 'HALF_OPEN', circuitAdmits: false }),
        candidate('c', 2, { quotaBlock: 'rate_limit_per_minute' }),
        candidate('d', 3, { circuit: 'HALF_OPEN', circuitAdmits: true }),
        candidate('e', 4),
      ],
      'priority',
    );
    expect(plan).toEqual({
      strategy: 'priority',
      ranked: ['a', 'b', 'c', 'd', 'e'],
      attempts: ['d', 'e'],
      skipped: [
        { provider: 'a', reason: 'circuit_open' },
        { provider: 'b', reason: 'probes_busy' },
        { provider: 'c', reason: 'rate_limit_per_minute' },
      ],
      degraded: false,
    });
  });

  it('tries every candidate when every one is skipped, least bad first: a spent quota before busy probes before an open circuit', () => {
    const open = candidate('open', 0, { circuit: 'OPEN', circuitAdmits: false, score: 99 });
    const busy = candidate('busy', 1, { circuit: 'HALF_OPEN', circuitAdmits: false });
    const spent = candidate('spent', 2, { quotaBlock: 'free_quota_spent', score: 10 });
    expect(planRoute([open, busy, spent], 'priority')).toEqual({
      strategy: 'priority',
      ranked: ['open', 'busy', 'spent'],
      attempts: ['spent', 'busy', 'open'],
      skipped: [
        { provider: 'spent', reason: 'free_quota_spent' },
        { provider: 'busy', reason: 'probes_busy' },
        { provider: 'open', reason: 'circuit_open' },
      ],
      degraded: true,
    });
  });

  it('among equally bad candidates puts a provider failing right now last, whatever its score, then goes by score and order', () => {
    const failingNow = candidate('failing-now', 0, { circuit: 'OPEN', circuitAdmits: false, score: 90, consecutiveFailures: 12 });
    const b = candidate('b', 1, { circuit: 'OPEN', circuitAdmits: false, score: 40 });
    const c = candidate('c', 2, { circuit: 'OPEN', circuitAdmits: false, score: 40 });
    const d = candidate('d', 3, { circuit: 'OPEN', circuitAdmits: false, score: null });
    expect(planRoute([failingNow, b, c, d], 'priority').attempts).toEqual(['b', 'c', 'd', 'failing-now']);
  });

  it('plans nothing for no candidates', () => {
    expect(planRoute([], 'fastest')).toEqual({ strategy: 'fastest', ranked: [], attempts: [], skipped: [], degraded: false });
  });
});
