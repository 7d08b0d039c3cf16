import type { HistoryResolution } from './history-store';

/** Spans in the unit a person would use: 1 ms, 30 s, 90 min, 72 h, 40 days. */
export function formatSpan(ms: number): string {
  const round1 = (n: number) => Math.round(n * 10) / 10;
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 120_000) return `${round1(ms / 1_000)} s`;
  if (ms < 2 * 3_600_000) return `${round1(ms / 60_000)} min`;
  if (ms < 3 * 86_400_000) return `${round1(ms / 3_600_000)} h`;
  return `${round1(ms / 86_400_000)} days`;
}

const NEXT_RESOLUTION: Record<HistoryResolution, HistoryResolution | null> = { minute: 'hour', hour: 'day', day: null };

export const invalidTime = (field: 'from' | 'to') =>
  `${field} must be an ISO 8601 time (e.g. 2026-12-03T19:00:00Z; no offset means UTC) or epoch milliseconds, and a real date`;

export const unknownResolution = (value: string) => `resolution must be one of minute, hour, day (got "${value.slice(0, 20)}")`;

export const rangeReversed = (fromMs: number, toMs: number) =>
  `from (${new Date(fromMs).toISOString()}) must not be after to (${new Date(toMs).toISOString()})`;

/** `chosen`: the caller picked the resolution, so the advice may suggest another; events have none to pick. */
export function spanTooLarge(resolution: HistoryResolution, spanMs: number, maxMs: number, chosen = true): string {
  const coarser = chosen ? NEXT_RESOLUTION[resolution] : null;
  const advice = coarser ? `use resolution=${coarser} or a shorter range` : 'use a shorter range';
  const limit = chosen ? `the ${formatSpan(maxMs)} resolution=${resolution} allows` : `the ${formatSpan(maxMs)} allowed`;
  // The excess too, so a span that rounds to the limit still says why it is refused.
  return `from and to are ${formatSpan(spanMs)} apart, ${formatSpan(spanMs - maxMs)} more than ${limit}: ${advice}`;
}

export const unknownProvider = (name: string) => `provider "${name}" not found: no call has been recorded for it, live or in history`;

export const historyDisabled = () => 'History is turned off (HISTORY_ENABLED=false)';

export const historyUnavailable = (path: string, reason: string) =>
  `History is unavailable: the database at ${path} could not be opened (${reason}). Monitoring keeps working from memory; fix the path or HISTORY_DB_PATH and restart, or wait for the next retry.`;

export const historyReadFailed = (reason: string) => `History could not be read: ${reason}`;

export const openFailed = (path: string, reason: string, retrySeconds: number) =>
  `History database ${path} could not be opened: ${reason}. The app runs without history and tries again every ${retrySeconds} s.`;

export const writeFailed = (path: string, reason: string, failures: number, pendingMinutes: number, maxPendingMinutes: number) =>
  `History could not be written to ${path}: ${reason} (${failures} failed writes so far). ` +
  `${pendingMinutes} minutes of data wait in memory (at most ${maxPendingMinutes}, then the oldest are dropped); writes are retried every flush.`;

export const writingAgain = (path: string, failures: number) => `History is being written to ${path} again after ${failures} failed writes; the data kept in memory is stored.`;

export const pendingDropped = (minutes: number, maxPendingMinutes: number) =>
  `History dropped ${minutes} minutes of unwritten data: at most ${maxPendingMinutes} minutes are kept while the database cannot be written.`;

export const shutdownFlushFailed = (reason: string, pendingMinutes: number) =>
  `History could not be written at shutdown (${reason}): ${pendingMinutes} minutes of data are lost.`;
