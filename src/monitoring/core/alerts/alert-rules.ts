import { BILLING_PERIODS, BillingPeriod } from '../cost/billing-period';
import { parseMoney } from '../cost/money';
import { AlertSeverity } from './alert.types';

export const ALERT_RULE_KINDS = [
  'provider_status',
  'system_status',
  'error_rate',
  'p95_latency',
  'timeout_rate',
  'cache_hit_rate',
  'slo_burn_rate',
  'circuit_open',
  'failovers',
  'quota_usage',
  'cost_budget',
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];
export const RULE_WINDOWS = ['1m', '5m', '15m', '1h'] as const;

/**
 * One alert rule. Which fields matter depends on `kind`:
 * - provider_status / system_status: `status` (fires at DEGRADED or worse, or at UNHEALTHY);
 * - error_rate / timeout_rate: `limit` (ratio 0-1) over `window`;
 * - p95_latency: `limit` (ms) over `window`;
 * - cache_hit_rate: `limit` (ratio 0-1, fires below it) for cache `level`, over the lookups
 *   since the previous evaluation, once there are `minCalls` of them;
 * - slo_burn_rate: `target` success ratio (e.g. 0.995); pages (critical) on the 1 h + 5 m or
 *   6 h + 30 m burn rates, opens a ticket (warning) on 1 d + 2 h, as the SRE workbook describes;
 * - circuit_open: a provider's circuit is open or half-open (its traffic goes elsewhere);
 * - failovers: more than `limit` requests moved away from a provider over `window`;
 * - quota_usage: a provider has used `limit` (ratio, e.g. 0.8) or more of a free allowance or rate limit;
 * - cost_budget: the cost in `currency` projected to the end of `period` is above `budget`.
 * `providers` limits a provider rule to some providers; `minCalls` is the fewest calls in the
 * (short) window before the rule judges at all.
 */
export interface AlertRule {
  id: string;
  kind: AlertRuleKind;
  severity: AlertSeverity;
  status?: 'DEGRADED' | 'UNHEALTHY';
  limit?: number;
  window?: (typeof RULE_WINDOWS)[number];
  level?: string;
  target?: number;
  providers?: string[];
  minCalls?: number;
  /** cost_budget: an amount in `currency`, as a decimal string or number. */
  budget?: string | number;
  currency?: string;
  period?: BillingPeriod;
}

/** Rules an operator gets without configuring any. */
export const DEFAULT_ALERT_RULES: readonly AlertRule[] = Object.freeze([
  { id: 'provider-unhealthy', kind: 'provider_status', status: 'UNHEALTHY', severity: 'critical' },
  { id: 'provider-degraded', kind: 'provider_status', status: 'DEGRADED', severity: 'warning' },
  { id: 'system-unhealthy', kind: 'system_status', status: 'UNHEALTHY', severity: 'critical' },
  { id: 'slo-99.5', kind: 'slo_burn_rate', target: 0.995, severity: 'critical', minCalls: 10 },
  { id: 'circuit-open', kind: 'circuit_open', severity: 'warning' },
  { id: 'quota-80', kind: 'quota_usage', limit: 0.8, severity: 'warning' },
  { id: 'quota-100', kind: 'quota_usage', limit: 1, severity: 'critical' },
] as AlertRule[]);

/** Evaluation is O(rules x providers) on every tick: a bound keeps a tick cheap. */
export const MAX_ALERT_RULES = 100;

/** The optional fields each kind reads; any other is refused rather than silently ignored. */
const FIELDS_OF: Record<AlertRuleKind, readonly string[]> = {
  provider_status: ['status', 'providers'],
  system_status: ['status'],
  error_rate: ['limit', 'window', 'providers', 'minCalls'],
  timeout_rate: ['limit', 'window', 'providers', 'minCalls'],
  p95_latency: ['limit', 'window', 'providers', 'minCalls'],
  cache_hit_rate: ['limit', 'level', 'minCalls'],
  slo_burn_rate: ['target', 'providers', 'minCalls'],
  circuit_open: ['providers'],
  failovers: ['limit', 'window', 'providers'],
  quota_usage: ['limit', 'providers'],
  cost_budget: ['budget', 'currency', 'period'],
};
const COMMON_FIELDS = ['id', 'kind', 'severity'];

/** Every problem with a list of rules, each naming its field: `rules[2].limit must be ...`. */
export function ruleProblems(rules: readonly AlertRule[], path = 'rules'): string[] {
  const problems: string[] = [];
  if (rules.length > MAX_ALERT_RULES) return [`${path} must hold at most ${MAX_ALERT_RULES} rules (got ${rules.length})`];
  const ids = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `${path}[${i}]`;
    const problem = (field: string, text: string) => problems.push(`${at}.${field} ${text}`);
    if (typeof rule.id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(rule.id)) problem('id', 'must be 1 to 64 letters, digits, dots, dashes or underscores');
    else if (ids.has(rule.id)) problem('id', `"${rule.id}" is used twice`);
    ids.add(rule.id);
    if (!ALERT_RULE_KINDS.includes(rule.kind)) problem('kind', `must be one of ${ALERT_RULE_KINDS.join(', ')}`);
    if (!ALERT_SEVERITIES.includes(rule.severity)) problem('severity', 'must be one of info, warning, critical');
    if (rule.window !== undefined && !RULE_WINDOWS.includes(rule.window)) problem('window', `must be one of ${RULE_WINDOWS.join(', ')}`);
    if (rule.minCalls !== undefined && !(Number.isInteger(rule.minCalls) && rule.minCalls >= 1 && rule.minCalls <= 1_000_000)) {
      problem('minCalls', 'must be an integer from 1 to 1000000');
    }
    if (
      rule.providers !== undefined &&
      !(
        Array.isArray(rule.providers) &&
        rule.providers.length > 0 &&
        rule.providers.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 128) &&
        new Set(rule.providers).size === rule.providers.length
      )
    ) {
      problem('providers', 'must be a non-empty list of distinct provider names (leave it out for every provider)');
    }
    if (ALERT_RULE_KINDS.includes(rule.kind)) {
      for (const [field, value] of Object.entries(rule)) {
        // Absent and undefined are the same (a DTO instance carries every field, mostly undefined).
        if (value !== undefined && !COMMON_FIELDS.includes(field) && !FIELDS_OF[rule.kind].includes(field)) problem(field, `does not apply to ${rule.kind} rules`);
      }
    }
    const ratio = (field: 'limit' | 'target', min: number, max: number) => {
      const v = rule[field];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) problem(field, `must be a number from ${min} to ${max} for ${rule.kind}`);
    };
    switch (rule.kind) {
      case 'provider_status':
      case 'system_status':
        if (rule.status !== 'DEGRADED' && rule.status !== 'UNHEALTHY') problem('status', 'must be DEGRADED or UNHEALTHY');
        break;
      case 'error_rate':
      case 'timeout_rate':
      case 'cache_hit_rate':
        ratio('limit', 0, 1);
        if (rule.kind === 'cache_hit_rate' && (typeof rule.level !== 'string' || rule.level.length === 0)) problem('level', 'must name a cache level, e.g. L1');
        break;
      case 'p95_latency':
        ratio('limit', 1, 3_600_000);
        break;
      case 'slo_burn_rate':
        ratio('target', 0.5, 0.99999);
        break;
      case 'circuit_open':
        break;
      case 'failovers':
        if (!(Number.isInteger(rule.limit) && rule.limit! >= 0 && rule.limit! <= 1_000_000)) problem('limit', 'must be an integer from 0 to 1000000 for failovers (moves in the window)');
        break;
      case 'quota_usage':
        ratio('limit', 0.01, 1);
        break;
      case 'cost_budget': {
        const budget = parseMoney(rule.budget);
        if (budget === null || budget === 0) problem('budget', 'must be an amount above 0 with at most 6 decimals, e.g. "50" or "12.5"');
        if (rule.currency !== undefined && (typeof rule.currency !== 'string' || !/^[A-Z]{3}$/.test(rule.currency))) problem('currency', 'must be a 3-letter ISO 4217 code in capitals, e.g. USD');
        if (rule.period !== undefined && !BILLING_PERIODS.includes(rule.period)) problem('period', `must be one of ${BILLING_PERIODS.join(', ')}`);
        break;
      }
    }
  });
  return problems;
}
