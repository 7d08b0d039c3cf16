/** Options of the dashboard module after the environment is read. */
export const DASHBOARD_OPTIONS = Symbol('DASHBOARD_OPTIONS');

export interface DashboardOptions {
  /** Seconds between two snapshots pushed on the stream when nothing else triggers one. */
  pushSeconds: number;
}

export const DASHBOARD_DEFAULTS: Readonly<DashboardOptions> = Object.freeze({ pushSeconds: 5 });

export const DASHBOARD_PUSH_SECONDS_ENV = 'DASHBOARD_PUSH_SECONDS';
export const MIN_PUSH_SECONDS = 1;
export const MAX_PUSH_SECONDS = 3_600;

/** The stream route; the page reads it with fetch so it can send the API key header. */
export const DASHBOARD_STREAM_PATH = 'api/monitoring/stream';

/** The history API another module may provide; the page only calls it when it is registered. */
export const HISTORY_API_PATH = 'api/monitoring/history';
