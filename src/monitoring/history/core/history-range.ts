import { HISTORY_RESOLUTIONS, HistoryResolution } from '../history-store';
import { invalidTime, rangeReversed, spanTooLarge, unknownResolution } from '../history.messages';

/** The widest span each resolution answers, so one read returns at most a few thousand points. */
export const MAX_SPAN_MS: Readonly<Record<HistoryResolution, number>> = Object.freeze({
  minute: 48 * 3_600_000,
  hour: 31 * 86_400_000,
  day: 366 * 86_400_000,
});

/** Without `from`, a read covers the hour before `to`. */
export const DEFAULT_SPAN_MS = 3_600_000;

/** The largest time a JavaScript Date holds. */
const MAX_TIME_MS = 8.64e15;

/**
 * ISO 8601 as a date (UTC midnight) or a date and time with an optional offset (none means UTC,
 * so a time never depends on the server's zone); or epoch milliseconds. Checked again after
 * parsing, because the pattern lets through days such as 2026-02-30 that Date would roll over.
 * A space before the offset is read as +: it is what an unencoded + in a query string becomes.
 */
export const HISTORY_TIME_PATTERN = /^(\d{1,15}|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+\- ]\d{2}:?\d{2})?)?)$/;
const ISO_PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+\- ])(\d{2}):?(\d{2}))?)?$/;

/** Epoch milliseconds of a time written as HISTORY_TIME_PATTERN allows, or null when it is not a real time. */
export function parseHistoryTime(raw: string): number | null {
  if (/^\d{1,15}$/.test(raw)) {
    const ms = Number(raw);
    return ms <= MAX_TIME_MS ? ms : null;
  }
  const m = ISO_PARTS.exec(raw);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part)));
  const fractionMs = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1_000;
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  const offsetMinutes = m[9] === undefined ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11]));
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return null;
  const utc = new Date(0);
  utc.setUTCFullYear(year!, month! - 1, day!); // setUTCFullYear keeps years 0-99 as written, Date.UTC would not
  utc.setUTCHours(hour, minute, second, 0);
  return utc.getTime() + fractionMs - offsetMinutes * 60_000;
}

export interface HistoryRangeInput {
  from?: string;
  to?: string;
  resolution?: string;
}

/** For reads with no buckets (status changes, alerts): their span is bounded like the coarsest resolution, and messages do not offer another. */
export const EVENT_RANGE: { resolution: HistoryResolution; chosen: false } = { resolution: 'day', chosen: false };

export interface HistoryRange {
  fromMs: number;
  toMs: number;
  resolution: HistoryResolution;
}

export type HistoryRangeResult = { ok: true; range: HistoryRange } | { ok: false; problems: string[] };

/**
 * Turns query parameters into a range: `to` defaults to now, `from` to an hour before `to`,
 * `resolution` to minute. Every broken rule is listed, each naming its parameter.
 */
export function resolveHistoryRange(input: HistoryRangeInput, nowMs: number, events?: typeof EVENT_RANGE): HistoryRangeResult {
  const problems: string[] = [];
  const resolution = events?.resolution ?? input.resolution ?? 'minute';
  if (!(HISTORY_RESOLUTIONS as readonly string[]).includes(resolution)) problems.push(unknownResolution(resolution));
  const time = (field: 'from' | 'to'): number | null => {
    const raw = input[field];
    if (raw === undefined) return null;
    const ms = parseHistoryTime(raw);
    if (ms === null) problems.push(invalidTime(field));
    return ms;
  };
  const to = time('to') ?? nowMs;
  const from = time('from') ?? Math.max(0, to - DEFAULT_SPAN_MS);
  if (problems.length > 0) return { ok: false, problems };
  const valid = resolution as HistoryResolution;
  if (from > to) problems.push(rangeReversed(from, to));
  else if (to - from > MAX_SPAN_MS[valid]) problems.push(spanTooLarge(valid, to - from, MAX_SPAN_MS[valid], events === undefined));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, range: { fromMs: from, toMs: to, resolution: valid } };
}
