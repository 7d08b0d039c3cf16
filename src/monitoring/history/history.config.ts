import { ConfigService } from '@nestjs/config';
import { HistoryOptions, resolveHistoryOptions } from './core/history-options';

/** The environment variable behind each option that can be set from one. */
export const HISTORY_ENV = {
  enabled: 'HISTORY_ENABLED',
  dbPath: 'HISTORY_DB_PATH',
  flushIntervalSeconds: 'HISTORY_FLUSH_SECONDS',
  minuteRetentionHours: 'HISTORY_MINUTE_RETENTION_HOURS',
  hourRetentionDays: 'HISTORY_HOUR_RETENTION_DAYS',
  dayRetentionDays: 'HISTORY_DAY_RETENTION_DAYS',
} as const satisfies Partial<Record<keyof HistoryOptions, string>>;

type EnvOption = keyof typeof HISTORY_ENV;

/**
 * History options from HISTORY_* variables (an empty value counts as unset), merged over the
 * defaults. A bad value throws one error listing every problem, each naming its variable.
 */
export function historyOptionsFromEnv(config: ConfigService): HistoryOptions {
  const problems: string[] = [];
  const raw = (option: EnvOption): string | undefined => {
    const value = config.get<string | number | boolean>(HISTORY_ENV[option]);
    if (value === undefined || value === null) return undefined;
    const text = String(value).trim();
    return text === '' ? undefined : text;
  };
  const integer = (option: EnvOption): number | undefined => {
    const text = raw(option);
    if (text === undefined) return undefined;
    // Signed, so -5 reaches the range check and gets the message that names the range.
    if (/^-?\d+$/.test(text)) return Number(text);
    problems.push(`${HISTORY_ENV[option]} must be a whole number (got "${text.slice(0, 40)}")`);
    return undefined;
  };
  const enabledText = raw('enabled')?.toLowerCase();
  let enabled: boolean | undefined;
  if (enabledText === undefined) enabled = undefined;
  else if (['true', '1', 'yes', 'on'].includes(enabledText)) enabled = true;
  else if (['false', '0', 'no', 'off'].includes(enabledText)) enabled = false;
  else problems.push(`${HISTORY_ENV.enabled} must be true or false (got "${enabledText.slice(0, 40)}")`);

  const options: Partial<HistoryOptions> = {
    enabled,
    dbPath: raw('dbPath'),
    flushIntervalSeconds: integer('flushIntervalSeconds'),
    minuteRetentionHours: integer('minuteRetentionHours'),
    hourRetentionDays: integer('hourRetentionDays'),
    dayRetentionDays: integer('dayRetentionDays'),
  };
  try {
    const resolved = resolveHistoryOptions(options, (option) => (option in HISTORY_ENV ? HISTORY_ENV[option as EnvOption] : option));
    if (problems.length === 0) return resolved;
  } catch (error) {
    problems.push((error as Error).message);
  }
  throw new Error(`Invalid history settings: ${problems.join('; ')}`);
}
