import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AlertRecord } from '../core/alerts/alert.types';
import type { SavedMonthCounts } from '../core/cost/billing-period';
import { RESOLUTION_MS, bucketStart, mergeCacheBuckets, mergeProviderBuckets } from './core/history-buckets';
import { decodeBins, encodeBins, mergeBins, sumBins } from './core/latency-bins';
import type {
  CacheBucket,
  CompactionResult,
  HistoryBatch,
  HistoryResolution,
  HistoryRetention,
  HistoryRowCounts,
  HistoryStore,
  ProviderBucket,
  SavedTotals,
  StatusChange,
} from './history-store';

/** 2: provider_totals.month (calls and cache hits per day of the month, for costs) and the last error's type and message. */
const SCHEMA_VERSION = 2;

const PROVIDER_TABLES: Record<HistoryResolution, string> = { minute: 'provider_minute', hour: 'provider_hour', day: 'provider_day' };
const CACHE_TABLES: Record<HistoryResolution, string> = { minute: 'cache_minute', hour: 'cache_hour', day: 'cache_day' };

const providerTable = (name: string) => `
  CREATE TABLE IF NOT EXISTS ${name} (
    provider TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    timeouts INTEGER NOT NULL,
    rate_limited INTEGER NOT NULL,
    latency_sum REAL NOT NULL,
    latency_min REAL NOT NULL,
    latency_max REAL NOT NULL,
    bins TEXT NOT NULL,
    PRIMARY KEY (provider, bucket)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ${name}_bucket ON ${name} (bucket);`;

const cacheTable = (name: string) => `
  CREATE TABLE IF NOT EXISTS ${name} (
    level TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    misses INTEGER NOT NULL,
    PRIMARY KEY (level, bucket)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ${name}_bucket ON ${name} (bucket);`;

const SCHEMA = `
  ${Object.values(PROVIDER_TABLES).map(providerTable).join('\n')}
  ${Object.values(CACHE_TABLES).map(cacheTable).join('\n')}
  CREATE TABLE IF NOT EXISTS provider_totals (
    provider TEXT PRIMARY KEY,
    calls INTEGER NOT NULL,
    successes INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    timeouts INTEGER NOT NULL,
    rate_limited INTEGER NOT NULL,
    latency_sum REAL NOT NULL,
    cache_hits INTEGER NOT NULL,
    cache_misses INTEGER NOT NULL,
    last_success_at INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    month TEXT,
    last_error_type TEXT,
    last_error_message TEXT
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS cache_totals (level TEXT PRIMARY KEY, hits INTEGER NOT NULL, misses INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS status_changes (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    subject TEXT NOT NULL,
    previous TEXT NOT NULL,
    current TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS status_changes_at ON status_changes (at);
  CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    resolved_at INTEGER,
    updated_at INTEGER NOT NULL,
    record TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS alerts_started_at ON alerts (started_at);
  CREATE INDEX IF NOT EXISTS alerts_updated_at ON alerts (updated_at);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;`;

/** The same adding update for a fresh minute written twice and for a roll-up into a row that late minutes already reached. */
const ADD_PROVIDER_ROW = `
  ON CONFLICT (provider, bucket) DO UPDATE SET
    calls = calls + excluded.calls,
    failures = failures + excluded.failures,
    timeouts = timeouts + excluded.timeouts,
    rate_limited = rate_limited + excluded.rate_limited,
    latency_sum = latency_sum + excluded.latency_sum,
    latency_min = min(latency_min, excluded.latency_min),
    latency_max = max(latency_max, excluded.latency_max),
    bins = merge_bins(bins, excluded.bins)`;

const ADD_CACHE_ROW = `ON CONFLICT (level, bucket) DO UPDATE SET hits = hits + excluded.hits, misses = misses + excluded.misses`;

const PROVIDER_COLUMNS = 'provider, bucket, calls, failures, timeouts, rate_limited, latency_sum, latency_min, latency_max, bins';

/** Watermarks: every minute row before `minutes_rolled_until` is in the hour rows, every hour row before `hours_rolled_until` in the day rows. */
const MINUTES_ROLLED_UNTIL = 'minutes_rolled_until';
const HOURS_ROLLED_UNTIL = 'hours_rolled_until';

interface ProviderRow {
  bucket: number;
  calls: number;
  failures: number;
  timeouts: number;
  rate_limited: number;
  latency_sum: number;
  latency_min: number;
  latency_max: number;
  bins: string;
}

interface ProviderRowParams extends ProviderRow {
  provider: string;
}

interface SeriesParams {
  size: number;
  from: number;
  to: number;
}

interface TotalsRow {
  provider: string;
  calls: number;
  successes: number;
  failures: number;
  timeouts: number;
  rate_limited: number;
  latency_sum: number;
  cache_hits: number;
  cache_misses: number;
  last_success_at: number;
  last_failure_at: number;
  month: string | null;
  last_error_type: string | null;
  last_error_message: string | null;
}

export interface SqliteHistoryStoreOptions {
  /** How long a write waits for another connection's lock; it blocks the event loop meanwhile. */
  busyTimeoutMs?: number;
}

/**
 * History in one SQLite file, in WAL mode: a write is one transaction, so a kill -9 loses at
 * most the flush in progress and the file opens cleanly after it. synchronous=NORMAL keeps
 * every committed flush through a crash of the app (only a power cut can lose the last few).
 *
 * Minute, hour and day rows live in their own tables. compact() folds complete minutes into
 * hours and complete days' hours into days and moves a watermark; a read at a resolution takes
 * the rows of its table and adds the finer rows past the watermarks, so the current hour and day
 * are always complete. Minutes written late (after a database outage) go into the coarser rows
 * their watermark already passed, so nothing is counted twice or lost. Buckets are UTC-aligned.
 */
export class SqliteHistoryStore implements HistoryStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private minutesRolledUntil: number;
  private hoursRolledUntil: number;
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();

  /** Opens or creates the file (and its folder). Throws when it cannot be opened or is not a history database. */
  constructor(
    readonly location: string,
    options: SqliteHistoryStoreOptions = {},
  ) {
    if (location !== ':memory:') ensureFolder(dirname(location));
    this.db = new Database(location, { timeout: options.busyTimeoutMs ?? 100 });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.registerFunctions();
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw new Error(`it was written by a newer version (schema ${version}, this one reads ${SCHEMA_VERSION})`);
      this.db.transaction(() => {
        this.db.exec(SCHEMA);
        // A version 1 file has provider_totals without the newer columns (CREATE TABLE IF NOT EXISTS left it as it was).
        const columns = new Set((this.db.pragma('table_info(provider_totals)') as { name: string }[]).map((c) => c.name));
        for (const column of ['month', 'last_error_type', 'last_error_message']) {
          if (!columns.has(column)) this.db.exec(`ALTER TABLE provider_totals ADD COLUMN ${column} TEXT`);
        }
        if (version < SCHEMA_VERSION) this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
      this.minutesRolledUntil = this.meta(MINUTES_ROLLED_UNTIL);
      this.hoursRolledUntil = this.meta(HOURS_ROLLED_UNTIL);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  async writeBatch(batch: HistoryBatch): Promise<void> {
    this.db.transaction(() => {
      for (const row of batch.providerMinutes) this.addProviderRow(row);
      for (const row of batch.cacheMinutes) this.addCacheRow(row);
      if (batch.totals) this.replaceTotals(batch.totals);
      const insertChange = this.statement('INSERT INTO status_changes (at, subject, previous, current) VALUES (?, ?, ?, ?)');
      for (const c of batch.statusChanges) insertChange.run(c.at, c.subject, c.previous, c.current);
      const upsertAlert = this.statement(
        `INSERT INTO alerts (id, started_at, resolved_at, updated_at, record) VALUES (@id, @startedAt, @resolvedAt, @updatedAt, @record)
         ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, resolved_at = excluded.resolved_at, updated_at = excluded.updated_at, record = excluded.record`,
      );
      for (const alert of batch.alerts) {
        const startedAt = Date.parse(alert.startedAt);
        const resolvedAt = alert.resolvedAt === null ? null : Date.parse(alert.resolvedAt);
        upsertAlert.run({ id: alert.id, startedAt, resolvedAt, updatedAt: resolvedAt ?? startedAt, record: JSON.stringify(alert) });
      }
    }).immediate();
  }

  async loadTotals(): Promise<SavedTotals> {
    const providers = this.statement<[], TotalsRow>('SELECT * FROM provider_totals ORDER BY provider').all();
    const cacheLevels = this.statement<[], { level: string; hits: number; misses: number }>('SELECT level, hits, misses FROM cache_totals ORDER BY level').all();
    return {
      providers: providers.map((r) => ({
        provider: r.provider,
        calls: r.calls,
        successes: r.successes,
        failures: r.failures,
        timeouts: r.timeouts,
        rateLimited: r.rate_limited,
        latencySumMs: r.latency_sum,
        cacheHits: r.cache_hits,
        cacheMisses: r.cache_misses,
        lastSuccessAt: r.last_success_at,
        lastFailureAt: r.last_failure_at,
        month: parseMonth(r.month),
        lastErrorType: r.last_error_type,
        lastErrorMessage: r.last_error_message,
      })),
      cacheLevels,
    };
  }

  async providerSeries(provider: string, resolution: HistoryResolution, fromMs: number, toMs: number): Promise<ProviderBucket[]> {
    const merged = new Map<number, ProviderBucket>();
    for (const [finer, rolledUntil] of this.sources(resolution)) {
      const sql = `
        SELECT bucket - bucket % @size AS bucket, SUM(calls) AS calls, SUM(failures) AS failures, SUM(timeouts) AS timeouts,
          SUM(rate_limited) AS rate_limited, SUM(latency_sum) AS latency_sum, MIN(latency_min) AS latency_min,
          MAX(latency_max) AS latency_max, merge_bins_all(bins) AS bins
        FROM ${PROVIDER_TABLES[finer]} WHERE provider = @provider AND bucket >= @from AND bucket <= @to GROUP BY 1`;
      const from = Math.max(bucketStart(fromMs, resolution), rolledUntil);
      const rows = this.statement<[SeriesParams & { provider: string }], ProviderRow>(sql).all({ provider, size: RESOLUTION_MS[resolution], from, to: toMs });
      for (const row of rows) {
        const bucket = fromProviderRow(provider, row);
        const existing = merged.get(bucket.bucket);
        merged.set(bucket.bucket, existing ? mergeProviderBuckets(existing, bucket) : bucket);
      }
    }
    return [...merged.values()].sort((a, b) => a.bucket - b.bucket);
  }

  async cacheSeries(level: string | null, resolution: HistoryResolution, fromMs: number, toMs: number): Promise<CacheBucket[]> {
    const merged = new Map<number, CacheBucket>();
    for (const [finer, rolledUntil] of this.sources(resolution)) {
      const sql = `
        SELECT bucket - bucket % @size AS bucket, SUM(hits) AS hits, SUM(misses) AS misses
        FROM ${CACHE_TABLES[finer]} WHERE (@level IS NULL OR level = @level) AND bucket >= @from AND bucket <= @to GROUP BY 1`;
      const from = Math.max(bucketStart(fromMs, resolution), rolledUntil);
      const rows = this.statement<[SeriesParams & { level: string | null }], Omit<CacheBucket, 'level'>>(sql).all({ level, size: RESOLUTION_MS[resolution], from, to: toMs });
      for (const row of rows) {
        const bucket: CacheBucket = { level: level ?? '*', ...row };
        const existing = merged.get(row.bucket);
        merged.set(row.bucket, existing ? mergeCacheBuckets(existing, bucket) : bucket);
      }
    }
    return [...merged.values()].sort((a, b) => a.bucket - b.bucket);
  }

  async statusChanges(fromMs: number, toMs: number, limit: number): Promise<StatusChange[]> {
    // The newest `limit` of the range, listed oldest first.
    const sql = `
      SELECT at, subject, previous, current FROM (
        SELECT id, at, subject, previous, current FROM status_changes WHERE at >= ? AND at <= ? ORDER BY at DESC, id DESC LIMIT ?
      ) ORDER BY at, id`;
    return this.statement<[number, number, number], StatusChange>(sql).all(fromMs, toMs, limit);
  }

  async alerts(fromMs: number, toMs: number, limit: number): Promise<AlertRecord[]> {
    const sql = `
      SELECT record FROM (
        SELECT id, started_at, record FROM alerts WHERE started_at <= @to AND (resolved_at IS NULL OR resolved_at >= @from)
        ORDER BY started_at DESC, id DESC LIMIT @limit
      ) ORDER BY started_at, id`;
    const rows = this.statement<[{ from: number; to: number; limit: number }], { record: string }>(sql).all({ from: fromMs, to: toMs, limit });
    return rows.map((row) => JSON.parse(row.record) as AlertRecord);
  }

  async knowsProvider(provider: string): Promise<boolean> {
    const tables = ['provider_totals', ...Object.values(PROVIDER_TABLES)];
    const sql = `SELECT ${tables.map((t) => `EXISTS (SELECT 1 FROM ${t} WHERE provider = @provider)`).join(' OR ')} AS known`;
    return this.statement<[{ provider: string }], { known: number }>(sql).get({ provider })?.known === 1;
  }

  async compact(nowMs: number, retention: HistoryRetention): Promise<CompactionResult> {
    // The watermarks move in memory only once the transaction is committed.
    let minutesRolledUntil = this.minutesRolledUntil;
    let hoursRolledUntil = this.hoursRolledUntil;
    const result = this.db.transaction((): CompactionResult => {
      let rolledUp = 0;
      const hourEnd = bucketStart(nowMs, 'hour');
      if (hourEnd > minutesRolledUntil) {
        rolledUp += this.rollUp('minute', 'hour', minutesRolledUntil, hourEnd);
        minutesRolledUntil = this.setMeta(MINUTES_ROLLED_UNTIL, hourEnd);
      }
      const dayEnd = bucketStart(nowMs, 'day');
      if (dayEnd > hoursRolledUntil) {
        rolledUp += this.rollUp('hour', 'day', hoursRolledUntil, dayEnd);
        hoursRolledUntil = this.setMeta(HOURS_ROLLED_UNTIL, dayEnd);
      }
      // Finer rows go only once the coarser rows hold them, whatever the retention says.
      const minuteCutoff = Math.min(nowMs - retention.minuteMs, minutesRolledUntil);
      const hourCutoff = Math.min(nowMs - retention.hourMs, hoursRolledUntil);
      const dayCutoff = nowMs - retention.dayMs;
      const eventCutoff = nowMs - retention.eventMs;
      let pruned = 0;
      const prune = (sql: string, cutoff: number) => (pruned += this.statement(sql).run(cutoff).changes);
      for (const tables of [PROVIDER_TABLES, CACHE_TABLES]) {
        prune(`DELETE FROM ${tables.minute} WHERE bucket < ?`, minuteCutoff);
        prune(`DELETE FROM ${tables.hour} WHERE bucket < ?`, hourCutoff);
        prune(`DELETE FROM ${tables.day} WHERE bucket < ?`, dayCutoff);
      }
      prune('DELETE FROM status_changes WHERE at < ?', eventCutoff);
      prune('DELETE FROM alerts WHERE updated_at < ?', eventCutoff);
      return { rolledUp, pruned };
    }).immediate();
    this.minutesRolledUntil = minutesRolledUntil;
    this.hoursRolledUntil = hoursRolledUntil;
    return result;
  }

  async rowCounts(): Promise<HistoryRowCounts> {
    const count = (table: string) => this.statement<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).get()!.n;
    return {
      providerMinutes: count(PROVIDER_TABLES.minute),
      providerHours: count(PROVIDER_TABLES.hour),
      providerDays: count(PROVIDER_TABLES.day),
      cacheMinutes: count(CACHE_TABLES.minute),
      cacheHours: count(CACHE_TABLES.hour),
      cacheDays: count(CACHE_TABLES.day),
      providerTotals: count('provider_totals'),
      cacheTotals: count('cache_totals'),
      statusChanges: count('status_changes'),
      alerts: count('alerts'),
    };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Merging histograms inside SQLite lets an upsert or a GROUP BY add them like any other column. */
  private registerFunctions(): void {
    this.db.function('merge_bins', { deterministic: true }, (a: string, b: string) => encodeBins(mergeBins(decodeBins(a), decodeBins(b))));
    this.db.aggregate('merge_bins_all', {
      start: (): string[] => [],
      step: (texts: string[], text: string) => {
        texts.push(text);
      },
      result: (texts: string[]) => encodeBins(sumBins(texts.map(decodeBins))),
    });
  }

  /** The tables a read at `resolution` takes, finest last, each with the bucket its rows start at. */
  private sources(resolution: HistoryResolution): [HistoryResolution, number][] {
    switch (resolution) {
      case 'minute':
        return [['minute', 0]];
      case 'hour':
        return [
          ['hour', 0],
          ['minute', this.minutesRolledUntil],
        ];
      case 'day':
        return [
          ['day', 0],
          ['hour', this.hoursRolledUntil],
          ['minute', this.minutesRolledUntil],
        ];
      default: {
        const unreachable: never = resolution;
        return unreachable;
      }
    }
  }

  private addProviderRow(row: ProviderBucket): void {
    const params = toProviderParams(row);
    this.upsertProvider('minute', params);
    // A minute older than a watermark (written late after an outage) must reach the rolled-up rows too.
    if (row.bucket < this.minutesRolledUntil) this.upsertProvider('hour', { ...params, bucket: bucketStart(row.bucket, 'hour') });
    if (bucketStart(row.bucket, 'hour') < this.hoursRolledUntil) this.upsertProvider('day', { ...params, bucket: bucketStart(row.bucket, 'day') });
  }

  private addCacheRow(row: CacheBucket): void {
    this.upsertCache('minute', row);
    if (row.bucket < this.minutesRolledUntil) this.upsertCache('hour', { ...row, bucket: bucketStart(row.bucket, 'hour') });
    if (bucketStart(row.bucket, 'hour') < this.hoursRolledUntil) this.upsertCache('day', { ...row, bucket: bucketStart(row.bucket, 'day') });
  }

  private upsertProvider(resolution: HistoryResolution, params: ProviderRowParams): void {
    const sql = `
      INSERT INTO ${PROVIDER_TABLES[resolution]} (${PROVIDER_COLUMNS})
      VALUES (@provider, @bucket, @calls, @failures, @timeouts, @rate_limited, @latency_sum, @latency_min, @latency_max, @bins) ${ADD_PROVIDER_ROW}`;
    this.statement(sql).run(params);
  }

  private upsertCache(resolution: HistoryResolution, row: CacheBucket): void {
    const sql = `INSERT INTO ${CACHE_TABLES[resolution]} (level, bucket, hits, misses) VALUES (@level, @bucket, @hits, @misses) ${ADD_CACHE_ROW}`;
    this.statement(sql).run(row);
  }

  private replaceTotals(totals: SavedTotals): void {
    this.db.exec('DELETE FROM provider_totals; DELETE FROM cache_totals;');
    const insertProvider = this.statement(
      `INSERT INTO provider_totals (provider, calls, successes, failures, timeouts, rate_limited, latency_sum, cache_hits, cache_misses, last_success_at, last_failure_at,
         month, last_error_type, last_error_message)
       VALUES (@provider, @calls, @successes, @failures, @timeouts, @rateLimited, @latencySumMs, @cacheHits, @cacheMisses, @lastSuccessAt, @lastFailureAt,
         @month, @lastErrorType, @lastErrorMessage)`,
    );
    for (const t of totals.providers) {
      insertProvider.run({ ...t, month: t.month ? JSON.stringify(t.month) : null, lastErrorType: t.lastErrorType ?? null, lastErrorMessage: t.lastErrorMessage ?? null });
    }
    const insertLevel = this.statement('INSERT INTO cache_totals (level, hits, misses) VALUES (@level, @hits, @misses)');
    for (const t of totals.cacheLevels) insertLevel.run(t);
  }

  /** Adds the rows of `from` in [startMs, endMs) into `to`; returns the rows of `to` written. */
  private rollUp(from: HistoryResolution, to: HistoryResolution, startMs: number, endMs: number): number {
    const params = { size: RESOLUTION_MS[to], start: startMs, end: endMs };
    // The WHERE clause also keeps SQLite from reading ON CONFLICT as a join constraint.
    const providers = `
      INSERT INTO ${PROVIDER_TABLES[to]} (${PROVIDER_COLUMNS})
      SELECT provider, bucket - bucket % @size, SUM(calls), SUM(failures), SUM(timeouts), SUM(rate_limited), SUM(latency_sum),
        MIN(latency_min), MAX(latency_max), merge_bins_all(bins)
      FROM ${PROVIDER_TABLES[from]} WHERE bucket >= @start AND bucket < @end GROUP BY provider, bucket - bucket % @size
      ${ADD_PROVIDER_ROW}`;
    const levels = `
      INSERT INTO ${CACHE_TABLES[to]} (level, bucket, hits, misses)
      SELECT level, bucket - bucket % @size, SUM(hits), SUM(misses)
      FROM ${CACHE_TABLES[from]} WHERE bucket >= @start AND bucket < @end GROUP BY level, bucket - bucket % @size
      ${ADD_CACHE_ROW}`;
    return this.statement(providers).run(params).changes + this.statement(levels).run(params).changes;
  }

  /** Statements are compiled once per connection: preparing costs more than running a small one. */
  private statement<Params extends unknown[] | object = unknown[], Row = unknown>(source: string): Database.Statement<Params extends unknown[] ? Params : [Params], Row> {
    let statement = this.statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement as Database.Statement<Params extends unknown[] ? Params : [Params], Row>;
  }

  private meta(key: string): number {
    return this.statement<[string], { value: number }>('SELECT value FROM meta WHERE key = ?').get(key)?.value ?? 0;
  }

  private setMeta(key: string, value: number): number {
    this.statement('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
    return value;
  }
}

function toProviderParams(row: ProviderBucket): ProviderRowParams {
  return {
    provider: row.provider,
    bucket: row.bucket,
    calls: row.calls,
    failures: row.failures,
    timeouts: row.timeouts,
    rate_limited: row.rateLimited,
    latency_sum: row.latencySumMs,
    latency_min: row.latencyMinMs,
    latency_max: row.latencyMaxMs,
    bins: encodeBins(row.bins),
  };
}

function fromProviderRow(provider: string, row: ProviderRow): ProviderBucket {
  return {
    provider,
    bucket: row.bucket,
    calls: row.calls,
    failures: row.failures,
    timeouts: row.timeouts,
    rateLimited: row.rate_limited,
    latencySumMs: row.latency_sum,
    latencyMinMs: row.latency_min,
    latencyMaxMs: row.latency_max,
    bins: decodeBins(row.bins),
  };
}

/** A month column that is missing or unreadable restores no month counts rather than failing the start. */
function parseMonth(text: string | null): SavedMonthCounts | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<SavedMonthCounts>;
    const numbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((n) => typeof n === 'number');
    if (typeof value.monthStartMs === 'number' && numbers(value.calls) && numbers(value.cacheHits)) {
      return { monthStartMs: value.monthStartMs, calls: value.calls, cacheHits: value.cacheHits };
    }
  } catch {
    // fall through
  }
  return undefined;
}

/**
 * Creates the missing folders one level at a time. Node 20's mkdirSync({ recursive: true }) spins
 * forever under /proc, hanging start-up; one level at a time fails at once instead.
 */
function ensureFolder(folder: string): void {
  const missing: string[] = [];
  for (let dir = folder; !existsSync(dir); dir = dirname(dir)) {
    missing.push(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of missing.reverse()) mkdirSync(dir);
}
