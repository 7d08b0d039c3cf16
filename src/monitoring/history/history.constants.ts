/** HistoryOptions after defaults are merged (from HISTORY_* variables in the app). */
export const HISTORY_OPTIONS = Symbol('HISTORY_OPTIONS');

/**
 * Opens the HistoryStore: SQLite by default. Provide another factory to keep history elsewhere
 * (a PostgreSQL store shared by several instances); it is called once at start-up, and again
 * on a later flush when it failed, so it may throw.
 */
export const HISTORY_STORE_FACTORY = Symbol('HISTORY_STORE_FACTORY');

export const HISTORY_FLUSH_JOB = 'monitoring.history.flush';
export const HISTORY_COMPACTION_JOB = 'monitoring.history.compaction';

/** Most status changes or alerts one read returns (the newest of the range). */
export const MAX_HISTORY_EVENTS = 10_000;
