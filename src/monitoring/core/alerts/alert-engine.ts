import { BillingPeriod } from '../cost/billing-period';
import { ProviderCost } from '../cost/cost-calculator';
import { formatMoney, parseMoney } from '../cost/money';
import { HealthStatus, ProviderHealth, SystemHealth } from '../health-evaluator';
import { budgetMessage, burnRateMessage, circuitMessage, failoverMessage, quotaMessage, recommendation, systemAlertMessage } from '../monitoring.messages';
import { CircuitState } from '../routing/circuit-breaker';
import { WindowSnapshot } from '../sliding-windows';
import { AlertRule } from './alert-rules';
import { AlertNotification, AlertRecord, AlertSeverity } from './alert.types';

export interface AlertEngineOptions {
  /** Consecutive breaching evaluations before an alert fires. */
  breachesToFire: number;
  /** Consecutive clear evaluations before a firing alert resolves. */
  clearsToResolve: number;
  /** Re-send a still-firing alert this often; null never re-sends. */
  resendIntervalMs: number | null;
  /** Resolved alerts kept for the API. */
  historyLimit: number;
}

/** What one evaluation looks at. */
export interface AlertInputs {
  nowMs: number;
  health: SystemHealth;
  /** A provider's window by name (1m, 5m, 15m, 1h, 30m, 2h, 6h, 1d), or undefined. */
  window(provider: string, name: string): WindowSnapshot | undefined;
  /** All-time cache counts per level; the engine compares them with the last evaluation. */
  cacheLevels: Record<string, { hits: number; misses: number }>;
  /** Circuits of the providers a router sends traffic to; none without routing. */
  circuits?: readonly { provider: string; state: CircuitState; reason: string | null; halfOpenAt: number | null }[];
  /** Requests moved away from a provider in the last `windowMs`. */
  failoversFrom?(provider: string, windowMs: number): number;
  /** Every provider's cost in a period; none without pricing. */
  costs?(period: BillingPeriod): readonly ProviderCost[];
}

const RULE_WINDOW_MS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000 };

interface Verdict {
  /** null: not enough data to say either way, so the alert keeps its state. */
  breached: boolean | null;
  value: number | null;
  limit: number | null;
  message: string;
  severity: AlertSeverity;
}

interface Tracked {
  breaches: number;
  clears: number;
  alert: AlertRecord | null;
  lastSentAt: number;
}

const STATUS_RANK: Record<HealthStatus, number> = { UNKNOWN: 0, HEALTHY: 0, DEGRADED: 1, UNHEALTHY: 2 };

/** SRE workbook multiwindow, multi-burn-rate alerts for a 30-day budget. */
export const BURN_RATE_CONDITIONS = [
  { name: 'page', long: '1h', short: '5m', factor: 14.4, severity: 'critical' },
  { name: 'page', long: '6h', short: '30m', factor: 6, severity: 'critical' },
  { name: 'ticket', long: '1d', short: '2h', factor: 3, severity: 'warning' },
] as const;

/**
 * Evaluates rules with hysteresis: an alert fires after `breachesToFire` breaching evaluations
 * in a row, never fires twice while firing, and resolves after `clearsToResolve` clear ones.
 * Pure: the caller supplies the numbers and delivers what it returns.
 */
export class AlertEngine {
  private readonly tracked = new Map<string, Tracked>();
  private readonly resolved: AlertRecord[] = [];
  private lastCache: Record<string, { hits: number; misses: number }> = {};

  constructor(private readonly options: AlertEngineOptions) {}

  evaluate(rules: readonly AlertRule[], inputs: AlertInputs): AlertNotification[] {
    const notifications: AlertNotification[] = [];
    const seen = new Set<string>();
    for (const rule of rules) {
      for (const [subject, provider, ruleId, verdict] of this.verdicts(rule, inputs)) {
        const key = `${ruleId}|${subject}`;
        seen.add(key);
        this.step(key, ruleId, subject, provider, verdict, inputs.nowMs, notifications);
      }
    }
    // A subject that is gone (provider reset or evicted, rule removed) counts as clear.
    for (const [key, state] of this.tracked) {
      if (seen.has(key)) continue;
      if (!state.alert) {
        this.tracked.delete(key);
        continue;
      }
      const { rule, subject, provider } = state.alert;
      const gone = `${subject} is no longer reported (reset, evicted, or its rule removed).`;
      this.step(key, rule, subject, provider, { breached: false, value: null, limit: state.alert.limit, message: gone, severity: state.alert.severity }, inputs.nowMs, notifications);
    }
    this.lastCache = Object.fromEntries(Object.entries(inputs.cacheLevels).map(([level, c]) => [level, { ...c }]));
    return notifications;
  }

  /** Firing alerts, newest first. */
  active(): AlertRecord[] {
    return [...this.tracked.values()]
      .flatMap((t) => (t.alert ? [t.alert] : []))
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Resolved alerts, newest first, at most historyLimit. */
  history(): AlertRecord[] {
    return [...this.resolved].reverse();
  }

  private step(key: string, rule: string, subject: string, provider: string | null, verdict: Verdict, nowMs: number, out: AlertNotification[]): void {
    let state = this.tracked.get(key);
    if (verdict.breached === null) return; // too little data: neither a breach nor a clear
    if (!state) {
      if (!verdict.breached) return; // nothing to remember about a subject that is fine
      state = { breaches: 0, clears: 0, alert: null, lastSentAt: 0 };
      this.tracked.set(key, state);
    }
    if (verdict.breached) {
      state.breaches++;
      state.clears = 0;
      if (state.alert) {
        Object.assign(state.alert, { value: verdict.value, limit: verdict.limit, message: verdict.message });
        const resend = this.options.resendIntervalMs;
        if (resend !== null && nowMs - state.lastSentAt >= resend) {
          state.lastSentAt = nowMs;
          out.push({ event: 'repeat', alert: { ...state.alert } });
        }
      } else if (state.breaches >= this.options.breachesToFire) {
        const startedAt = new Date(nowMs).toISOString();
        state.alert = {
          id: `${rule}:${subject}:${nowMs}`,
          rule,
          provider,
          subject,
          severity: verdict.severity,
          state: 'firing',
          value: verdict.value,
          limit: verdict.limit,
          startedAt,
          resolvedAt: null,
          message: verdict.message,
        };
        state.lastSentAt = nowMs;
        out.push({ event: 'fired', alert: { ...state.alert } });
      }
      return;
    }
    state.clears++;
    state.breaches = 0;
    if (state.alert && state.clears >= this.options.clearsToResolve) {
      const resolved: AlertRecord = {
        ...state.alert,
        state: 'resolved',
        resolvedAt: new Date(nowMs).toISOString(),
        value: verdict.value ?? state.alert.value,
        message: `Resolved: ${verdict.message}`,
      };
      this.resolved.push(resolved);
      if (this.resolved.length > this.options.historyLimit) this.resolved.shift();
      out.push({ event: 'resolved', alert: { ...resolved } });
      this.tracked.delete(key);
    } else if (!state.alert) {
      this.tracked.delete(key);
    }
  }

  /** [subject, provider, rule id, verdict] for each thing a rule judges now. */
  private *verdicts(rule: AlertRule, inputs: AlertInputs): Generator<[string, string | null, string, Verdict]> {
    const { health } = inputs;
    const providers = health.providers.filter((p) => !rule.providers || rule.providers.includes(p.provider));
    switch (rule.kind) {
      case 'provider_status':
        for (const p of providers) yield [p.provider, p.provider, rule.id, this.statusVerdict(rule, p)];
        return;
      case 'system_status': {
        const breached = STATUS_RANK[health.status] >= STATUS_RANK[rule.status!];
        const message = systemAlertMessage(health.status, health.unhealthyProviders, health.degradedProviders);
        yield ['system', null, rule.id, { breached, value: STATUS_RANK[health.status], limit: STATUS_RANK[rule.status!], message, severity: rule.severity }];
        return;
      }
      case 'error_rate':
      case 'timeout_rate':
      case 'p95_latency':
        for (const p of providers) {
          const w = inputs.window(p.provider, rule.window ?? '5m');
          const value = !w || w.calls < (rule.minCalls ?? 1) ? null : rule.kind === 'error_rate' ? w.errorRate : rule.kind === 'timeout_rate' ? w.timeoutRate : w.p95LatencyMs;
          const issue = rule.kind === 'error_rate' ? 'high_error_rate' : rule.kind === 'timeout_rate' ? 'timeouts' : 'high_latency';
          const breached = value !== null && value > rule.limit!;
          const message = recommendation(issue, { provider: p.provider, value, limit: rule.limit!, windowMs: w?.windowMs ?? 0 });
          yield [p.provider, p.provider, rule.id, { breached, value, limit: rule.limit!, message, severity: rule.severity }];
        }
        return;
      case 'cache_hit_rate': {
        const level = rule.level!;
        const now = inputs.cacheLevels[level] ?? { hits: 0, misses: 0 };
        const before = this.lastCache[level] ?? { hits: 0, misses: 0 };
        const hits = Math.max(0, now.hits - before.hits);
        const lookups = hits + Math.max(0, now.misses - before.misses);
        const value = lookups === 0 || lookups < (rule.minCalls ?? 1) ? null : hits / lookups;
        const breached = value !== null && value < rule.limit!;
        const message = recommendation('low_cache_hit_rate', { provider: `cache ${level}`, value, limit: rule.limit!, windowMs: 0 });
        yield [`cache:${level}`, null, rule.id, { breached, value, limit: rule.limit!, message, severity: rule.severity }];
        return;
      }
      case 'slo_burn_rate':
        for (const p of providers) yield* this.burnVerdicts(rule, p.provider, inputs);
        return;
      case 'circuit_open':
        for (const c of inputs.circuits ?? []) {
          if (rule.providers && !rule.providers.includes(c.provider)) continue;
          const breached = c.state !== 'CLOSED';
          yield [c.provider, c.provider, rule.id, { breached, value: null, limit: null, message: circuitMessage(c.provider, c.state, c.reason, c.halfOpenAt), severity: rule.severity }];
        }
        return;
      case 'failovers': {
        const window = rule.window ?? '5m';
        for (const c of inputs.circuits ?? []) {
          if (rule.providers && !rule.providers.includes(c.provider)) continue;
          const moves = inputs.failoversFrom?.(c.provider, RULE_WINDOW_MS[window]) ?? 0;
          const message = failoverMessage(c.provider, moves, window, rule.limit!);
          yield [c.provider, c.provider, rule.id, { breached: moves > rule.limit!, value: moves, limit: rule.limit!, message, severity: rule.severity }];
        }
        return;
      }
      case 'quota_usage':
        for (const cost of inputs.costs?.('day') ?? []) {
          if (!cost.priced || (rule.providers && !rule.providers.includes(cost.provider))) continue;
          const worst = (['freeCalls', 'perMinute', 'perDay'] as const)
            .flatMap((which) => {
              const use = cost.quota[which];
              return use ? [{ which, used: use.used, limit: use.limit, ratio: use.used / use.limit }] : [];
            })
            .sort((a, b) => b.ratio - a.ratio)[0];
          if (!worst) continue;
          const message = quotaMessage(cost.provider, worst.which, worst.used, worst.limit);
          yield [cost.provider, cost.provider, rule.id, { breached: worst.ratio >= rule.limit!, value: worst.ratio, limit: rule.limit!, message, severity: rule.severity }];
        }
        return;
      case 'cost_budget': {
        const currency = rule.currency ?? 'USD';
        const period = rule.period ?? 'month';
        const budget = parseMoney(rule.budget)!;
        const costs = (inputs.costs?.(period) ?? []).filter((c) => c.currency === currency);
        const projected = costs.reduce((sum, c) => sum + c.projectedCostMicros, 0);
        const spent = costs.reduce((sum, c) => sum + c.costMicros, 0);
        const message = budgetMessage(currency, period, formatMoney(projected), formatMoney(budget), formatMoney(spent));
        const units = (micros: number) => micros / 1_000_000;
        yield [`budget:${currency}:${period}`, null, rule.id, { breached: projected > budget, value: units(projected), limit: units(budget), message, severity: rule.severity }];
        return;
      }
    }
  }

  private statusVerdict(rule: AlertRule, p: ProviderHealth): Verdict {
    if (p.status === 'UNKNOWN') {
      // Too few calls to judge: an alert neither fires nor resolves on a lull in traffic.
      return { breached: null, value: p.score, limit: null, message: `${p.provider} has too few calls to judge.`, severity: rule.severity };
    }
    const breached = STATUS_RANK[p.status] >= STATUS_RANK[rule.status!];
    const advice = p.issues.filter((i) => i.severity !== 'info').map((i) => i.recommendation);
    const message = breached
      ? `${p.provider} is ${p.status}. ${advice.join(' ') || 'No single metric explains it yet; check its last error.'}`
      : `${p.provider} is ${p.status} (score ${p.score ?? 'n/a'}).`;
    return { breached, value: p.score, limit: null, message, severity: rule.severity };
  }

  private *burnVerdicts(rule: AlertRule, provider: string, inputs: AlertInputs): Generator<[string, string | null, string, Verdict]> {
    const budget = 1 - rule.target!;
    const burn = (name: string) => {
      const w = inputs.window(provider, name);
      return w && w.calls > 0 && w.errorRate !== null ? { rate: w.errorRate / budget, calls: w.calls } : null;
    };
    let paging = false;
    for (const level of ['page', 'ticket'] as const) {
      let worst: { value: number; long: string; short: string; longRate: number; shortRate: number; factor: number } | null = null;
      let breached = false;
      for (const c of BURN_RATE_CONDITIONS.filter((x) => x.name === level)) {
        const long = burn(c.long);
        const short = burn(c.short);
        const minCalls = rule.minCalls ?? 1;
        if (!long || !short || short.calls < minCalls || long.calls < minCalls) continue;
        const value = Math.min(long.rate, short.rate);
        if (value > c.factor) breached = true;
        if (!worst || value / c.factor > worst.value / worst.factor) {
          worst = { value, long: c.long, short: c.short, longRate: long.rate, shortRate: short.rate, factor: c.factor };
        }
      }
      // A page already says everything a ticket would: the ticket waits until the page clears.
      if (level === 'page') paging = breached;
      else if (paging) breached = false;
      const severity: AlertSeverity = level === 'page' ? rule.severity : 'warning';
      const message = worst
        ? burnRateMessage(provider, rule.target!, worst.longRate, worst.long, worst.shortRate, worst.short, worst.factor)
        : `${provider}: not enough calls to judge its error budget.`;
      yield [provider, provider, `${rule.id}:${level}`, { breached, value: worst?.value ?? null, limit: worst?.factor ?? null, message, severity }];
    }
  }
}
