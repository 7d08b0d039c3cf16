import type { HistoryRetention } from '../history-store';

export interface HistoryOptions {
  /** false: no store is opened, no timer runs, nothing touches the disk. */
  enabled: boolean;
  /** SQLite file (its folder is created), or `:memory:` for tests. */
  dbPath: string;
  /** How often the deltas since the last flush are written: at most this much is lost to a kill -9. */
  flushIntervalSeconds: number;
  minuteRetentionHours: number;
  hourRetentionDays: number;
  dayRetentionDays: number;
  /** How often minutes are rolled into hours, hours into days, and expired rows pruned (also once at start-up). */
  compactionIntervalSeconds: number;
  /** Minutes of deltas kept in memory while the database cannot be written; older ones are dropped. */
  maxPendingMinutes: number;
  /** Status changes and alerts kept in memory while the database cannot be written. */
  maxPendingEvents: number;
  /** How long a write waits for another connection's lock. It blocks the event loop, so keep it short. */
  busyTimeoutMs: number;
  /** A failing database is logged at most this often. */
  errorLogIntervalSeconds: number;
}

export const HISTORY_DEFAULTS: Readonly<HistoryOptions> = Object.freeze({
  enabled: true,
  dbPath: './data/monitoring.db',
  flushIntervalSeconds: 10,
  minuteRetentionHours: 48,
  hourRetentionDays: 30,
  dayRetentionDays: 365,
  compactionIntervalSeconds: 600,
  maxPendingMinutes: 60,
  maxPendingEvents: 1_000,
  busyTimeoutMs: 100,
  errorLogIntervalSeconds: 60,
});

type NumericOption = { [K in keyof HistoryOptions]: HistoryOptions[K] extends number ? K : never }[keyof HistoryOptions];

/** Integer bounds of every numeric option, checked in one place whatever the options came from. */
export const HISTORY_LIMITS: Readonly<Record<NumericOption, readonly [min: number, max: number]>> = Object.freeze({
  flushIntervalSeconds: [1, 3_600],
  minuteRetentionHours: [1, 8_760],
  hourRetentionDays: [1, 3_650],
  dayRetentionDays: [1, 36_500],
  compactionIntervalSeconds: [1, 86_400],
  maxPendingMinutes: [1, 10_080],
  maxPendingEvents: [1, 1_000_000],
  busyTimeoutMs: [0, 60_000],
  errorLogIntervalSeconds: [0, 86_400],
});

/**
 * Merges `options` over HISTORY_DEFAULTS and checks the result. Every problem is reported at
 * once, each naming its setting through `nameOf` (the environment variable when read from one).
 */
export function resolveHistoryOptions(options: Partial<HistoryOptions> = {}, nameOf: (option: keyof HistoryOptions) => string = String): HistoryOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<HistoryOptions>;
  const resolved: HistoryOptions = { ...HISTORY_DEFAULTS, ...defined };
  const problems: string[] = [];
  for (const [option, [min, max]] of Object.entries(HISTORY_LIMITS) as [NumericOption, readonly [number, number]][]) {
    const value = resolved[option];
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${nameOf(option)} must be an integer from ${min} to ${max} (got ${String(value)})`);
  }
  if (typeof resolved.enabled !== 'boolean') problems.push(`${nameOf('enabled')} must be true or false`);
  if (typeof resolved.dbPath !== 'string' || resolved.dbPath.trim() === '') problems.push(`${nameOf('dbPath')} must be a file path`);
  // Finer rows kept longer than the coarser rows they roll into would answer old ranges at one resolution and not the next.
  if (problems.length === 0 && resolved.minuteRetentionHours > resolved.hourRetentionDays * 24) {
    problems.push(`${nameOf('minuteRetentionHours')} (${resolved.minuteRetentionHours} h) must not be longer than ${nameOf('hourRetentionDays')} (${resolved.hourRetentionDays} days)`);
  }
  if (problems.length === 0 && resolved.hourRetentionDays > resolved.dayRetentionDays) {
    problems.push(`${nameOf('hourRetentionDays')} (${resolved.hourRetentionDays} days) must not be longer than ${nameOf('dayRetentionDays')} (${resolved.dayRetentionDays} days)`);
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return resolved;
}

export function retentionOf(options: HistoryOptions): HistoryRetention {
  const hour = 3_600_000;
  const day = 24 * hour;
  return {
    minuteMs: options.minuteRetentionHours * hour,
    hourMs: options.hourRetentionDays * day,
    dayMs: options.dayRetentionDays * day,
    eventMs: options.hourRetentionDays * day,
  };
}
