export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertState = 'firing' | 'resolved';

/** One alert: a rule breached for one subject (a provider, a cache level, or the system). */
export interface AlertRecord {
  /** Stable while the alert lives: rule id, subject and start time. */
  id: string;
  rule: string;
  /** The provider it is about; null for system-wide and cache-level rules. */
  provider: string | null;
  /** What the rule measured: a provider, `cache:L1`, or `system`. */
  subject: string;
  severity: AlertSeverity;
  state: AlertState;
  /** The measured value at the last evaluation (ratio 0-1, milliseconds, or burn rate). */
  value: number | null;
  limit: number | null;
  startedAt: string;
  resolvedAt: string | null;
  /** What is wrong and what to do, with the numbers in it. */
  message: string;
}

/** What a webhook is told. `repeat` re-sends a long-lived firing alert after the resend interval. */
export interface AlertNotification {
  event: 'fired' | 'resolved' | 'repeat';
  alert: AlertRecord;
}
