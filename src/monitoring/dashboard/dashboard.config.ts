import { ConfigService } from '@nestjs/config';
import { DASHBOARD_DEFAULTS, DASHBOARD_PUSH_SECONDS_ENV, DashboardOptions, MAX_PUSH_SECONDS, MIN_PUSH_SECONDS } from './dashboard.constants';

/** Reads DASHBOARD_PUSH_SECONDS; a bad value stops start-up with a message naming the variable. */
export function dashboardOptionsFromConfig(config: ConfigService): DashboardOptions {
  const raw = config.get<string | number>(DASHBOARD_PUSH_SECONDS_ENV);
  if (raw === undefined || raw === null || String(raw).trim() === '') return { ...DASHBOARD_DEFAULTS };
  const text = String(raw).trim();
  // Plain decimals only: Number() would also take 0x10 and 1e1.
  const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value) || value < MIN_PUSH_SECONDS || value > MAX_PUSH_SECONDS) {
    throw new Error(
      `Environment variable ${DASHBOARD_PUSH_SECONDS_ENV} must be a number of seconds from ${MIN_PUSH_SECONDS} to ${MAX_PUSH_SECONDS} (got "${String(raw)}")`,
    );
  }
  return { pushSeconds: value };
}
