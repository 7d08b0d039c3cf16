import { Inject, Injectable } from '@nestjs/common';
import { AlertRule, ruleProblems } from './core/alerts/alert-rules';
import { HealthThresholds, MonitoringModuleOptions, MonitoringOptions, thresholdProblems } from './core/monitoring-options';
import { MONITORING_OPTIONS } from './monitoring.constants';

export interface RuntimeSettings {
  thresholds: HealthThresholds;
  rules: AlertRule[];
}

/** A change as PUT sends it: any part of the thresholds, and the rules as a whole list. */
export interface SettingsChange {
  thresholds?: NonNullable<MonitoringModuleOptions['thresholds']>;
  rules?: AlertRule[];
}

/**
 * The settings an operator may change while the app runs: health thresholds and alert rules.
 * A change is checked whole and applied whole, on the next evaluation, without touching the
 * metrics; a bad one changes nothing.
 */
@Injectable()
export class MonitoringSettings {
  private current: RuntimeSettings;
  /** Changes with every applied change, so cached health is judged again. */
  version = 0;

  constructor(@Inject(MONITORING_OPTIONS) options: MonitoringOptions) {
    this.current = { thresholds: structuredClone(options.thresholds), rules: structuredClone(options.alerts.rules) };
  }

  get thresholds(): HealthThresholds {
    return this.current.thresholds;
  }

  get rules(): readonly AlertRule[] {
    return this.current.rules;
  }

  snapshot(): RuntimeSettings {
    return structuredClone(this.current);
  }

  /** Applies the change and returns [], or returns every problem (naming its field) and applies nothing. */
  update(change: SettingsChange): string[] {
    const t = change.thresholds ?? {};
    const next: RuntimeSettings = {
      thresholds: {
        ...this.current.thresholds,
        ...withoutUndefined({ minCalls: t.minCalls, rateLimitedRate: t.rateLimitedRate, minCacheHitRate: t.minCacheHitRate, minCacheLookups: t.minCacheLookups }),
        healthy: { ...this.current.thresholds.healthy, ...withoutUndefined(t.healthy ?? {}) },
        unhealthy: { ...this.current.thresholds.unhealthy, ...withoutUndefined(t.unhealthy ?? {}) },
      },
      rules: structuredClone(change.rules ?? this.current.rules),
    };
    const problems = [...thresholdProblems(next.thresholds), ...ruleProblems(next.rules)];
    if (problems.length > 0) return problems;
    this.current = next;
    this.version++;
    return [];
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
