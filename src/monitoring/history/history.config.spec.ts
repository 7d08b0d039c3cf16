import { ConfigService } from '@nestjs/config';
import { HISTORY_DEFAULTS, resolveHistoryOptions } from './core/history-options';
import { historyOptionsFromEnv } from './history.config';

const fromEnv = (env: Record<string, string>) => historyOptionsFromEnv(new ConfigService(env));

describe('history settings', () => {
  it('uses the defaults for unset or empty variables', () => {
    expect(fromEnv({})).toEqual(HISTORY_DEFAULTS);
    expect(fromEnv({ HISTORY_DB_PATH: ' ', HISTORY_FLUSH_SECONDS: '' })).toEqual(HISTORY_DEFAULTS);
    expect(HISTORY_DEFAULTS).toMatchObject({ enabled: true, dbPath: './data/monitoring.db', flushIntervalSeconds: 10, minuteRetentionHours: 48, hourRetentionDays: 30, dayRetentionDays: 365 });
  });

  it('reads every variable', () => {
    expect(
      fromEnv({
        HISTORY_ENABLED: 'off',
        HISTORY_DB_PATH: '/var/lib/monitor/history.db',
        HISTORY_FLUSH_SECONDS: '30',
        HISTORY_MINUTE_RETENTION_HOURS: '24',
        HISTORY_HOUR_RETENTION_DAYS: '7',
        HISTORY_DAY_RETENTION_DAYS: '90',
      }),
    ).toEqual({
      ...HISTORY_DEFAULTS,
      enabled: false,
      dbPath: '/var/lib/monitor/history.db',
      flushIntervalSeconds: 30,
      minuteRetentionHours: 24,
      hourRetentionDays: 7,
      dayRetentionDays: 90,
    });
  });

  it('names every bad variable in one error', () => {
    expect(() => fromEnv({ HISTORY_ENABLED: 'maybe', HISTORY_FLUSH_SECONDS: '0', HISTORY_DAY_RETENTION_DAYS: '1.5', HISTORY_HOUR_RETENTION_DAYS: '4000' })).toThrow(
      'Invalid history settings: HISTORY_ENABLED must be true or false (got "maybe"); HISTORY_DAY_RETENTION_DAYS must be a whole number (got "1.5"); ' +
        'HISTORY_FLUSH_SECONDS must be an integer from 1 to 3600 (got 0); HISTORY_HOUR_RETENTION_DAYS must be an integer from 1 to 3650 (got 4000)',
    );
  });

  it('names the range for a negative number', () => {
    expect(() => fromEnv({ HISTORY_FLUSH_SECONDS: '-5' })).toThrow('HISTORY_FLUSH_SECONDS must be an integer from 1 to 3600 (got -5)');
  });

  it('refuses finer rows kept longer than the coarser rows they roll into', () => {
    expect(() => fromEnv({ HISTORY_MINUTE_RETENTION_HOURS: '8760', HISTORY_HOUR_RETENTION_DAYS: '1' })).toThrow(
      'HISTORY_MINUTE_RETENTION_HOURS (8760 h) must not be longer than HISTORY_HOUR_RETENTION_DAYS (1 days)',
    );
    expect(() => fromEnv({ HISTORY_HOUR_RETENTION_DAYS: '3650', HISTORY_DAY_RETENTION_DAYS: '1' })).toThrow(
      'HISTORY_HOUR_RETENTION_DAYS (3650 days) must not be longer than HISTORY_DAY_RETENTION_DAYS (1 days)',
    );
  });

  it('checks options given in code the same way, naming the option', () => {
    expect(() => resolveHistoryOptions({ maxPendingMinutes: 0, dbPath: '' })).toThrow('maxPendingMinutes must be an integer from 1 to 10080 (got 0); dbPath must be a file path');
  });
});
